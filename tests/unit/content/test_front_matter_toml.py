"""The loader reads TOML with rtoml (Rust, ~9x faster than ``tomllib`` on the shipped front
matter): it must give exactly what ``tomllib`` gives for every text ``tomllib`` reads, and turn
every text it refuses into a ``line: invalid TOML: ...`` problem on a line of that text."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.content import default_content_dir
from quizapp.content.loader import _FileError, _parse_toml

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


#: Escapes TOML 1.1 adds (rtoml reads them; tomllib, TOML 1.0, refuses them).
_TOML_1_1_ESCAPES = ("\\e", "\\x")


def check(text: str, first_line: int = 2) -> None:
    try:
        expected = tomllib.loads(text)
    except RecursionError:
        return
    except tomllib.TOMLDecodeError:
        try:
            _parse_toml(text, first_line)
        except _FileError as problem:
            assert problem.message.startswith("invalid TOML: "), problem.message
            assert first_line <= problem.line < first_line + max(1, text.count("\n") + 1)
        else:
            assert any(escape in text for escape in _TOML_1_1_ESCAPES), text
        return
    assert _parse_toml(text, first_line) == expected, text


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(_LINE, _VALID_LINE), max_size=5).map("\n".join))
def test_reads_what_tomllib_reads(text: str) -> None:
    check(text)


@pytest.mark.parametrize(("text", "line", "message"), [
    ('id = "a"\nid = "b"', 3, "invalid TOML: duplicate key (column 1)"),
    ('id = "a"\ntags = ["x",\nfollow_ups = []', 4, "invalid TOML: unexpected `=` in array, "
                                                    "expected value, `]` (column 12)"),
    ('id = "a', 2, 'invalid TOML: invalid basic string, expected `"` (column 8)'),
    ("a = " + "[" * 500 + "]" * 500, 2, "invalid TOML: nested too deeply"),
])
def test_problems_say_the_line_of_the_card_file(text: str, line: int, message: str) -> None:
    with pytest.raises(_FileError) as raised:
        _parse_toml(text, first_line=2)
    assert (raised.value.line, raised.value.message) == (line, message)


def test_the_usual_front_matter() -> None:
    text = 'id = "c00042"\ntags = ["optimizer", "adam"]\nfollow_ups = ["c00043",]\n\n'
    assert _parse_toml(text, 2) == {"id": "c00042", "tags": ["optimizer", "adam"],
                                    "follow_ups": ["c00043"]}
    for escaped in ('id = "a\\nb"', 'id = "a\\"', 'tags = ["\\u0041"]', 'id = "a" # note'):
        check(escaped)


def test_every_shipped_front_matter_reads_the_same() -> None:
    for path in sorted(default_content_dir().glob("*/*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
        check("\n".join(lines[1:end]))
    for path in Path(default_content_dir()).glob("*/deck.toml"):
        check(path.read_text(encoding="utf-8"), first_line=1)
