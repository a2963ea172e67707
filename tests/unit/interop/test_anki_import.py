"""import FILE.apkg: packages written by Anki (anki21b and legacy) and by genanki become user
decks; re-importing updates, never duplicates; our own notes come back to their cards."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import genanki
import pytest
from anki_test_files import (
    CURRENT,
    LEGACY,
    LEGACY21,
    edited_current,
    run_import,
    snapshot,
)

from quizapp.cli import main
from quizapp.content import load_library
from quizapp.content.markup import to_html
from quizapp.content.model import Library

MAIN = Path(__file__).resolve().parents[3] / "main.py"


def library(content: Path, data: Path) -> Library:
    return load_library(content, user_dir=data / "decks")


def test_current_anki_package_becomes_user_decks(small_content: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    status, out, err = run_import(capsys, CURRENT, data, small_content)
    assert (status, err) == (0, "")
    assert out == ("imported anki_current.apkg: 3 decks (3 new), 5 cards: 5 added, "
                   "0 updated, 0 unchanged, 0 skipped\n")
    loaded = library(small_content, data)
    assert loaded.issues == []
    imported = {d.title.en: d for d in loaded.decks if d.id.startswith("anki-")}
    assert set(imported) == {"ML Basics › Optimizers", "ML Basics", "한국어 덱"}
    assert re.fullmatch(r"anki-ml-basics-optimizers-[0-9a-f]{6}",
                        imported["ML Basics › Optimizers"].id)
    assert re.fullmatch(r"anki-[0-9a-f]{8}", imported["한국어 덱"].id)
    assert all(d.title.ko == d.title.en for d in imported.values())

    def card(deck: str, index: int):  # the index-th card of a deck, in Anki's order
        return loaded.cards_in(imported[deck].id)[index]

    momentum = card("ML Basics › Optimizers", 0)
    assert re.fullmatch(r"anki-[0-9a-f]{12}", momentum.id)
    assert momentum.question.ko == momentum.question.en == "모멘텀(momentum)은 무엇인가요? $v_t$"
    assert momentum.answer.ko == ("**관성**처럼 과거 기울기를 누적합니다.\n\n"
                                  "$$v_t = \\mu v_{t-1} + g_t$$\n\n- 진동 감소\n- 가속")
    assert momentum.tags == ("ml::basics", "optimizer")
    adam = card("ML Basics › Optimizers", 1)
    assert adam.question.en == "What does *Adam* combine?"
    assert adam.answer.en == ("Momentum and RMSProp; default `lr=1e-3`, costs \\$5 \\* 2. "
                              "Adam diagram")  # the image's alt text; the script is gone
    cloze = card("ML Basics", 0)
    assert cloze.question.en == "\\[...\\] randomly zeroes activations with probability $p$."
    assert cloze.answer.en == ("**Dropout** randomly zeroes activations with probability $p$."
                               "\n\nTurned off at inference.")
    vocab = card("ML Basics", 1)
    assert (vocab.question.ko, vocab.answer.ko) == ("학습률", "learning rate")
    assert card("한국어 덱", 0).answer.ko == "데이터 늘리기, 규제, 조기 종료"


def test_importing_again_updates_and_never_duplicates(small_content: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    run_import(capsys, CURRENT, data, small_content)
    before = snapshot(data)
    for package in (CURRENT, LEGACY21):  # the same notes, in the legacy format too
        status, out, _ = run_import(capsys, package, data, small_content)
        assert status == 0
        assert out.endswith("0 added, 0 updated, 5 unchanged, 0 skipped\n")
        assert snapshot(data) == before
    edited = edited_current(tmp_path / "edited.apkg", tmp_path,
                            "UPDATE notes SET flds = replace(flds, '가속', '<i>가속</i> (EDITED)'),"
                            " tags = ' optimizer edited ' WHERE tags LIKE '%ml::basics%'")
    status, out, _ = run_import(capsys, edited, data, small_content)
    assert out.endswith("3 decks (0 new), 5 cards: 0 added, 1 updated, 4 unchanged, 0 skipped\n")
    after = snapshot(data)
    assert set(after) == set(before)  # the same files: the card was updated in place
    [changed] = [name for name in after if after[name] != before[name]]
    text = (data / changed).read_text(encoding="utf-8")
    assert "- *가속* (EDITED)" in text and 'tags = ["optimizer", "edited"]' in text


def test_legacy_genanki_package(small_content: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    status, out, _ = run_import(capsys, LEGACY, data, small_content)
    assert status == 0 and "2 decks (2 new), 3 cards: 3 added" in out
    loaded = library(small_content, data)
    assert loaded.issues == []
    titles = sorted(d.title.ko for d in loaded.decks if d.id.startswith("anki-"))
    assert titles == ["Legacy Deck", "Legacy Deck › Sub"]
    by_question = {c.question.en: c for c in loaded.cards if c.id.startswith("anki-")}
    cloze = by_question["\\[a layer\\] normalizes activations per mini-batch."]
    assert cloze.answer.en == "**Batch normalization** normalizes activations per mini-batch."
    gradient = by_question["경사 하강법이란? $\\theta \\leftarrow \\theta - \\eta \\nabla L$"]
    assert gradient.answer.ko == "손실의 **기울기 반대 방향**으로 이동합니다." and \
        gradient.tags == ("legacy",)
    rate = by_question["What is a *learning rate*?"]
    assert rate.answer.en == "The step size.\n\nToo large: divergence."


def test_a_colpkg_is_read_like_an_apkg(small_content: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    colpkg = tmp_path / "collection.colpkg"
    shutil.copy(CURRENT, colpkg)
    status, out, _ = run_import(capsys, colpkg, tmp_path / "data", small_content)
    assert status == 0 and "5 cards: 5 added" in out


def test_imported_cards_are_checked_and_counted(small_content: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(MAIN), *args, "--content", str(small_content),
                               "--data-dir", str(data)], capture_output=True, text=True,
                              timeout=180, env=env)

    imported = run("import", str(CURRENT))
    assert imported.returncode == 0, imported.stderr
    checked = json.loads(run("check", "--json").stdout)
    assert checked["errors"] == []
    assert len(checked["cards"]) == 5 + 5
    assert sum(d["cards"] for d in checked["decks"] if d["id"].startswith("anki-")) == 5
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["cards"] == stats["new"] == 10


def _export(content: Path, target: Path) -> Path:
    assert main(["export", "--apkg", str(target), "--content", str(content)]) == 0
    return target


def test_our_own_export_comes_back_unchanged(small_content: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    package = _export(small_content, tmp_path / "ours.apkg")
    capsys.readouterr()
    data = tmp_path / "data"
    status, out, _ = run_import(capsys, package, data, small_content)
    assert status == 0
    assert out == ("imported ours.apkg: 2 decks (0 new), 5 cards: 0 added, 0 updated, "
                   "5 unchanged, 0 skipped\n")
    assert snapshot(data) == {}  # nothing to write


def test_an_edited_note_of_ours_becomes_a_user_copy_of_its_card(
        small_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = _export(small_content, tmp_path / "ours.apkg")
    capsys.readouterr()
    with zipfile.ZipFile(package) as archive:
        database = tmp_path / "ours.anki2"
        database.write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(database) as connection:  # edited in Anki: the English answer
        flds = connection.execute("SELECT flds FROM notes WHERE flds LIKE '%\x1fa1'").fetchone()[0]
        fields = flds.split("\x1f")
        fields[3] = "Edited <b>in Anki</b> \\(x^2\\)"
        connection.execute("UPDATE notes SET flds = ? WHERE flds = ?", ("\x1f".join(fields), flds))
    connection.close()
    edited = tmp_path / "edited.apkg"
    with zipfile.ZipFile(edited, "w") as archive:
        archive.write(database, "collection.anki2")
    data = tmp_path / "data"
    status, out, _ = run_import(capsys, edited, data, small_content)
    assert out.endswith("2 decks (1 new), 5 cards: 1 added, 0 updated, 4 unchanged, 0 skipped\n")
    loaded = library(small_content, data)
    assert loaded.issues == []
    a1 = loaded.card("a1")
    assert a1 is not None and loaded.is_user_card(a1)
    assert (a1.deck, a1.answer.en) == ("alpha", "Edited **in Anki** $x^2$")
    assert a1.question.ko == "모멘텀 $v_t$ 란?" and a1.follow_ups == ("a2",)  # kept
    assert [c.id for c in loaded.cards_in("alpha")] == ["a1", "a2", "a3"]
    assert [p.name for p in (data / "decks").iterdir()] == ["alpha"]
    status, out, _ = run_import(capsys, edited, data, small_content)  # again: nothing new
    assert status == 0 and out.endswith("0 added, 0 updated, 5 unchanged, 0 skipped\n")


def _genanki_package(target: Path, rows: list[tuple[str, str]],
                     deck: str = "Limits", tags: tuple[str, ...] = ()) -> Path:
    anki_deck = genanki.Deck(1_300_000_000, deck)
    for index, (front, back) in enumerate(rows):
        anki_deck.add_note(genanki.Note(model=genanki.BASIC_MODEL, fields=[front, back],
                                        guid=genanki.guid_for("test", index), tags=list(tags)))
    genanki.Package(anki_deck).write_to_file(str(target))
    return target


def test_cards_beyond_the_loaders_limits_are_skipped_and_counted(
        small_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = _genanki_package(tmp_path / "limits.apkg", [
        ("Fine question?", "Fine answer."),
        ("Long answer?", "x " * 2500),
        ("Empty answer?", ""),
        ("Huge formula?", "\\(" + "+".join(["a"] * 300) + "\\)"),
        ("Bold text?", "a <b><i>x</i></b> and ***"),
        ("Fine question?", "Same question twice is a different note (own guid)."),
    ])
    data = tmp_path / "data"
    status, out, _ = run_import(capsys, package, data, small_content)
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == ("imported limits.apkg: 1 deck (1 new), 6 cards: 3 added, 0 updated, "
                        "0 unchanged, 3 skipped")
    assert "section 'answer.ko' is too long (5,000 characters; the limit is 4,000)" in lines[1]
    assert lines[2].endswith(": empty answer")
    assert "formula is too long" in lines[3]
    assert library(small_content, data).issues == []


def test_nothing_in_a_note_can_break_the_card_file(small_content: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    hostile = ('line<br>+++<br>id = "evil"<br>+++<br>::: answer.en<br>not a section<br>'
               '"""\' \\u0000 \x7f')
    package = _genanki_package(tmp_path / "hostile.apkg", [(hostile, hostile)],
                               deck='Evil "deck"::\nname', tags=('a"b', "c\\d", "bell\x07"))
    data = tmp_path / "data"
    status, out, _ = run_import(capsys, package, data, small_content)
    assert status == 0 and "1 added" in out
    loaded = library(small_content, data)
    assert loaded.issues == []
    [card] = [c for c in loaded.cards if c.id.startswith("anki-")]
    assert card.question.en.splitlines()[1:5] == ["\\+++\\", 'id = "evil"\\', "\\+++\\",
                                                  "\\::: answer.en\\"]
    assert "<p>line<br />\n+++<br />\nid = &quot;evil&quot;<br />\n+++<br />\n::: answer.en" \
        in to_html(card.answer.en)
    assert card.tags == ('a"b', "c\\d")  # a tag with a control character is dropped
    assert [d.title.en for d in loaded.decks if d.id.startswith("anki-")] == ['Evil "deck" › name']
