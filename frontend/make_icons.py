#!/usr/bin/env python3
"""Draws the app's icons into frontend/icons/ (committed; run again only to change them).

The glyph is a small partnership map: one body at the top with a reporting line to each of
three below, in white and the app's blue (#1d70b8) on the header's near-black (#0b0c0c,
the manifest's theme_color). Standard library only (zlib, struct): each pixel's colour is
the shapes' signed distances blended over one pixel, so edges are smooth without
supersampling.

- icon-32.png: the browser tab's icon (index.html), small because every first visit fetches it.
- icon-192.png, icon-512.png: "any" icons, a rounded square with transparent corners.
- icon-maskable-512.png: "maskable", the colour to every edge and the glyph inside the
  central 80% circle that launchers may cut to any shape.
- apple-touch-icon.png (180): iOS rounds the corners itself and shows transparency as black,
  so it is full bleed too.

    python3 frontend/make_icons.py

Every first visit fetches icon-32.png and the manifest's icon-192.png, so the committed
files were then made smaller: reduced to a palette (Pillow's `quantize`, which keeps the
shapes and approximates the blends along their edges) and recompressed without changing a
pixel by zopflipng (Debian's `zopfli`: `zopflipng -m -y icon.png icon.png`). Do the same
after drawing them again.
"""

import math
import os
import struct
import zlib

THEME = (0x0B, 0x0C, 0x0C)
BLUE = (0x1D, 0x70, 0xB8)
WHITE = (0xFF, 0xFF, 0xFF)

# The glyph in a unit box: (x, y) of the nodes, line width and radii, as fractions.
TOP = (0.5, 0.2)
BELOW = [(0.16, 0.78), (0.5, 0.78), (0.84, 0.78)]
LINE_WIDTH = 0.07
TOP_RADIUS = 0.15
BELOW_RADIUS = 0.13
RING = 0.045


def segment_distance(px, py, a, b):
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def coverage(signed_distance, pixel):
    """How much of a pixel a shape covers, from its signed distance (negative inside)."""
    return max(0.0, min(1.0, 0.5 - signed_distance / pixel))


def blend(under, over, alpha):
    return tuple(u + (o - u) * alpha for u, o in zip(under, over))


def rounded_square_distance(x, y, size, radius):
    """Signed distance to a square of side `size` at the origin with rounded corners."""
    half = size / 2
    qx = abs(x - half) - (half - radius)
    qy = abs(y - half) - (half - radius)
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - radius


def draw(size, glyph_box, corner_radius):
    """RGBA rows: the background (a rounded square when corner_radius > 0, else full bleed)
    and the glyph scaled into glyph_box = (left, top, side) in pixels."""
    left, top, side = glyph_box
    pixel = 1.0 / side  # one pixel in glyph units
    rows = []
    for j in range(size):
        row = bytearray()
        for i in range(size):
            cx, cy = i + 0.5, j + 0.5
            if corner_radius > 0:
                alpha = coverage(rounded_square_distance(cx, cy, size, corner_radius), 1.0)
            else:
                alpha = 1.0
            colour = THEME
            gx, gy = (cx - left) / side, (cy - top) / side
            line = min(segment_distance(gx, gy, TOP, b) for b in BELOW) - LINE_WIDTH / 2
            colour = blend(colour, WHITE, coverage(line, pixel))
            top_node = math.hypot(gx - TOP[0], gy - TOP[1]) - TOP_RADIUS
            colour = blend(colour, WHITE, coverage(top_node, pixel))
            for b in BELOW:
                d = math.hypot(gx - b[0], gy - b[1])
                colour = blend(colour, WHITE, coverage(d - BELOW_RADIUS, pixel))
                colour = blend(colour, BLUE, coverage(d - (BELOW_RADIUS - RING), pixel))
            row.extend(round(c) for c in colour)
            row.append(round(alpha * 255))
        rows.append(bytes(row))
    return rows


def png(size, rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    raw = b"".join(b"\x00" + row for row in rows)  # filter 0 on every row
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icons")
    os.makedirs(out, exist_ok=True)
    icons = {
        # name: (size, glyph box as fractions (left, top, side), corner radius fraction)
        # The browser tab's icon: a page's first load fetches it, so it is the small one.
        "icon-32.png": (32, (0.1, 0.1, 0.8), 0.18),
        "icon-192.png": (192, (0.14, 0.14, 0.72), 0.18),
        "icon-512.png": (512, (0.14, 0.14, 0.72), 0.18),
        # The safe zone is the central circle of diameter 0.8; the glyph's box (0.5 wide)
        # fits in it with its corners at 0.35 from the centre.
        "icon-maskable-512.png": (512, (0.25, 0.25, 0.5), 0.0),
        "apple-touch-icon.png": (180, (0.18, 0.18, 0.64), 0.0),
    }
    for name, (size, (left, top, side), radius) in icons.items():
        rows = draw(size, (left * size, top * size, side * size), radius * size)
        with open(os.path.join(out, name), "wb") as f:
            f.write(png(size, rows))
        print(f"wrote {name} ({size}x{size})")


if __name__ == "__main__":
    main()
