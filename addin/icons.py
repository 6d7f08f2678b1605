"""The add-in's ribbon icons, drawn in code as PNG (an org chart: one box over two).

Drawing them here keeps the icons exact at 16, 32 and 80 px without binary files to
keep in step; zlib and struct are all a PNG needs.
"""

from __future__ import annotations

import struct
import zlib
from functools import cache

SIZES = (16, 32, 80)
NAVY = (31, 56, 100, 255)
TEAL = (0, 128, 128, 255)
CLEAR = (0, 0, 0, 0)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def encode_png(pixels: list[list[tuple[int, int, int, int]]]) -> bytes:
    """RGBA pixel rows -> the bytes of a PNG file."""
    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\x00" + bytes(v for px in row for v in px) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b""))


@cache
def icon_png(size: int) -> bytes:
    """The ribbon icon at ``size`` px square."""
    if size not in SIZES:
        raise ValueError(f"no icon of {size} px")
    px = [[CLEAR] * size for _ in range(size)]

    def box(x0: float, y0: float, x1: float, y1: float, colour: tuple[int, int, int, int]
            ) -> None:
        for y in range(round(y0 * size), max(round(y1 * size), round(y0 * size) + 1)):
            for x in range(round(x0 * size), max(round(x1 * size), round(x0 * size) + 1)):
                px[y][x] = colour

    line = max(1 / size, 0.06)
    box(0.30, 0.06, 0.70, 0.36, NAVY)            # the chief executive
    box(0.50 - line / 2, 0.36, 0.50 + line / 2, 0.52, NAVY)
    box(0.19, 0.52 - line, 0.81, 0.52, NAVY)     # the reporting line that splits in two
    box(0.19, 0.52, 0.19 + line, 0.62, NAVY)
    box(0.81 - line, 0.52, 0.81, 0.62, NAVY)
    box(0.02, 0.62, 0.44, 0.94, TEAL)            # CTO
    box(0.56, 0.62, 0.98, 0.94, TEAL)            # CIO
    return encode_png(px)
