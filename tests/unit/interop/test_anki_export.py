"""export --apkg: an Anki package whose notes, fields, decks, note type and guids are checked
by opening its collection with sqlite3 — and, when Anki's own library is available, by
importing it into Anki (tests/reference/verify_apkg_with_anki.py)."""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import genanki
import pytest
from card_files import write_card, write_deck

from quizapp.cli import main
from quizapp.interop.anki_model import (
    FIELDS,
    MODEL_ID,
    MODEL_NAME,
    ROOT_DECK,
    ROOT_DECK_ID,
    anki_deck_id,
    note_guid,
)

ROOT = Path(__file__).resolve().parents[3]
VERIFY = ROOT / "tests" / "reference" / "verify_apkg_with_anki.py"


@pytest.fixture
def content(small_content: Path) -> Path:
    """The small content plus a card with display math, a list, a table, spaced tags and
    sources."""
    write_card(small_content / "beta", "03.md", "b3",
               body='+++\nid = "b3"\ntags = ["batch norm", "정규화"]\n'
                    'sources = ["ref: Ioffe & Szegedy 2015"]\n+++\n\n'
                    "::: question.ko\n배치 정규화의 식은?\n\n"
                    "::: answer.ko\n평균과 분산으로 정규화합니다:\n\n"
                    "$$\\hat{x} = \\frac{x - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}}$$\n\n"
                    "- 학습: 배치 통계\n- 추론: 이동 평균\n\n"
                    "| 단계 | 통계 |\n| --- | --- |\n| 학습 | 배치 |\n\n"
                    "::: question.en\nWhat is the BatchNorm formula?\n\n"
                    "::: answer.en\nNormalize with $\\mu$ and $\\sigma^2$ <b>then</b> scale.\n")
    return small_content


def export(content: Path, target: Path, *extra: str) -> int:
    return main(["export", "--apkg", str(target), "--content", str(content), *extra])


def collection(package: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(package) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        database = tmp_path / f"{package.stem}.anki2"
        database.write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(database)


def notes(connection: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Every note by its ID field: guid, model, fields by name, tags, deck name."""
    models = json.loads(connection.execute("SELECT models FROM col").fetchone()[0])
    decks = json.loads(connection.execute("SELECT decks FROM col").fetchone()[0])
    found = {}
    for guid, mid, flds, tags, did, due in connection.execute(
            "SELECT n.guid, n.mid, n.flds, n.tags, c.did, c.due FROM notes n "
            "JOIN cards c ON c.nid = n.id ORDER BY c.due"):
        model = models[str(mid)]
        values = dict(zip([f["name"] for f in model["flds"]], flds.split("\x1f"), strict=True))
        found[values["ID"]] = {"guid": guid, "model": model, "fields": values,
                               "tags": tags.split(), "deck": decks[str(did)]["name"],
                               "deck_id": did, "due": due}
    return found


def test_export_writes_one_note_per_card_with_both_languages(content: Path,
                                                             tmp_path: Path) -> None:
    package = tmp_path / "out" / "cards.apkg"
    assert export(content, package) == 0
    found = notes(collection(package, tmp_path))
    assert list(found) == ["a1", "a2", "a3", "b1", "b2", "b3"]  # the app's order (due)
    a1 = found["a1"]
    assert a1["guid"] == note_guid("a1") == genanki.guid_for("quizapp-card", "a1")
    assert a1["model"]["id"] == str(MODEL_ID) and a1["model"]["name"] == MODEL_NAME
    assert [f["name"] for f in a1["model"]["flds"]] == list(FIELDS)
    assert a1["fields"]["Question (ko)"] == "<p>모멘텀 \\(v_t\\) 란?</p>"
    assert a1["fields"]["Question (en)"] == (  # math keeps its punctuation on its line
        '<p>What is momentum <span style="white-space: nowrap">\\(v_t\\)?</span></p>')
    assert a1["fields"]["Answer (ko)"] == "<p>모멘텀 \\(v_t\\) 란?의 답</p>"
    assert a1["deck"] == f"{ROOT_DECK}::덱 alpha (Deck alpha)"
    assert a1["deck_id"] == anki_deck_id("alpha")
    b3 = found["b3"]["fields"]
    assert "\\[\\hat{x} = \\frac{x - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}}\\]" in b3["Answer (ko)"]
    assert "<li>학습: 배치 통계</li>" in b3["Answer (ko)"] and "<table>" in b3["Answer (ko)"]
    assert "\\(\\mu\\)" in b3["Answer (en)"] and "&lt;b&gt;then&lt;/b&gt;" in b3["Answer (en)"]
    assert "$" not in "".join(b3.values())
    assert b3["Source"] == "ref: Ioffe &amp; Szegedy 2015"
    assert sorted(found["b3"]["tags"]) == ["batch_norm", "정규화"]


def test_decks_are_nested_under_one_parent_with_stable_ids(content: Path,
                                                           tmp_path: Path) -> None:
    package = tmp_path / "cards.apkg"
    assert export(content, package) == 0
    decks = json.loads(collection(package, tmp_path).execute(
        "SELECT decks FROM col").fetchone()[0])
    names = {int(key): deck["name"] for key, deck in decks.items()}
    assert names[ROOT_DECK_ID] == ROOT_DECK
    assert names[anki_deck_id("alpha")] == f"{ROOT_DECK}::덱 alpha (Deck alpha)"
    assert names[anki_deck_id("beta")] == f"{ROOT_DECK}::덱 beta (Deck beta)"


def test_two_exports_use_the_same_guids_and_ids(content: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "1.apkg", tmp_path / "2.apkg"
    assert export(content, first) == 0
    (content / "alpha" / "03.md").unlink()
    assert export(content, second) == 0
    one, two = notes(collection(first, tmp_path)), notes(collection(second, tmp_path))
    assert set(two) == set(one) - {"a3"}
    for card_id, note in two.items():
        assert (note["guid"], note["model"]["id"], note["deck_id"]) == \
            (one[card_id]["guid"], one[card_id]["model"]["id"], one[card_id]["deck_id"])


def test_deck_option_exports_only_those_decks(content: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    package = tmp_path / "beta.apkg"
    assert export(content, package, "--deck", "beta") == 0
    assert capsys.readouterr().out.strip() == f"wrote {package}: 3 cards in 1 deck"
    assert list(notes(collection(package, tmp_path))) == ["b1", "b2", "b3"]


def test_user_decks_are_exported_too(content: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_card(write_deck(data / "decks" / "mine", "mine", order=9), "01.md", "u1",
               ko="내 질문", en="My question")
    package = tmp_path / "all.apkg"
    assert main(["export", "--apkg", str(package), "--content", str(content),
                 "--data-dir", str(data)]) == 0
    assert notes(collection(package, tmp_path))["u1"]["deck"] == f"{ROOT_DECK}::덱 mine (Deck mine)"


@pytest.mark.parametrize(("args", "status", "message"), [
    (["--deck", "nope"], 1, "error: unknown deck 'nope'; decks: alpha, beta"),
    ([], 2, "error: say what to write: --apkg FILE or --reviews FILE.csv"),
])
def test_bad_export_arguments_say_so_in_one_line(content: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 args: list[str], status: int,
                                                 message: str) -> None:
    target = ["--apkg", str(tmp_path / "x.apkg")] if status == 1 else []
    assert main(["export", *target, "--content", str(content), *args]) == status
    assert capsys.readouterr().err.strip() == message
    assert not (tmp_path / "x.apkg").exists()


def test_export_into_a_folder_is_refused(content: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert export(content, tmp_path) == 1
    assert "is a folder" in capsys.readouterr().err


def _anki_python() -> str:
    if importlib.util.find_spec("anki") is not None:
        return sys.executable
    configured = os.environ.get("ANKI_PYTHON", "")
    if configured and Path(configured).exists():
        return configured
    pytest.skip("Anki's Python library is not installed; set ANKI_PYTHON to an interpreter "
                "that has it (see tests/reference/verify_apkg_with_anki.py)")


def test_anki_imports_the_export(content: Path, tmp_path: Path) -> None:
    """Anki's own importer finds every card (runs only where Anki's library is installed)."""
    anki_python = _anki_python()
    package, cards = tmp_path / "cards.apkg", tmp_path / "cards.json"
    assert export(content, package) == 0
    checked = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", "--json",
                              "--content", str(content)], capture_output=True, text=True,
                             timeout=120)
    cards.write_text(checked.stdout, encoding="utf-8")
    result = subprocess.run([anki_python, str(VERIFY), str(package), str(cards)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("OK")
    assert "first import: 6 new" in result.stdout
