"""Writing the user's own cards: a new card, or an edit, saved as a card file in the user's
decks (``<data dir>/decks``) after the loader's own rules have accepted it.

A shipped card is never written: editing one saves a user copy with the same id in the user
folder of its deck, which the loader puts in its place (progress is keyed by id, so it stays).
A user deck folder that extends a shipped deck gets a ``deck.toml`` with that deck's id, order
and titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from quizapp.content.loader import ID_RE, DemoValidator, card_file_problem, deck_folders
from quizapp.content.model import Card, Library
from quizapp.content.writer import card_file_text, deck_file_text, write_atomically
from quizapp.errors import UserError

MAX_ID_LENGTH = 60


class CardEditError(UserError):
    """A card the loader would refuse: ``str(err)`` says what and where (``path:line: ...``
    or the field)."""


@dataclass(frozen=True)
class SavedCard:
    """Where a card was written, and the user file it replaced in another deck, if any."""

    path: Path
    removed: Path | None = None


def new_card_id(library: Library, question_en: str) -> str:
    """A well-formed id no card has, from the English question ("What is dropout?" ->
    "my-what-is-dropout")."""
    slug = re.sub(r"[^a-z0-9]+", "-", question_en.lower()).strip("-")[:MAX_ID_LENGTH - 10]
    base = f"my-{slug.strip('-') or 'card'}"
    candidate, number = base, 1
    while library.card(candidate) is not None:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def save_card(library: Library, card: Card, user_dir: Path,
              original: Card | None = None,
              validate_demo: DemoValidator | None = None) -> SavedCard:
    """Check ``card`` as the loader would and write it into ``user_dir``. ``original`` is the
    card being edited (None for a new card). Raises ``CardEditError`` and writes nothing when
    anything is wrong."""
    _check_links(library, card, original, validate_demo)
    deck = library.deck(card.deck)
    if deck is None:
        raise CardEditError(f"deck: no deck '{card.deck}'")
    folder = deck_folders(user_dir).get(deck.id, user_dir / _free_folder(user_dir, deck.id))
    editing_user_file = (original is not None and library.is_user_card(original)
                         and original.path is not None)
    if editing_user_file and original is not None and original.path is not None \
            and original.path.parent == folder:
        path = original.path
    else:
        name = original.path.name if original is not None and original.path else f"{card.id}.md"
        path = folder / name
        if path.exists():
            path = folder / f"{card.id}.md"
    text = card_file_text(card)
    problem = card_file_problem(text, path)
    if problem is not None:
        raise CardEditError(f"{path}:{problem.removeprefix('line ')}")
    if not (folder / "deck.toml").exists():
        write_atomically(folder / "deck.toml", deck_file_text(deck))
    write_atomically(path, text)
    removed = None
    if editing_user_file and original is not None and original.path is not None \
            and original.path != path:
        original.path.unlink(missing_ok=True)  # the card moved to another deck
        removed = original.path
    return SavedCard(path, removed)


def _check_links(library: Library, card: Card, original: Card | None,
                 validate_demo: DemoValidator | None) -> None:
    if not ID_RE.match(card.id) or len(card.id) > MAX_ID_LENGTH:
        raise CardEditError(f"id: '{card.id}' is not an id (lowercase letters, digits, '-' "
                            f"and '_', at most {MAX_ID_LENGTH})")
    if original is None and library.card(card.id) is not None:
        raise CardEditError(f"id: a card with id '{card.id}' already exists")
    if original is not None and original.id != card.id:
        raise CardEditError("id: a card's id never changes (its progress is keyed by it)")
    for follow_up in card.follow_ups:
        if follow_up == card.id:
            raise CardEditError("follow_ups: a card cannot be its own follow-up")
        if library.card(follow_up) is None:
            raise CardEditError(f"follow_ups: no card with id '{follow_up}'")
    if card.demo is not None and validate_demo is not None:
        problems = validate_demo(card.demo)
        if problems:
            raise CardEditError(f"demo: {problems[0]}")


def _free_folder(user_dir: Path, deck_id: str) -> str:
    """A folder name for a new user deck folder: the deck id, or the id with a number when a
    folder of that name holds another deck."""
    name, number = deck_id, 1
    while (user_dir / name).exists():
        number += 1
        name = f"{deck_id}-{number}"
    return name
