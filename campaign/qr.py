"""QR codes, drawn here with segno so no third party ever sees what they hold (a follow link,
an authenticator's secret, a source's link). Error correction M everywhere: a scuffed poster
or a dim phone screen still scans. Callers pass their own words (title) and size."""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno

ERROR = "m"
BORDER = 2  # quiet zone, in modules, around a standalone SVG


@dataclass(frozen=True)
class Path:
    """A QR code as one SVG path on a grid of `size` modules (quiet zone not included)."""

    size: int
    path: str


def svg(text: str, *, title: str, scale: int) -> str:
    """`text` as standalone SVG markup (no XML declaration) with a <title> that names it;
    each module `scale` pixels, with a quiet zone of BORDER modules."""
    out = io.BytesIO()
    segno.make(text, error=ERROR).save(
        out,
        kind="svg",
        scale=scale,
        border=BORDER,
        xmldecl=False,
        svgns=True,
        title=str(title),
    )
    return out.getvalue().decode()


def path(text: str) -> Path:
    """`text` as path data for a page that draws its own frame (the poster): one closed
    rectangle per run of dark modules in a row."""
    matrix = [list(row) for row in segno.make(text, error=ERROR).matrix_iter(scale=1, border=0)]
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return Path(len(matrix), "".join(parts))
