"""Draw the app's PNG icons from its mark (frontend/public/icon.svg): a white speech bubble on
teal. `any` icons keep the mark's rounded square; the maskable one fills the square and keeps
the bubble inside the safe circle (80 % of the width) that launchers crop to.

    .venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

TEAL = (15, 118, 110, 255)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parents[1] / "frontend" / "public" / "icons"
SCALE = 4  # drawn large, then reduced: smooth edges


def bubble(draw: ImageDraw.ImageDraw, unit: float, offset: float = 0.0) -> None:
    """The mark's bubble in its 512-unit box, `unit` pixels a unit, shifted by `offset` units."""

    def at(x: float, y: float) -> tuple[float, float]:
        return ((x + offset) * unit, (y + offset) * unit)

    (left, top), (right, bottom) = at(128, 144), at(416, 352)
    draw.rounded_rectangle((left, top, right, bottom), radius=32 * unit, fill=WHITE)
    # The tail: the bubble's lower left corner runs down to a point below it.
    draw.polygon([at(128, 176), at(208, 176), at(208, 352), at(128, 416)], fill=WHITE)


def icon(size: int, *, maskable: bool) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=TEAL)
        shrink = 0.72  # the mark's 512 units within the safe circle
        bubble(draw, big / 512 * shrink, offset=(512 / shrink - 512) / 2)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=96 * big / 512, fill=TEAL)
        bubble(draw, big / 512)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icon(192, maskable=False).save(OUT / "icon-192.png", optimize=True)
    icon(512, maskable=False).save(OUT / "icon-512.png", optimize=True)
    icon(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
