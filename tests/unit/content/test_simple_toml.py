"""The loader's fast reader of simple front matter gives exactly what ``tomllib`` gives, or
gives up (and ``tomllib`` reads the text, with its own messages)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.content import default_content_dir
from quizapp.content.loader import _simple_toml

# Pieces that are (or nearly are) TOML, with the characters where the subset's edges are.
_PIECES = st.sampled_from([
    "id", "tags", "follow_ups", "a-b", "1", "k_", "a.b", '"q"', " ", "\t", "=", " = ", '"',
    "\\", "[", "]", ",", "#", "x", "ㄱ", "경사", "\u3000", "\x00", "\x01", "\x7f", "\x1f",
    "\u00a0", "'", "''", '""', "\\n", "\\u0041", "true", "1.5", "{", "}", "\r",
])
_LINE = st.lists(_PIECES, max_size=12).map("".join)
_VALID_LINE = st.builds(
    lambda key, value, pad: f"{pad}{key}{pad}={pad}{value}{pad}",
    st.sampled_from(["id", "tags", "follow_ups", "sources", "a-b", "x_1"]),
    st.one_of(
        st.text(alphabet=st.characters(blacklist_characters='"\\',
                                       blacklist_categories=("Cs",)), max_size=8)
        .map(lambda t: f'"{t}"'),
        st.lists(st.sampled_from(["a", "\\n", "\\\\", "\\u0041", "\\", "\\t", "경"]),
                 max_size=4).map(lambda parts: '"' + "".join(parts) + '"'),
        st.lists(st.text(alphabet="ab경\t ,[]#", max_size=4).map(lambda t: f'"{t}"'),
                 max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
    ),
    st.sampled_from(["", " ", "\t", "  "]),
)


def check(text: str) -> None:
    simple = _simple_toml(text)
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert simple is None, text
        return
    assert simple is None or simple == expected, text


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(_LINE, _VALID_LINE), max_size=5).map("\n".join))
def test_fast_reader_agrees_with_tomllib(text: str) -> None:
    check(text)


def test_fast_reader_takes_the_usual_front_matter() -> None:
    text = 'id = "c00042"\ntags = ["optimizer", "adam"]\nfollow_ups = ["c00043",]\n\n'
    assert _simple_toml(text) == tomllib.loads(text)
    assert _simple_toml('id = "a"\nid = "b"') is None  # tomllib's duplicate-key message
    for escaped in ('id = "a\\nb"', 'id = "a\\"', 'tags = ["\\u0041"]', 'id = "a" # note'):
        check(escaped)
        assert _simple_toml(escaped) is None


def test_every_shipped_front_matter_reads_the_same() -> None:
    for path in sorted(default_content_dir().glob("*/*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
        check("\n".join(lines[1:end]))
        check(path.read_text(encoding="utf-8").split("+++")[1])
    for path in Path(default_content_dir()).glob("*/deck.toml"):
        check(path.read_text(encoding="utf-8"))
