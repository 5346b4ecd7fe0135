"""Pictures of demo customers: the photos they send (a plain JPEG of a random colour) and
their profile pictures."""

from __future__ import annotations

import io
import random


def photo(rng: random.Random) -> bytes:
    from PIL import Image  # a demo-only need: keep it off the import path of the server

    colour = tuple(rng.randrange(60, 220) for _ in range(3))
    picture = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(picture, format="JPEG")
    return picture.getvalue()


def portrait(rng: random.Random, sides: tuple[int, ...] = (160, 320, 640)) -> dict[int, bytes]:
    """A profile picture in the square sizes a provider keeps of it: side -> JPEG bytes."""
    from PIL import Image, ImageDraw

    colour = tuple(rng.randrange(60, 220) for _ in range(3))
    face = tuple(255 - c for c in colour)
    sizes = {}
    for side in sides:
        picture = Image.new("RGB", (side, side), colour)
        ImageDraw.Draw(picture).ellipse((side // 4, side // 4, side * 3 // 4, side * 3 // 4), face)
        out = io.BytesIO()
        picture.save(out, format="JPEG")
        sizes[side] = out.getvalue()
    return sizes
