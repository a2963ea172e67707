"""The user's own decks load beside the shipped ones: new decks, cards added to a shipped deck,
and a user copy of a shipped card that replaces it (same id, so its progress is kept)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from card_files import write_card, write_deck

from quizapp.content import load_library

MAIN = Path(__file__).resolve().parents[3] / "main.py"


def test_user_decks_load_beside_the_shipped_ones(small_content: Path, tmp_path: Path) -> None:
    user = tmp_path / "data" / "decks"
    mine = write_deck(user / "mine", "mine", order=99)
    write_card(mine, "01.md", "u1", ko="내 질문", en="My question")
    extra = write_deck(user / "alpha-extra", "alpha")  # the shipped deck "alpha"
    write_card(extra, "01.md", "a9", ko="추가", en="Added")
    write_card(extra, "02.md", "a2", ko="고친 네스테로프", en="Edited Nesterov")  # user copy
    library = load_library(small_content, user_dir=user)
    assert library.issues == []
    assert [d.id for d in library.decks] == ["alpha", "beta", "mine"]
    assert [c.id for c in library.cards_in("alpha")] == ["a1", "a2", "a3", "a9"]
    a2 = library.card("a2")
    assert a2 is not None and a2.question.ko == "고친 네스테로프" and library.is_user_card(a2)
    a1 = library.card("a1")
    assert a1 is not None and not library.is_user_card(a1)


def test_duplicate_ids_among_user_cards_are_reported(small_content: Path,
                                                      tmp_path: Path) -> None:
    user = tmp_path / "decks"
    mine = write_deck(user / "mine", "mine")
    write_card(mine, "01.md", "a1", ko="첫 사본", en="First copy")
    write_card(mine, "02.md", "a1", ko="둘째 사본", en="Second copy")
    library = load_library(small_content, user_dir=user)
    [issue] = library.issues
    assert issue.path.name == "02.md" and "duplicate card id 'a1'" in issue.message
    a1 = library.card("a1")
    assert a1 is not None and a1.question.ko == "첫 사본"


def test_check_validates_the_users_decks_too(small_content: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    broken = write_card(write_deck(data / "decks" / "mine", "mine"), "01.md", "u1",
                        body='+++\nid = "u1"\n+++\n::: question.ko\n질문\n')
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, str(MAIN), "check", "--content",
                             str(small_content), "--data-dir", str(data), "--json"],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 1
    [error] = json.loads(result.stdout)["errors"]
    assert error["path"] == str(broken) and error["message"].startswith("missing section")
