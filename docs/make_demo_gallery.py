"""Render every demo headless into ``docs/demos/`` and write the gallery page.

Run: ``python docs/make_demo_gallery.py`` (about a minute). Each demo runs as the live window
does: its default parameters, until its ``steps`` frames or until it ends by itself; the page
lists the id, both titles, where the run ended (in the demo's unit), the "what to notice" text
and the command that reproduces the image.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizapp.demos import DEMOS, render_png

OUT = Path(__file__).resolve().parent / "demos"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Demo gallery",
        "",
        "Every live demo, rendered headless with its default parameters "
        "(`python docs/make_demo_gallery.py` regenerates this page). In the app, open a "
        "demo from a card with `D`; the window lets you change the parameters and watch the "
        "model train.",
        "",
    ]
    for demo_id, demo in DEMOS.items():
        image = OUT / f"{demo_id}.png"
        run = render_png(demo(), demo.defaults(), demo.steps, image, "ko")
        end = f"{demo.unit.en} {run.progress:g}"
        print(f"{demo_id}: {run.count} frames, ends at {end}"
              f"{' (diverged)' if run.diverged else ''}")
        lines += [
            f"## {demo.title.en} — {demo.title.ko}",
            "",
            f"`{demo_id}` · {run.count} frames, ends at {end} · "
            f"`python main.py demo {demo_id} --out {demo_id}.png`",
            "",
            f"![{demo.title.en}]({demo_id}.png)",
            "",
            f"**What to notice.** {demo.notice.en}",
            "",
            f"**눈여겨볼 점.** {demo.notice.ko}",
            "",
        ]
    (OUT / "README.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
