"""Twilio's protocol pieces against Twilio's own published vectors and rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontdesk.channels.outbound import (
    PermanentProviderError,
    RateLimitedByProvider,
    TemporaryProviderError,
)
from frontdesk.channels.twilio.errors import provider_error
from frontdesk.channels.twilio.keywords import Keyword, keyword_of
from frontdesk.channels.twilio.payloads import Form, inbound_message, is_status_callback
from frontdesk.channels.twilio.segments import count_segments
from frontdesk.channels.twilio.signature import sign, signature_ok
from tests.fakes.twilio import twilio_signature

VECTORS = json.loads(
    (
        Path(__file__).resolve().parents[2]
        / "fixtures"
        / "twilio"
        / "request_validator_vectors.json"
    ).read_text()
)


def test_the_signature_matches_twilio_s_published_vectors() -> None:
    token, form = VECTORS["auth_token"], VECTORS["form_request"]
    params = list(form["params"].items())
    assert sign(token, form["url"], params) == form["expected_signature"]
    assert twilio_signature(token, form["url"], params) == form["expected_signature"]
    assert signature_ok(token, [form["url"]], params, form["expected_signature"])
    # Twilio's port handling varies: the URL is tried with and without its port.
    with_port = VECTORS["form_request_same_params_url_variants"][0]
    assert signature_ok(token, [with_port["url"]], params, form["expected_signature"])
    explicit_443 = VECTORS["form_request_same_params_url_variants"][2]
    assert signature_ok(
        token,
        [explicit_443["url"]],
        params,
        explicit_443["signature_of_url_with_explicit_port_443"],
    )
    repeated = VECTORS["repeated_params"]
    pairs = [tuple(p) for p in repeated["params_in_order_received"]]
    assert sign(token, repeated["url"], pairs) == repeated["expected_signature"]
    # A parameter changed, another token, a fragment-only difference, no header.
    tampered = [(k, "9999" if k == "Digits" else v) for k, v in params]
    assert not signature_ok(token, [form["url"]], tampered, form["expected_signature"])
    assert not signature_ok("54321", [form["url"]], params, form["expected_signature"])
    assert signature_ok(token, [form["url"] + "#rc=2"], params, form["expected_signature"])
    assert not signature_ok(token, [form["url"]], params, None)


@pytest.mark.parametrize(
    ("text", "encoding", "count"),
    [
        ("", "GSM-7", 0),
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),  # extension characters take two septets
        ("€" * 81, "GSM-7", 2),
        ("Olá, tudo bem?", "UCS-2", 1),  # "á" is not in the GSM alphabet
        ("ã" * 70, "UCS-2", 1),
        ("ã" * 71, "UCS-2", 2),
        ("😀" * 35, "UCS-2", 1),  # two UTF-16 units each
        ("😀" * 34 + "a" * 66, "UCS-2", 3),  # no emoji split across segments
    ],
)
def test_segments_are_counted_as_carriers_bill_them(text: str, encoding: str, count: int) -> None:
    segments = count_segments(text)
    assert (segments.encoding, segments.count) == (encoding, count)


def test_keywords_follow_twilio_s_defaults() -> None:
    assert keyword_of(" stop ") == Keyword.STOP
    assert keyword_of("Unsubscribe") == Keyword.STOP
    assert keyword_of("UNSTOP") == Keyword.START
    assert keyword_of("start") == Keyword.START
    assert keyword_of("info") == Keyword.HELP
    assert keyword_of("please stop calling me") is None
    assert keyword_of("PARAR", "STOP") == Keyword.STOP  # Advanced Opt-Out says which


def test_errors_are_sorted_for_retrying() -> None:
    opted = provider_error(400, {"code": 21610, "message": "unsubscribed recipient"})
    assert isinstance(opted, PermanentProviderError)
    assert opted.code == "opted_out"
    assert isinstance(provider_error(429, {"code": 20429}, "3"), RateLimitedByProvider)
    assert isinstance(provider_error(503, None), TemporaryProviderError)
    assert isinstance(provider_error(401, {"code": 20003}), PermanentProviderError)


def test_an_inbound_form_and_a_status_callback_are_told_apart() -> None:
    inbound = Form.of(
        [
            ("MessageSid", "MM1"),
            ("From", "whatsapp:+5511999990000"),
            ("To", "whatsapp:+14155238886"),
            ("SmsStatus", "received"),
            ("Body", "hi"),
            ("NumMedia", "1"),
            ("MediaUrl0", "https://api.twilio.com/x"),
            ("MediaContentType0", "image/jpeg"),
            ("ProfileName", "Ana"),
        ]
    )
    message = inbound_message(inbound)
    assert message is not None
    assert (message.sender, message.whatsapp, message.profile_name) == (
        "+5511999990000",
        True,
        "Ana",
    )
    assert [m.content_type for m in message.media] == ["image/jpeg"]
    assert not is_status_callback(inbound)
    assert is_status_callback(Form.of([("MessageSid", "SM1"), ("MessageStatus", "delivered")]))
