"""The whole loop over real HTTP both ways: the app on a loopback port registers its webhook
with the fake Bot API, the fake posts a customer's message to it, an agent answers, and the
delivery job sends the answer to the fake."""

from __future__ import annotations

import uuid

import httpx

from frontdesk.core.runtime import Runtime
from tests.channels.telegram.conftest import Telegram, messages_of, run_jobs
from tests.conftest import World
from tests.realtime.conftest import serve


async def test_a_customer_writes_and_an_agent_answers_over_http(
    world: World, runtime: Runtime, telegram: Telegram
) -> None:
    server, task, host = await serve(world.app)
    runtime.public_url = f"http://{host}"  # where Telegram (the fake) reaches this app
    try:
        bot = telegram.fake.add_bot(username="acme_careers_bot")
        alice = world.persona("alice")
        async with httpx.AsyncClient(
            base_url=f"http://{host}", headers={"X-CSRF-Token": alice.csrf_token}
        ) as http:
            http.cookies.set("frontdesk_session", alice.session_token)
            connected = await http.post(
                "/api/v1/channels/telegram", json={"name": "Careers", "bot_token": bot.token}
            )
            assert connected.status_code == 201, connected.text
            assert bot.webhook_url == f"http://{host}/webhooks/telegram/{connected.json()['id']}"

            update = telegram.fake.text_update(4242, "Is the driver job open?", "Maria", "Silva")
            delivered = await telegram.fake.post_update(bot, update)
            assert delivered.status_code == 200

            channel_id = uuid.UUID(connected.json()["id"])
            [inbound] = await messages_of(runtime, channel_id)
            assert inbound.body == "Is the driver job open?"
            answered = await http.post(
                f"/api/v1/conversations/{inbound.conversation_id}/messages",
                json={"body": "Yes, Maria: it is.", "client_message_id": "e2e-1"},
            )
            assert answered.status_code == 201, answered.text
        await run_jobs(runtime)
    finally:
        server.should_exit = True
        await task
    texts = [(m["chat"]["id"], m.get("text")) for m in telegram.fake.sent]
    assert (4242, "Yes, Maria: it is.") in texts
