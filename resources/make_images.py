"""Make scoreviz's sample images (dark = dense): ``python resources/make_images.py``.

heart.png   a filled heart (the classic parametric curve), 256 x 256
smiley.png  a smiley: a ring, two eyes and a smile, 256 x 256
Both are drawn with Pillow, black on white, so they are ours and reproducible.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256
HERE = Path(__file__).resolve().parent


def heart(size: int = SIZE) -> Image.Image:
    img = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(img)
    pts = []
    for k in range(400):
        t = 2 * math.pi * k / 400
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        pts.append((size / 2 + x * size / 38, size / 2 - y * size / 38 - size * 0.03))
    draw.polygon(pts, fill=0)
    return img


def smiley(size: int = SIZE) -> Image.Image:
    img = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(img)
    c, r, w = size / 2, size * 0.44, max(2, size // 14)
    draw.ellipse([c - r, c - r, c + r, c + r], outline=0, width=w)
    for dx in (-0.16, 0.16):  # eyes
        ex, ey, er = c + dx * size, c - 0.12 * size, 0.055 * size
        draw.ellipse([ex - er, ey - er, ex + er, ey + er], fill=0)
    s = 0.25 * size  # the smile: the lower arc of a circle
    draw.arc([c - s, c - s * 0.9, c + s, c + s * 1.1], start=20, end=160, fill=0, width=w)
    return img


def main() -> None:
    heart().save(HERE / "heart.png", optimize=True)
    smiley().save(HERE / "smiley.png", optimize=True)


if __name__ == "__main__":
    main()
