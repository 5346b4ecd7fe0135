"""Set-up of a Twilio channel: the URL to paste in Twilio's console, and a connection test
against the (fake) Twilio API with the stored credentials."""

from __future__ import annotations

from tests.channels.twilio.conftest import NUMBER, Twilio


async def test_the_set_up_shows_the_webhook_url_and_tests_the_credentials(sms: Twilio) -> None:
    async with sms.world.client("alice") as alice:
        setup = await alice.get(f"/api/v1/channels/{sms.channel_id}/twilio")
        assert setup.status_code == 200
        info = setup.json()
        assert info["message_url"] == sms.url
        assert info["status_callback_url"] == f"{sms.url}/status"
        assert (info["kind"], info["phone_number"], info["has_auth_token"]) == ("sms", NUMBER, True)
        assert "auth_token" not in str(info).replace("has_auth_token", "")
        checked = await alice.post(f"/api/v1/channels/{sms.channel_id}/twilio/test")
        assert checked.json()["ok"] is True
        # A wrong token: Twilio's 20003 in words.
        changed = await alice.patch(
            f"/api/v1/channels/{sms.channel_id}", json={"secrets": {"auth_token": "wrong"}}
        )
        assert changed.status_code == 200
        failed = (await alice.post(f"/api/v1/channels/{sms.channel_id}/twilio/test")).json()
        assert failed["ok"] is False
        assert "credentials" in failed["detail"]
    async with sms.world.client("bob") as bob:  # an agent may not read the set-up
        assert (await bob.get(f"/api/v1/channels/{sms.channel_id}/twilio")).status_code == 403
