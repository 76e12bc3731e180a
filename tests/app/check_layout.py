#!/usr/bin/env python3
"""Checks the screen layout the app reports (state["layout"], src/app/screen.cpp):
the viewport is WIDTH x HEIGHT, every region lies inside it, no two overlap,
the tabs lie in the main area and TAB is the one selected.

    python3 tests/app/check_layout.py STATE_JSON WIDTH HEIGHT [TAB]
"""
import json
import sys


def overlaps(a, b):
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def inside(outer, r):
    return (r[0] >= outer[0] and r[1] >= outer[1] and r[0] + r[2] <= outer[0] + outer[2]
            and r[1] + r[3] <= outer[1] + outer[3])


def main():
    state, width, height = json.loads(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
    tab = sys.argv[4] if len(sys.argv) > 4 else None
    layout = state["layout"]
    problems = []
    if layout["viewport"] != [width, height]:
        problems.append(f"viewport {layout['viewport']}, expected {[width, height]}")
    viewport = [0, 0, width, height]
    regions = layout["regions"]
    for want in ("controls", "settings", "pad", "main", "status"):
        if want not in regions:
            problems.append(f"no {want} region")
    names = list(regions)
    for i, a in enumerate(names):
        if not inside(viewport, regions[a]):
            problems.append(f"{a} {regions[a]} outside the viewport")
        for b in names[i + 1:]:
            if overlaps(regions[a], regions[b]):
                problems.append(f"{a} {regions[a]} overlaps {b} {regions[b]}")
    for label, r in layout["tabs"].items():
        if not inside(regions.get("main", viewport), r):
            problems.append(f"tab {label} {r} outside the main area")
    if tab and layout["tab"] != tab:
        problems.append(f"tab {layout['tab']!r} selected, expected {tab!r}")
    for p in problems:
        print("FAILED: layout:", p, file=sys.stderr)
    print(f"layout: {int(width)}x{int(height)}, {len(names)} regions ({', '.join(names)}), "
          f"tab {layout['tab']!r}, type {layout['font_pixels']} px, pad beside: {layout['pad_beside']}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
