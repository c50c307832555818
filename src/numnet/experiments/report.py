"""The HTML report of `numnet experiment all`: every figure with its caption and numbers."""

from __future__ import annotations

import html
import json
from pathlib import Path

from numnet.experiments.common import Result

QUICK_NOTE = "quick run: shrunk to seconds; the claims are checked only in a full run"


def write_index(results: list[tuple[str, Result, float]], out_dir: Path) -> Path:
    """index.html in out_dir, linking each experiment's figures (in its own sub-folder) and
    saying whether its claim held, with the count on top; a quick run says so on top and
    under each figure."""
    quick = any(result.quick for _, result, _ in results)
    under = f'<p class="quick">({QUICK_NOTE})</p>' if quick else ""
    sections = []
    for folder, result, seconds in results:
        figures = "".join(
            f'<figure><img src="{html.escape(f"{folder}/{f.file}")}" alt="{html.escape(f.file)}">'
            f"<figcaption>{html.escape(f.caption)}</figcaption>{under}</figure>"
            for f in result.figures
        )
        numbers = html.escape(json.dumps(result.numbers, indent=2, default=float))
        verdict = "holds" if result.claim_holds else "does not hold"
        sections.append(
            f'<section id="{html.escape(result.name)}"><h2>{html.escape(result.name)}</h2>'
            f"<p><b>Claim:</b> {html.escape(result.claim)} <i>({seconds:.1f} s)</i></p>"
            f'<p class="{verdict.replace(" ", "-")}"><b>Claim {verdict}</b> on these numbers.</p>'
            f"{figures}<details><summary>numbers</summary><pre>{numbers}</pre></details></section>"
        )
    held = sum(result.claim_holds for _, result, _ in results)
    count = f"<p><b>{held} of {len(results)} claims held</b> in this run.</p>"
    banner = (
        f"<p><b>Quick run</b> (<code>--quick</code>): {QUICK_NOTE}; some of them need the "
        "full run to show.</p>"
        if quick
        else ""
    )
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>numnet experiments</title>"
        # figures at their own size (up to 1700 px: a shrunk one shrinks its text too), the
        # text in lines short enough to read
        "<style>body{font-family:sans-serif;max-width:1720px;margin:auto;padding:1em}"
        "p,h1,h2,details,figcaption{max-width:1000px}figure{margin:1em 0}"
        "img{max-width:100%;border:1px solid #ddd}figcaption{color:#444;margin:.4em 0 1.2em}"
        "section{border-bottom:1px solid #ccc;padding-bottom:1em}.quick{color:#8a5a00}"
        ".holds{color:#1a7f37}.does-not-hold{color:#b42318}</style></head><body>"
        "<h1>numnet experiments: the notes' claims, measured</h1>"
        + banner
        + count
        + "".join(sections)
        + "</body></html>"
    )
    path = out_dir / "index.html"
    path.write_text(page)
    return path
