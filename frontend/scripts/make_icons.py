"""Draw the Followthrough app icons as PNGs with the standard library only.

Run once by hand (`python3 frontend/scripts/make_icons.py`); the PNGs are committed,
so nothing is generated or downloaded at build time. Anti-aliasing comes from signed
distances (one sample per pixel), which keeps the script fast and dependency-free.
"""

import math
import struct
import zlib
from pathlib import Path

BRAND = (0x1F, 0x4E, 0xD8)  # matches --brand in the CSS and theme_color in the manifest
WHITE = (0xFF, 0xFF, 0xFF)
OUT = Path(__file__).resolve().parent.parent / "public" / "icons"

# A check mark that ends in an upward stroke: "you said it, you did it".
CHECK = [(0.28, 0.53), (0.44, 0.68), (0.74, 0.34)]


def segment_distance(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def rounded_rect_distance(px, py, size, radius):
    """Signed distance to a square [0,size]^2 with rounded corners (negative inside)."""
    half = size / 2
    qx = abs(px - half) - (half - radius)
    qy = abs(py - half) - (half - radius)
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    inside = min(max(qx, qy), 0.0)
    return outside + inside - radius


def coverage(distance):
    """Map a signed distance (pixels, negative inside) to 0..1 coverage."""
    return max(0.0, min(1.0, 0.5 - distance))


def draw(size, *, maskable):
    # Maskable icons are full-bleed and keep the mark inside the 80% safe circle.
    scale = 0.62 if maskable else 1.0
    corner = 0 if maskable else size * 0.22
    stroke = size * 0.085 * scale
    points = [
        (size * (0.5 + (x - 0.5) * scale), size * (0.5 + (y - 0.5) * scale)) for x, y in CHECK
    ]
    rows = []
    for y in range(size):
        row = bytearray([0])  # PNG filter type 0 for this scanline
        for x in range(size):
            px, py = x + 0.5, y + 0.5
            bg = 1.0 if maskable else coverage(rounded_rect_distance(px, py, size, corner))
            d = min(
                segment_distance(px, py, *points[i], *points[i + 1])
                for i in range(len(points) - 1)
            )
            mark = coverage(d - stroke / 2)
            r, g, b = (round(c * (1 - mark) + w * mark) for c, w in zip(BRAND, WHITE))
            row += bytes((r, g, b, round(255 * bg)))
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def draw_badge(size):
    """The notification badge: the check mark alone, white on transparent (Android shows
    only the alpha channel in the status bar)."""
    stroke = size * 0.12
    points = [(size * x, size * y) for x, y in ((0.16, 0.52), (0.40, 0.74), (0.86, 0.26))]
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            d = min(segment_distance(x + 0.5, y + 0.5, *points[i], *points[i + 1]) for i in range(len(points) - 1))
            row += bytes((255, 255, 255, round(255 * coverage(d - stroke / 2))))
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width, height, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (OUT / f"icon-{size}.png").write_bytes(draw(size, maskable=False))
        (OUT / f"maskable-{size}.png").write_bytes(draw(size, maskable=True))
    (OUT / "apple-touch-icon-180.png").write_bytes(draw(180, maskable=True))
    (OUT / "badge-96.png").write_bytes(draw_badge(96))


if __name__ == "__main__":
    main()
