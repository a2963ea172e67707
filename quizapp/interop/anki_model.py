"""How our cards map to Anki, shared by the exporter and the importer.

- One note type, "ML Interview Card (ko/en)", with the fields ``FIELDS`` (Korean and English
  question and answer, the sources, and the card id). Its id is fixed (``MODEL_ID``): Anki
  recognises it on every import.
- A note's guid is ``note_guid(card id)`` (genanki's ``guid_for`` of ``"quizapp-card"`` and the
  id), so importing a newer export into Anki updates the notes instead of adding copies, and
  the importer can tell one of our notes from a foreign one (its ``ID`` field must give back
  its guid).
- Decks are nested under one parent, ``ROOT_DECK``: ``"ML 면접 카드::<ko title> (<en title>)"``,
  with deck ids fixed by our deck ids (``anki_deck_id``).
- Tags: Anki's tags cannot hold spaces; a space becomes ``_``.
"""

from __future__ import annotations

import hashlib
import html

from quizapp.content.model import Card, Deck
from quizapp.interop.anki_markup import markdown_to_anki_html

MODEL_NAME = "ML Interview Card (ko/en)"
FIELDS = ("Question (ko)", "Answer (ko)", "Question (en)", "Answer (en)", "Source", "ID")
ROOT_DECK = "ML 면접 카드"
GUID_NAMESPACE = "quizapp-card"

_BASE91 = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
           "!#$%&()*+,-./:;<=>?@[]^_`{|}~")


def stable_id(name: str) -> int:
    """A stable Anki id for ``name`` in the range genanki recommends (2^30 to 2^31)."""
    digest = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    return (1 << 30) + digest % (1 << 30)


MODEL_ID = stable_id("quizapp note type: ML interview card ko/en v1")
ROOT_DECK_ID = stable_id("quizapp deck: root")


def anki_deck_id(deck_id: str) -> int:
    return stable_id(f"quizapp deck: {deck_id}")


def anki_deck_name(deck: Deck) -> str:
    """The full Anki name of one of our decks (``::`` separates the levels)."""
    title = deck.title.ko if deck.title.ko == deck.title.en else \
        f"{deck.title.ko} ({deck.title.en})"
    return f"{ROOT_DECK}::{title.replace('::', ':')}"


def guid_for(*values: str) -> str:
    """genanki's ``guid_for``: the first 8 bytes of SHA-256 of the values joined by ``__``, in
    Anki's base-91 alphabet."""
    number = int.from_bytes(hashlib.sha256("__".join(values).encode("utf-8")).digest()[:8],
                            "big")
    digits = []
    while number > 0:
        number, digit = divmod(number, len(_BASE91))
        digits.append(_BASE91[digit])
    return "".join(reversed(digits))


def note_guid(card_id: str) -> str:
    """The guid of the note for our card ``card_id`` (stable: re-imports update)."""
    return guid_for(GUID_NAMESPACE, card_id)


def anki_tag(tag: str) -> str:
    return "_".join(tag.split())


def note_fields(card: Card) -> list[str]:
    """The note fields for ``card``, in ``FIELDS`` order (what ``export`` writes)."""
    sources = "<br>".join(html.escape(source) for source in card.sources)
    return [markdown_to_anki_html(card.question.ko), markdown_to_anki_html(card.answer.ko),
            markdown_to_anki_html(card.question.en), markdown_to_anki_html(card.answer.en),
            sources, card.id]
