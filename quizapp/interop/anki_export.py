"""Write decks as an Anki package (``.apkg``) with genanki.

Each card is one note of our note type (``anki_model``): the Korean and English question and
answer rendered from Markdown to HTML by the app's own renderer with math as MathJax
(``anki_markup.markdown_to_anki_html``), the sources, and the card id; the card's tags as Anki
tags. Decks are nested under ``ML 면접 카드``. Note guids, the note type id and deck ids are
stable (derived from our ids), so importing a newer export into Anki updates the notes it has
instead of adding copies. New cards keep the app's order (each note's ``due`` is its position).

The package is the legacy ``collection.anki2`` format, which every Anki version imports. It is
written to a temporary file beside the target and moved into place, so a failed export never
leaves half a file.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import genanki

from quizapp.content.model import Deck, Library
from quizapp.content.writer import default_file_mode
from quizapp.errors import UserError
from quizapp.interop.anki_import import counted
from quizapp.interop.anki_model import (
    FIELDS,
    MODEL_ID,
    MODEL_NAME,
    ROOT_DECK,
    ROOT_DECK_ID,
    anki_deck_id,
    anki_deck_name,
    anki_tag,
    note_fields,
    note_guid,
)

_FRONT = """<div class="question ko" lang="ko">{{Question (ko)}}</div>
<div class="question en" lang="en">{{Question (en)}}</div>"""
_BACK = """{{FrontSide}}
<hr id="answer">
<div class="answer ko" lang="ko">{{Answer (ko)}}</div>
<hr class="between">
<div class="answer en" lang="en">{{Answer (en)}}</div>
{{#Source}}<div class="source">{{Source}}</div>{{/Source}}"""
_CSS = """.card {
  font-family: "Apple SD Gothic Neo", "Malgun Gothic", "NanumGothic", "Noto Sans KR", sans-serif;
  font-size: 19px; line-height: 1.55; text-align: left; color: #1d1d1f; background: #fff;
  max-width: 46em; margin: 0 auto;
}
.nightMode.card, .night_mode .card { color: #e6e6e6; background: #1e1e1e; }
.question { font-weight: 600; }
.en { color: #555; }
.nightMode .en, .night_mode .en { color: #aaa; }
hr.between { border: none; border-top: 1px dashed #bbb; }
.source { margin-top: 1.5em; font-size: 13px; color: #888; }
code { font-size: 0.92em; }
"""


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    decks: int
    cards: int

    def line(self) -> str:
        return (f"wrote {self.path}: {counted(self.cards, 'card')} in "
                f"{counted(self.decks, 'deck')}")


def note_type() -> genanki.Model:
    """Our Anki note type (fixed id, fields ``FIELDS``, one card per note)."""
    return genanki.Model(
        MODEL_ID, MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Card 1", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
        sort_field_index=0,
    )


def build_package(library: Library, decks: Sequence[Deck]) -> genanki.Package:
    model = note_type()
    root = genanki.Deck(ROOT_DECK_ID, ROOT_DECK, description=(
        "ML 면접 카드: 한국어/영어 카드 (ML interview cards, Korean and English)."))
    anki_decks = [root]
    position = itertools.count()
    for deck in decks:
        anki_deck = genanki.Deck(anki_deck_id(deck.id), anki_deck_name(deck))
        for card in library.cards_in(deck.id):
            anki_deck.add_note(genanki.Note(
                model=model, fields=note_fields(card), guid=note_guid(card.id),
                tags=[anki_tag(tag) for tag in card.tags], due=next(position)))
        anki_deck.add_model(model)
        anki_decks.append(anki_deck)
    return genanki.Package(anki_decks)


def export_apkg(library: Library, decks: Sequence[Deck], target: Path) -> ExportSummary:
    """Write ``decks`` of ``library`` to the Anki package ``target``; a target that cannot be
    written is a ``UserError`` saying why."""
    if target.is_dir():
        raise UserError(f"{target} is a folder; give a file name ending in .apkg")
    try:
        return _write_apkg(library, decks, target)
    except OSError as err:
        raise UserError(f"cannot write {target} ({err.strerror})") from None


def _write_apkg(library: Library, decks: Sequence[Deck], target: Path) -> ExportSummary:
    package = build_package(library, decks)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".tmp",
                                       dir=target.parent)
    os.close(handle)
    try:
        with tempfile.TemporaryDirectory(prefix="quizapp-export-") as scratch:
            database = Path(scratch) / "collection.anki2"
            connection = sqlite3.connect(database)
            try:
                timestamp = time.time()
                package.write_to_db(connection.cursor(), timestamp,
                                    itertools.count(int(timestamp * 1000)))
                connection.commit()
            finally:
                connection.close()
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.write(database, "collection.anki2")
                archive.writestr("media", "{}")
        os.chmod(partial, default_file_mode())
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    cards = sum(len(library.cards_in(deck.id)) for deck in decks)
    return ExportSummary(path=target, decks=len(decks), cards=cards)
