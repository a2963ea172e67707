"""Content that once crashed ``check`` and the GUI, and content that could freeze it: each is a
``path:line`` issue and a skipped file, and every other card still loads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from card_files import write_card

from quizapp.content import load_library
from quizapp.content.limits import (
    MAX_ANSWER_CHARS,
    MAX_CARD_BYTES,
    MAX_MATH_CHARS,
    MAX_MATH_DEPTH,
)
from quizapp.demos import demo_ref_problems


def issues(root: Path) -> list[str]:
    library = load_library(root, validate_demo=demo_ref_problems)
    assert len(library.cards) >= 5, "the good cards must still load"
    return [f"{i.path.relative_to(root)}:{i.line}: {i.message}" for i in library.issues]


def test_a_folder_named_like_a_card(small_content: Path) -> None:
    (small_content / "alpha" / "x.md").mkdir()
    assert issues(small_content) == ["alpha/x.md:1: is a folder, not a file"]


def test_deck_toml_that_is_a_folder(small_content: Path) -> None:
    deck = small_content / "gamma"
    (deck / "deck.toml").mkdir(parents=True)
    write_card(deck, "01.md", "g1")
    assert issues(small_content) == ["gamma/deck.toml:1: is a folder, not a file"]


def test_broken_and_looping_symlinks(small_content: Path) -> None:
    (small_content / "alpha" / "broken.md").symlink_to(small_content / "missing.md")
    loop = small_content / "beta" / "loop.md"
    loop.symlink_to(loop)
    assert issues(small_content) == ["alpha/broken.md:1: broken or looping symbolic link",
                                     "beta/loop.md:1: broken or looping symbolic link"]


def test_links_out_of_the_content_folder_are_not_followed(small_content: Path,
                                                          tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    write_card(secret, "key.md", "stolen", ko="비밀 키 내용", en="private key")
    (small_content / "alpha" / "passwd.md").symlink_to(secret / "key.md")
    (small_content / "outside").symlink_to(secret, target_is_directory=True)
    (secret / "deck.toml").write_text('id = "outside"\n[title]\nko = "밖"\nen = "Out"\n')
    found = issues(small_content)
    assert found == [
        "alpha/passwd.md:1: links to a file outside the content folder; not followed",
        "outside/deck.toml:1: links to a file outside the content folder; not followed"]
    assert load_library(small_content).card("stolen") is None


def test_invalid_utf8_in_deck_toml_names_its_line(small_content: Path) -> None:
    (small_content / "beta" / "deck.toml").write_bytes(
        b'id = "beta"\norder = 2\n[title]\nko = "\xed\xa0\x80"\nen = "B"\n')
    library = load_library(small_content)
    assert [str(i).split("content/")[1] for i in library.issues] == [
        "beta/deck.toml:4: not UTF-8 text (invalid continuation byte at byte 36)"]
    assert [c.deck for c in library.cards] == ["alpha"] * 3  # beta's cards are skipped


def test_toml_nested_hundreds_deep(small_content: Path) -> None:
    nested = "x = " + "[" * 600 + "]" * 600 + "\n"
    write_card(small_content / "alpha", "04.md", "deep", extra=nested)
    # line 3: the nested value itself (tomllib could only say where the front matter starts)
    assert issues(small_content) == ["alpha/04.md:3: invalid TOML: nested too deeply"]


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "3.5"])
def test_demo_presets_that_are_not_usable_numbers(small_content: Path, value: str) -> None:
    write_card(small_content / "alpha", "04.md", "w",
               extra=f'[demo]\nid = "weight-init"\nparams = {{ depth = {value} }}\n')
    [issue] = issues(small_content)
    assert issue.startswith("alpha/04.md:3: demo 'weight-init': depth")
    library = load_library(small_content, validate_demo=demo_ref_problems)
    card = library.card("w")
    assert card is not None and card.demo is None  # loads, without the broken link


def test_integer_beyond_64_bits_is_invalid_toml(small_content: Path) -> None:
    # TOML integers are 64-bit and a reader must refuse what it cannot hold (tomllib did not)
    write_card(small_content / "alpha", "04.md", "w",
               extra=f'[demo]\nid = "weight-init"\nparams = {{ depth = 1{"0" * 400} }}\n')
    assert issues(small_content) == [
        "alpha/04.md:5: invalid TOML: integer number overflowed (column 20)"]


def test_oversized_file_is_refused_before_it_is_read(small_content: Path) -> None:
    path = write_card(small_content / "alpha", "04.md", "big",
                      ko="질문" + "가" * (MAX_CARD_BYTES // 3 + 10))
    size = os.path.getsize(path)
    assert issues(small_content) == [
        f"alpha/04.md:1: file is too large ({size:,} bytes; the limit is {MAX_CARD_BYTES:,})"]


def test_too_long_answer_formula_and_nesting(small_content: Path) -> None:
    alpha = small_content / "alpha"
    question = "Long " + "word " * (MAX_ANSWER_CHARS // 5)
    write_card(alpha, "04.md", "long", en=question)
    write_card(alpha, "05.md", "formula", en="Sum $" + "+".join(["x"] * MAX_MATH_CHARS) + "$")
    deep = "\\frac{" * (MAX_MATH_DEPTH + 1) + "x" + "}{y}" * (MAX_MATH_DEPTH + 1)
    write_card(alpha, "06.md", "nested", en=f"Where\n\n$${deep}$$")
    found = issues(small_content)
    assert found == [
        f"alpha/04.md:12: section 'question.en' is too long ({len(question) + 1:,} "
        "characters; the limit is 1,000)",
        f"alpha/05.md:12: formula is too long ({2 * MAX_MATH_CHARS - 1} characters; the limit "
        f"is {MAX_MATH_CHARS})",
        f"alpha/06.md:14: formula nests {MAX_MATH_DEPTH + 1} deep; the limit is "
        f"{MAX_MATH_DEPTH}",
    ]


@pytest.mark.parametrize(("answer", "message"), [
    ("|a|\n|-|\n" + "|1|\n" * 120, "section 'answer.en' has 122 table rows; the limit is 100"),
    ("x " + "*" * 40 + "y", "40 emphasis markers in a row; the limit is 6"),
    ("[" * 30 + "x" + "]" * 30, "brackets nest 30 deep; the limit is 10"),
    ("$$" + "abcdefghij" * 12 + "$$", "formula is too long (120 symbols; the limit is 100)"),
])
def test_markdown_that_qt_lays_out_slowly_is_refused(small_content: Path, answer: str,
                                                     message: str) -> None:
    body = (f'+++\nid = "slow"\n+++\n\n::: question.ko\n질문\n\n::: answer.ko\n답\n\n'
            f"::: question.en\nQ\n\n::: answer.en\n{answer}\n")
    write_card(small_content / "alpha", "04.md", "slow", body=body)
    [issue] = issues(small_content)
    assert issue == f"alpha/04.md:15: {message}"
