"""How many SMS segments a text takes, as the carriers bill it.

A text that fits the GSM 03.38 alphabet is sent 7 bits a character (GSM-7): 160 characters in
one message, 153 per segment once it is split (the rest of each segment carries the
concatenation header). The extension table's characters (`^{}\\[~]|€` and form feed) take two
septets each and are never split across segments. Any other character makes the whole text
UCS-2: 70 UTF-16 code units in one message, 67 per segment, and a character outside the Basic
Multilingual Plane (most emoji) takes two units that stay together.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
BMP_LAST = 0xFFFF  # past it a character takes two UTF-16 code units
GSM7 = "GSM-7"
UCS2 = "UCS-2"
SINGLE = {GSM7: 160, UCS2: 70}
CONCATENATED = {GSM7: 153, UCS2: 67}


@dataclass(frozen=True)
class Segments:
    encoding: str  # GSM-7 or UCS-2
    count: int  # messages the carrier delivers (and bills); 0 for an empty text
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2) the text takes


def encoding_of(text: str) -> str:
    return GSM7 if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text) else UCS2


def _widths(text: str, encoding: str) -> list[int]:
    if encoding == GSM7:
        return [2 if c in GSM7_EXTENSION else 1 for c in text]
    return [2 if ord(c) > BMP_LAST else 1 for c in text]


def count_segments(text: str) -> Segments:
    encoding = encoding_of(text)
    widths = _widths(text, encoding)
    units = sum(widths)
    if units == 0:
        return Segments(encoding, 0, 0)
    if units <= SINGLE[encoding]:
        return Segments(encoding, 1, units)
    room, count, used = CONCATENATED[encoding], 1, 0
    for width in widths:  # a two-unit character never straddles two segments
        if used + width > room:
            count, used = count + 1, 0
        used += width
    return Segments(encoding, count, units)
