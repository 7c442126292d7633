"""Make the Windows .ico and the macOS .icns from the hicolor PNGs (scripts/render_icons.py).

    .venv/bin/python packaging/icon_files.py           # write both next to the SVG
    .venv/bin/python packaging/icon_files.py --check   # exit 1 when they are out of date

Qt's image writers put one image in an .ico or .icns file, and an application icon needs
every size, so the containers are assembled here (both formats are a table of images).
The .ico holds 32-bit BMP images up to 128 px and a PNG at 256 px, as Windows expects;
the .icns holds PNG images under the type codes macOS 10.7 and later read. Only QImage is
used (to turn a PNG into BMP pixels): nothing beyond the project's own dependencies.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "org.incidentarchive.Viewer"
ICONS = ROOT / "packaging" / "icons"
ICO_PATH = ICONS / f"{APP_ID}.ico"
ICNS_PATH = ICONS / f"{APP_ID}.icns"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_PNG_FROM = 256  # sizes from here on are stored as PNG (Windows Vista and later)
# (type code, pixel size) of the .icns entries; the @2x codes repeat a larger PNG.
ICNS_TYPES = (
    ("icp4", 16),
    ("icp5", 32),
    ("ic11", 32),  # 16 px @2x
    ("icp6", 64),
    ("ic12", 64),  # 32 px @2x
    ("ic07", 128),
    ("ic08", 256),
    ("ic13", 256),  # 128 px @2x
    ("ic09", 512),
    ("ic14", 512),  # 256 px @2x
)


def png_path(size: int) -> Path:
    return ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def _bmp_entry(png: Path, size: int) -> bytes:
    """A 32-bit ICO bitmap: BITMAPINFOHEADER, bottom-up BGRA rows, then the 1-bit AND mask."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QImage

    image = QImage(str(png)).convertToFormat(QImage.Format.Format_ARGB32)
    if image.isNull() or image.width() != size or image.height() != size:
        raise ValueError(f"{png}: not a {size}x{size} image")
    # Height is doubled: the colour rows and the mask rows share one header.
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    colour = bytearray()
    mask = bytearray()
    mask_row_bytes = ((size + 31) // 32) * 4
    for y in reversed(range(size)):
        row = bytes(image.constScanLine(y))[: size * 4]  # B, G, R, A on little-endian hosts
        if sys.byteorder != "little":
            row = b"".join(row[i : i + 4][::-1] for i in range(0, len(row), 4))
        colour += row
        bits = bytearray(mask_row_bytes)
        for x in range(size):
            if row[x * 4 + 3] == 0:  # fully transparent pixels are "screen" in the mask
                bits[x // 8] |= 0x80 >> (x % 8)
        mask += bits
    return header + bytes(colour) + bytes(mask)


def ico_bytes() -> bytes:
    images = [
        (
            size,
            png_path(size).read_bytes()
            if size >= ICO_PNG_FROM
            else _bmp_entry(png_path(size), size),
        )
        for size in ICO_SIZES
    ]
    directory = struct.pack("<HHH", 0, 1, len(images))
    offset = len(directory) + 16 * len(images)
    entries = b""
    for size, data in images:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return directory + entries + b"".join(data for _size, data in images)


def icns_bytes() -> bytes:
    body = b""
    for code, size in ICNS_TYPES:
        data = png_path(size).read_bytes()
        body += code.encode("ascii") + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check they are up to date")
    args = parser.parse_args(argv)
    stale = []
    for path, content in ((ICO_PATH, ico_bytes()), (ICNS_PATH, icns_bytes())):
        if args.check:
            if not path.is_file() or path.read_bytes() != content:
                stale.append(path)
        else:
            path.write_bytes(content)
            print(f"wrote {path.relative_to(ROOT)} ({len(content)} bytes)")
    for path in stale:
        print(f"{path.relative_to(ROOT)} is out of date: run {Path(__file__).relative_to(ROOT)}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
