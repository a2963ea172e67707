"""Write small card and deck files for tests (a valid card unless ``body`` says otherwise)."""

from __future__ import annotations

import textwrap
from pathlib import Path


def write_card(folder: Path, name: str, card_id: str, *, extra: str = "", ko: str = "질문",
               en: str = "Question", body: str | None = None) -> Path:
    """Write a small valid card file (or one with a custom ``body``) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    if body is None:
        body = (f"+++\nid = \"{card_id}\"\n{extra}+++\n\n::: question.ko\n{ko}\n\n"
                f"::: answer.ko\n{ko}의 답\n\n::: question.en\n{en}\n\n::: answer.en\n"
                f"Answer to {en}\n")
    path = folder / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def write_deck(folder: Path, deck_id: str, order: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "deck.toml").write_text(
        f'id = "{deck_id}"\norder = {order}\n[title]\nko = "덱 {deck_id}"\nen = "Deck {deck_id}"\n',
        encoding="utf-8")
    return folder
