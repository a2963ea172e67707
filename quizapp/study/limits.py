"""Daily new-card limits: what has been introduced today, and how many more may come.

The limits are the settings' all-decks and per-deck figures, plus what the user added for today
only ("study N more new cards today", Anki's custom study), kept in the config table under
``EXTRA_KEY`` with the study day it applies to.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from quizapp.content import Library
from quizapp.store import ProgressStore
from quizapp.study.queue import NewAllowance, StudySettings

EXTRA_KEY = "new_cards_extra_today"


def new_allowance(library: Library, store: ProgressStore, settings: StudySettings,
                  day_start: datetime) -> NewAllowance:
    """How many new cards may still be introduced in the study day that began at
    ``day_start``: in all decks together, and in each deck."""
    introduced = store.new_cards_reviewed_since(day_start)
    per_deck = Counter(card.deck for cid in introduced if (card := library.card(cid)))
    extra = _extra_today(store, day_start)
    extra_decks: dict[str, int] = extra.get("decks", {})
    total = settings.new_per_day + int(extra.get("all", 0)) - len(introduced)
    decks = {deck.id: settings.deck_limit(deck.id) + int(extra_decks.get(deck.id, 0))
             - per_deck[deck.id] for deck in library.decks}
    return NewAllowance(total=max(0, total), decks={k: max(0, v) for k, v in decks.items()})


def add_new_today(store: ProgressStore, day_start: datetime, deck_id: str | None,
                  count: int) -> None:
    """Let ``count`` more new cards come today, in ``deck_id`` (and in all decks together), or
    in all decks when ``deck_id`` is None. Only for the study day that began at ``day_start``."""
    extra = _extra_today(store, day_start)
    extra["day"] = day_start.isoformat()
    extra["all"] = int(extra.get("all", 0)) + count
    if deck_id is not None:
        decks = extra.setdefault("decks", {})
        decks[deck_id] = int(decks.get(deck_id, 0)) + count
    store.set_setting(EXTRA_KEY, extra)


def _extra_today(store: ProgressStore, day_start: datetime) -> dict[str, Any]:
    stored = store.get_setting(EXTRA_KEY, {})
    if not isinstance(stored, dict) or stored.get("day") != day_start.isoformat():
        return {}
    return stored
