"""Render the small pictures the in-app demo gallery shows, into quizapp/demos/thumbnails/.

Run: ``python docs/make_demo_thumbnails.py [demo-id ...]`` after adding or changing a demo
(``tests/unit/demos/test_catalogue.py`` fails while a demo has no thumbnail). Each demo runs
its default parameters for its default number of steps, in Korean and in English, and is saved
at 4.8 × 2.9 inches, 75 dpi (360 × 216 pixels).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizapp.demos import DEMOS, render_png
from quizapp.demos.registry import THUMBNAILS


def main() -> None:
    THUMBNAILS.mkdir(parents=True, exist_ok=True)
    wanted = sys.argv[1:] or list(DEMOS)
    for demo_id in wanted:
        demo = DEMOS[demo_id]
        for lang in ("ko", "en"):
            out = THUMBNAILS / f"{demo_id}-{lang}.png"
            render_png(demo(), demo.defaults(), demo.steps, out, lang, dpi=36)
            print(f"{out.name}: {out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
