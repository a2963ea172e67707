"""Benchmark: how long the worst card the loader accepts blocks the window.

Run: ``python tests/benchmarks/bench_hostile_content.py``.

Writes cards right at the limits of ``quizapp/content/limits.py`` (the longest answer of plain
text, of nested emphasis, of a table, of links; 40 formulas of the longest allowed length; the
deepest allowed nesting), loads them with the real loader, shows each revealed in the real
``CardView`` in "both" mode (offscreen Qt), and prints the longest single block of the event
loop: the first layout (``setHtml`` of both panes) and every math-rendering slice after it.
Target: no block over ~200 ms. Cards beyond the limits are refused by the loader (see
``tests/unit/content/test_hostile_files.py``) and never reach the view.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS.parent))

from card_files import write_card, write_deck  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from quizapp.content import load_library  # noqa: E402
from quizapp.content.limits import (  # noqa: E402
    MAX_ANSWER_CHARS,
    MAX_BRACKET_DEPTH,
    MAX_MATH_CHARS,
    MAX_MATH_DEPTH,
    MAX_MATH_PER_SECTION,
    MAX_MATH_SYMBOLS,
    MAX_TABLE_ROWS,
    math_symbols,
)
from quizapp.ui.app import application  # noqa: E402
from quizapp.ui.card_view import CardView  # noqa: E402
from quizapp.ui.math_images import MathImages  # noqa: E402


def _fill(unit: str, limit: int = MAX_ANSWER_CHARS - 10) -> str:
    return (unit * (limit // len(unit)))[:limit]


def _at_symbol_limit(term: str) -> str:
    """``term`` (with ``{k}`` for a counter) repeated with '+' up to MAX_MATH_SYMBOLS."""
    tex = ""
    for k in range(1000):
        longer = f"{tex}+{term.format(k=k % 10)}" if tex else term.format(k=k % 10)
        if math_symbols(longer) > MAX_MATH_SYMBOLS or len(longer) > MAX_MATH_CHARS:
            return tex
        tex = longer
    return tex


def _formulas(term: str) -> str:
    """As many display formulas at the symbol limit as fit in one answer."""
    one = _at_symbol_limit(term)
    count = min(MAX_MATH_PER_SECTION, (MAX_ANSWER_CHARS - 10) // (len(one) + 6))
    return "\n\n".join(f"$${one}$$" for _ in range(count)).replace("$$$$", "$$")


def _nested_emphasis() -> str:
    """Emphasis nested as deep as the answer length allows, with no marker run too long."""
    levels = (MAX_ANSWER_CHARS - 20) // 6
    opening = "".join("*a " if i % 2 == 0 else "_b " for i in range(levels))
    closing = "".join(" a*" if i % 2 == 0 else " b_" for i in reversed(range(levels)))
    return opening + "x" + closing


CASES = {
    "plain text": _fill("경사 하강법 gradient descent "),
    "nested emphasis": _nested_emphasis(),
    "table": "|a|b|\n|-|-|\n" + "|12345|67890|\n" * (MAX_TABLE_ROWS - 2),
    "links": _fill("[docs](https://pytorch.org) "),
    "nested brackets": _fill("[" * MAX_BRACKET_DEPTH + "x" + "]" * MAX_BRACKET_DEPTH + " "),
    "plain-letter formulas": _formulas("abcdefghij"),
    "subscript formulas": _formulas("x_{{{k}{k}}}"),
    "sqrt-frac formulas": _formulas("\\sqrt{{\\frac{{a_{k}}}{{b}}}}"),
    "deep formulas": "\n\n".join(
        "$$" + "\\frac{" * MAX_MATH_DEPTH + f"x_{i}" + "}{y}" * MAX_MATH_DEPTH + "$$"
        for i in range(MAX_MATH_PER_SECTION)),
}


def main() -> None:
    app = application()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        deck = write_deck(root / "hostile", "hostile")
        for index, (name, answer) in enumerate(CASES.items()):
            card = (f"+++\nid = \"c{index}\"\n+++\n\n::: question.ko\n{name} 질문\n\n"
                    f"::: answer.ko\n{answer}\n\n::: question.en\n{name}\n\n"
                    f"::: answer.en\n{answer}\n")
            write_card(deck, f"{index:02}.md", f"c{index}", body=card)
        library = load_library(root)
        assert not library.issues, [str(i) for i in library.issues]
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        print(f"{'card (at the limits)':22} {'chars':>6} {'first layout':>13} "
              f"{'math slices':>12} {'longest slice':>14} {'2nd longest':>12}")
        for index, name in enumerate(CASES):
            card = library.card(f"c{index}")
            assert card is not None
            view = CardView(MathImages(Path(folder) / f"math{index}"))
            view.resize(1000, 700)
            view.set_mode("both")
            view.show()
            slices: list[float] = []
            original = view._render_pending_math

            def timed(original=original, slices=slices) -> None:  # type: ignore[no-untyped-def]
                start = time.perf_counter()
                original()
                slices.append(time.perf_counter() - start)

            view._render_pending_math = timed  # type: ignore[method-assign]
            start = time.perf_counter()
            view.show_card(card, revealed=True)
            first = time.perf_counter() - start
            deadline = time.perf_counter() + 120
            while view._pending and time.perf_counter() < deadline:
                app.processEvents()
            ranked = [*sorted(slices, reverse=True), 0.0, 0.0]
            print(f"{name:22} {len(card.answer.en):6} {first * 1000:10.0f} ms "
                  f"{len(slices):12} {ranked[0] * 1000:11.0f} ms {ranked[1] * 1000:9.0f} ms")
            view.close()
    QApplication.processEvents()


if __name__ == "__main__":
    main()
