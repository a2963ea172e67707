"""import FILE.txt/.csv/.tsv: Anki's "Notes in Plain Text" and CSV exports of notes; a review-log
CSV is recognised by its header and left to its own importer."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki_test_files import CURRENT, NOTES_TXT, run_import, snapshot

from quizapp.content import load_library


def cards(content: Path, data: Path) -> dict[str, tuple[str, str, tuple[str, ...], str]]:
    """Imported cards by English question: (question, answer, tags, deck title)."""
    library = load_library(content, user_dir=data / "decks")
    assert library.issues == []
    titles = {d.id: d.title.en for d in library.decks}
    return {c.question.en: (c.question.ko, c.answer.en, c.tags, titles[c.deck])
            for c in library.cards if c.id.startswith("anki-")}


def test_notes_in_plain_text_from_anki(small_content: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    status, out, err = run_import(capsys, NOTES_TXT, data, small_content)
    assert (status, err) == (0, "")
    assert out == ("imported anki_notes.txt: 3 decks (3 new), 5 cards: 5 added, 0 updated, "
                   "0 unchanged, 0 skipped\n")
    found = cards(small_content, data)
    assert found["모멘텀(momentum)은 무엇인가요? $v_t$"][1:] == (
        "**관성**처럼 과거 기울기를 누적합니다.\n\n$$v_t = \\mu v_{t-1} + g_t$$\n\n"
        "- 진동 감소\n- 가속",
        ("ml::basics", "optimizer"), "ML Basics › Optimizers")
    assert found["학습률"][1:] == ("learning rate", ("vocab",), "ML Basics")
    # The text export carries the guids: the same notes from the package are the same cards.
    before = snapshot(data)
    status, out, _ = run_import(capsys, CURRENT, data, small_content)
    assert out.endswith("0 added, 0 updated, 5 unchanged, 0 skipped\n")
    assert snapshot(data) == before


def test_headerless_tab_separated_plain_text(small_content: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "my words.tsv"
    notes.write_text("What is 2*3 $?\t6, costs $5_000\nline with one field\n"
                     "경사 하강법?\t기울기 반대 방향 \\(\\eta\\)\n", encoding="utf-8")
    data = tmp_path / "data"
    status, out, _ = run_import(capsys, notes, data, small_content)
    assert status == 0
    assert out.splitlines() == [
        "imported my words.tsv: 1 deck (1 new), 3 cards: 2 added, 0 updated, 0 unchanged, "
        "1 skipped", "  skipped line 2: fewer than two fields"]
    found = cards(small_content, data)
    assert found["What is 2\\*3 \\$?"] == ("What is 2\\*3 \\$?", "6, costs \\$5\\_000", (),
                                           "my words")
    assert found["경사 하강법?"][1] == "기울기 반대 방향 $\\eta$"
    before = snapshot(data)
    status, out, _ = run_import(capsys, notes, data, small_content)  # ids from deck + question
    assert out.startswith("imported my words.tsv: 1 deck (0 new), 3 cards: 0 added, 0 updated, "
                          "2 unchanged") and snapshot(data) == before


def test_csv_with_a_header_row_and_quoted_lines(small_content: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "export.csv"
    notes.write_text('Front,Back,Tags,Deck\n"Two\nlines?","<b>bold</b>, with comma",t1 t2,'
                     'Parent::Child\nSecond,Answer,,\n', encoding="utf-8")
    data = tmp_path / "data"
    status, out, _ = run_import(capsys, notes, data, small_content)
    assert status == 0 and "2 decks (2 new), 2 cards: 2 added" in out
    found = cards(small_content, data)
    # the fields hold HTML (a <b> tag), where a line break in the source is a space, as in Anki
    assert found["Two lines?"][1:] == ("**bold**, with comma", ("t1", "t2"), "Parent › Child")
    assert found["Second"][3] == "export"


def test_semicolon_separated_csv_is_sniffed(small_content: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "semi.csv"
    notes.write_text("Q1;A1\nQ2;A2, still the answer\n", encoding="utf-8")
    status, out, _ = run_import(capsys, notes, tmp_path / "data", small_content)
    assert status == 0 and "2 added" in out
    assert cards(small_content, tmp_path / "data")["Q2"][1] == "A2, still the answer"


def test_a_review_log_csv_is_not_taken_for_notes(small_content: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "reviews.csv"
    log.write_text("card_id,review_time,review_rating,review_state,review_duration\n"
                   "123,1700000000000,3,0,5000\n", encoding="utf-8")
    data = tmp_path / "data"
    status, out, err = run_import(capsys, log, data, small_content)
    assert (status, err) == (0, "")
    assert out.startswith("imported 1 reviews of 1 cards")  # the review-log importer
    assert not (data / "decks").exists()  # no notes, no decks


@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.json", b"{}", "cannot import this kind of file; expected an Anki package"),
    ("latin1.txt", "Caf\xe9\tanswer\n".encode("latin-1"), "line 1: not UTF-8 text"),
    ("bad.txt", b"#separator:nonsense\nq\ta\n", "unknown separator 'nonsense'"),
])
def test_unreadable_text_files_are_refused(small_content: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str], name: str,
                                           content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    data = tmp_path / "data"
    status, out, err = run_import(capsys, path, data, small_content)
    assert (status, out) == (1, "")
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert snapshot(data) == {}


def test_a_missing_file_is_a_one_line_error(small_content: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_import(capsys, tmp_path / "nope.apkg", tmp_path / "data", small_content)
    assert (status, err) == (1, f"error: {tmp_path / 'nope.apkg'}: no such file\n")
