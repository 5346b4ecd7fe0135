"""Pictures demo customers send: a plain JPEG of a random colour."""

from __future__ import annotations

import io
import random


def photo(rng: random.Random) -> bytes:
    from PIL import Image  # a demo-only need: keep it off the import path of the server

    colour = tuple(rng.randrange(60, 220) for _ in range(3))
    picture = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(picture, format="JPEG")
    return picture.getvalue()
