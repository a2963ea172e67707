"""Content for the quiz and mock-interview screens: cards with quiz material."""

from __future__ import annotations

from pathlib import Path

import pytest
from card_files import write_card, write_deck
from rehearsal_helpers import REHEARSAL_CARDS, toml_list


@pytest.fixture
def rehearsal_content(tmp_path: Path) -> Path:
    """Two decks, five cards with quiz material; r1 → r2 → r3 is a follow-up chain and r1's
    question has a formula."""
    root = tmp_path / "content"
    for order, deck in enumerate(("alpha", "beta"), 1):
        write_deck(root / deck, deck, order=order)
    for number, (card_id, card) in enumerate(REHEARSAL_CARDS.items(), 1):
        deck, tags, follow_ups, qko, qen, ako, aen, kko, ken = card
        extra = (f"tags = {toml_list(tags)}\nfollow_ups = {toml_list(follow_ups)}\n"
                 f'[quiz.answer]\nko = "{ako}"\nen = "{aen}"\n'
                 f"[quiz.distractors]\n"
                 f"ko = {toml_list([f'{card_id} 오답 {n}' for n in (1, 2, 3)])}\n"
                 f"en = {toml_list([f'{card_id} wrong {n}' for n in (1, 2, 3)])}\n"
                 f"[quiz.keywords]\nko = {toml_list(kko)}\nen = {toml_list(ken)}\n")
        write_card(root / deck, f"{number:02d}.md", card_id, extra=extra, ko=qko, en=qen)
    return root
