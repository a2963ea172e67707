"""Size limits that keep a hostile or runaway card from freezing the app.

Cards are data from anyone. Qt's rich text, Markdown parsing and matplotlib's mathtext all slow
down sharply on huge or deeply nested input (a 5 MB answer took minutes to lay out, one formula
of 3,000 terms 25 s), so the loader refuses a card beyond these limits with a ``path:line``
message, and the app never sees it. The figures leave ample room: the longest shipped answer is
about 2,100 characters, the longest formula about 230 characters (71 symbols), the deepest
brace nesting 3.
Measured render times at the limits are in ``tests/benchmarks/bench_hostile_content.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

#: A card file (front matter and the four sections).
MAX_CARD_BYTES = 64 * 1024
#: A ``deck.toml``.
MAX_DECK_BYTES = 16 * 1024
#: Characters in a question section and in an answer section.
MAX_QUESTION_CHARS = 1_000
MAX_ANSWER_CHARS = 4_000
#: Markdown structure that Qt lays out slowly: table rows, and runs of emphasis markers or
#: nested brackets (both parse into thousands of nested elements).
MAX_TABLE_ROWS = 100
MAX_MARKER_RUN = 6
MAX_BRACKET_DEPTH = 10
#: One ``$...$`` / ``$$...$$`` formula: characters, symbols (a ``\command`` counts as one;
#: braces and spaces as none — mathtext's time grows with them, ~1 ms each, and sharply with
#: ``\frac``/``\sqrt`` nesting), brace nesting, and formulas per section.
MAX_MATH_CHARS = 400
MAX_MATH_SYMBOLS = 100
MAX_MATH_DEPTH = 8
MAX_MATH_PER_SECTION = 40
#: A quiz string (short answer, distractor, keyword).
MAX_QUIZ_CHARS = 1_000

_SHORT_FORMULA = min(MAX_MATH_CHARS, MAX_MATH_SYMBOLS, MAX_MATH_DEPTH)
_MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)
_COMMAND = re.compile(r"\\[a-zA-Z]+")
_SPACE_OR_BRACE = re.compile(r"[{}\s]")
_MARKER_RUN = re.compile(rf"[*_~]{{{MAX_MARKER_RUN + 1},}}")


def section_problems(name: str, text: str) -> Iterator[tuple[int, str]]:
    """Problems of one section as ``(line offset within the section, message)``."""
    limit = MAX_QUESTION_CHARS if name.startswith("question") else MAX_ANSWER_CHARS
    if len(text) > limit:
        yield 0, f"section '{name}' is too long ({len(text):,} characters; the limit is {limit:,})"
        return
    # Each table row holds a "|": with few of them there cannot be too many rows (the exact
    # figures below are only worked out when they might be over a limit).
    rows = (0 if text.count("|") <= MAX_TABLE_ROWS else
            sum(1 for line in text.splitlines() if line.lstrip().startswith("|")))
    if rows > MAX_TABLE_ROWS:
        yield 0, f"section '{name}' has {rows} table rows; the limit is {MAX_TABLE_ROWS}"
        return
    if _may_have_marker_run(text) and (run := _MARKER_RUN.search(text)):
        yield (text.count("\n", 0, run.start()),
               f"{len(run.group())} emphasis markers in a row; the limit is {MAX_MARKER_RUN}")
        return
    if text.count("[") > MAX_BRACKET_DEPTH and (depth := _bracket_depth(text)) > MAX_BRACKET_DEPTH:
        yield 0, f"brackets nest {depth} deep; the limit is {MAX_BRACKET_DEPTH}"
        return
    formulas = _MATH.findall(text)
    if len(formulas) > MAX_MATH_PER_SECTION:
        yield 0, (f"section '{name}' has {len(formulas)} formulas; the limit is "
                  f"{MAX_MATH_PER_SECTION}")
        return
    for index, (display, inline) in enumerate(formulas):
        tex = display or inline
        if len(tex) <= _SHORT_FORMULA:  # within every limit below (each counts characters)
            continue
        problem = _formula_problem(tex)
        if problem is not None:
            start = next(islice(_MATH.finditer(text), index, None)).start()
            yield text.count("\n", 0, start), problem


_MARKERS_AS_STARS = bytes.maketrans(b"_~", b"**")


def _may_have_marker_run(text: str) -> bool:
    """False when ``text`` surely has no run of more than MAX_MARKER_RUN emphasis markers (a
    cheaper test than the regular expression: in UTF-8 these ASCII bytes stand for themselves
    only)."""
    if text.count("*") + text.count("_") + text.count("~") <= MAX_MARKER_RUN:
        return False
    return b"*" * (MAX_MARKER_RUN + 1) in text.encode("utf-8", "surrogatepass").translate(
        _MARKERS_AS_STARS)


def _formula_problem(tex: str) -> str | None:
    if len(tex) > MAX_MATH_CHARS:
        return f"formula is too long ({len(tex)} characters; the limit is {MAX_MATH_CHARS})"
    if len(tex) > MAX_MATH_SYMBOLS and (symbols := math_symbols(tex)) > MAX_MATH_SYMBOLS:
        return f"formula is too long ({symbols} symbols; the limit is {MAX_MATH_SYMBOLS})"
    if (tex.count("{") + tex.count("\\left") > MAX_MATH_DEPTH
            and (depth := _nesting(tex)) > MAX_MATH_DEPTH):
        return f"formula nests {depth} deep; the limit is {MAX_MATH_DEPTH}"
    return None


def math_symbols(tex: str) -> int:
    """How many symbols mathtext lays out for ``tex``, roughly: each ``\\command`` is one, braces
    and spaces are none."""
    return len(_SPACE_OR_BRACE.sub("", _COMMAND.sub("c", tex)))


_BRACKET = re.compile(r"[\[\]]")


def _bracket_depth(text: str) -> int:
    """The deepest nesting of ``[``/``]`` in Markdown text (links, images, literal brackets)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(text):
        if match.group() == "[":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest


def _nesting(tex: str) -> int:
    """The deepest nesting of braces and ``\\left``/``\\right`` pairs in ``tex``."""
    depth = deepest = 0
    for token in re.findall(r"\\left|\\right|(?<!\\)[{}]", tex):
        depth += 1 if token in ("{", "\\left") else -1
        deepest = max(deepest, depth)
    return deepest
