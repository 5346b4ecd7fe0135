"""Properties of the rules for text no database stores (`core.text`), over any text."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from frontdesk.core.text import (
    clean_text,
    is_storable,
    restored_json,
    storable_json,
    unstorable_at,
)

# Any code point, lone surrogates and NUL included (hypothesis leaves surrogates out by default).
ANY_CHAR = st.one_of(st.characters(), st.sampled_from(["\x00", "\ud800", "\udbff", "\udfff"]))
ANY_TEXT = st.text(alphabet=ANY_CHAR, max_size=40)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12,
)


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


@given(ANY_TEXT)
def test_storable_means_utf_8_without_nul(text: str) -> None:
    assert is_storable(text) == _encodes(text)


@given(ANY_TEXT)
def test_cleaned_text_is_storable_and_storable_text_is_left_alone(text: str) -> None:
    cleaned = clean_text(text)
    assert is_storable(cleaned)
    if is_storable(text):
        assert cleaned == text
    assert len(cleaned) == len(text) - text.count("\x00")


@given(st.dictionaries(ANY_TEXT, JSON_VALUES, max_size=5))
@example({"escaped_json": "not what it seems"})  # a payload that looks like an escaped one
@example({"text": "line\x00break", "from": {"name": "Nu\ud800no"}})
def test_a_payload_is_stored_as_json_any_engine_takes_and_restored_exactly(
    payload: dict[str, Any],
) -> None:
    stored = storable_json(payload)
    text = json.dumps(stored, ensure_ascii=False)
    assert _encodes(text)  # UTF-8 without NUL...
    assert unstorable_at(json.loads(text)) is None  # ...nor a NUL escape: jsonb takes it
    assert restored_json(json.loads(text)) == payload
