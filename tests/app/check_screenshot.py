#!/usr/bin/env python3
"""Checks that a PNG screenshot shows something: the expected size, many
distinct colours, and no single colour covering nearly all of it (a blank
or cleared-only framebuffer has one or two colours).

    check_screenshot.py FILE [--width W --height H] [--min-colours N]

Standard library only: a minimal decoder for 8-bit, non-interlaced RGB/RGBA
PNGs (what stb_image_write produces).
"""
import argparse
import collections
import struct
import sys
import zlib


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    bpp = 4 if colour == 6 else 3
    raw, stride = zlib.decompress(idat), width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        filt, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if filt == 1:
                line[i] = (line[i] + a) & 255
            elif filt == 2:
                line[i] = (line[i] + b) & 255
            elif filt == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    pixels = [row[i:i + 3] for row in rows for i in range(0, stride, bpp)]
    return width, height, pixels


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("png")
    parser.add_argument("--width", type=int)
    parser.add_argument("--height", type=int)
    parser.add_argument("--min-colours", type=int, default=16)
    args = parser.parse_args()
    width, height, pixels = read_png(args.png)
    counts = collections.Counter(pixels)
    top_share = counts.most_common(1)[0][1] / len(pixels)
    print(f"{args.png}: {width}x{height}, {len(counts)} distinct colours, "
          f"most common colour covers {100 * top_share:.1f}%")
    problems = []
    if args.width and (width, height) != (args.width, args.height):
        problems.append(f"size {width}x{height}, expected {args.width}x{args.height}")
    if len(counts) < args.min_colours:
        problems.append(f"only {len(counts)} colours (expected at least {args.min_colours}): blank?")
    if top_share > 0.97:
        problems.append("one colour covers more than 97% of the image: blank?")
    for p in problems:
        print("FAILED:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
