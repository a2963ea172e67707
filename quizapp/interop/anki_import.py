"""Turn Anki notes (from a package or a text export) into the user's own decks.

Rules (also in docs/ARCHITECTURE.md, "Anki interop"):

- **Decks.** Each Anki deck that has notes becomes a folder under ``<data dir>/decks/`` with a
  ``deck.toml``. Its id is ``anki-`` + the ASCII words of the full name + a short hash of it
  (``"Biology::Cells"`` → ``anki-biology-cells-3f2a1c``; a name with no ASCII letters keeps only
  the hash), its title the levels joined by ``›`` in both languages. A deck whose name is what
  ``export`` gives one of our decks (``ML 면접 카드::<title>``) goes back into that deck.
- **Card ids** come from the note's guid: ``anki-`` + 12 hex digits of its SHA-256, so
  importing the same file again updates the same files and never duplicates them. One of our own
  notes (our note type, with an ``ID`` field whose ``note_guid`` is the note's guid) keeps its
  card id; then a shipped card gets a user copy (the loader's way of editing a shipped card,
  which keeps its progress, follow-ups, demo and quiz) — unless the note is exactly what we
  export for that card, which is counted as unchanged and not written. A text export without
  guids identifies a note by its deck and first field.
- **Fields.** Our note type's fields are read by name. Any other note type: the first field is
  the question and the second the answer (a cloze note: the question shows ``[...]`` or the
  hint, the answer the text with the cloze in bold, then the second field). Such a note has one
  language, and the loader needs all four sections, so the same text goes into the Korean and
  the English sections (user decks need no Hangul; only the shipped cards are checked for it).
  One of our notes with one language left empty gets the other language's text.
- **Safety.** Every card file is checked with the loader's own rules (``card_file_problem``:
  sizes, formula limits, ...) before anything is written; a card that fails is skipped and
  counted, with the reason. Files are written only after the whole file was read and planned,
  each through a temporary file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import rtoml

from quizapp.content import card_file_problem
from quizapp.content.model import Card, Deck, Library, Text
from quizapp.content.writer import (
    card_file_text,
    deck_file_text,
    write_atomically,
)
from quizapp.interop.anki_markup import (
    anki_html_to_markdown,
    anki_text_to_markdown,
    html_lines,
)
from quizapp.interop.anki_model import (
    FIELDS,
    anki_deck_name,
    anki_tag,
    note_fields,
    note_guid,
)
from quizapp.interop.anki_notes import MAX_FIELD_CHARS, AnkiNote, AnkiNotes, RefusedFileError

#: Imported decks are listed after the shipped ones.
IMPORTED_DECK_ORDER = 1000
#: Refused as a whole: a file that would create more decks than this.
MAX_NEW_DECKS = 500
MAX_TAGS = 50
MAX_TAG_CHARS = 100
MAX_TITLE_CHARS = 200
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_CLOZE_RE = re.compile(r"\{\{c\d+::")
_WORDS = re.compile(r"[a-z0-9]+")


def counted(number: int, noun: str) -> str:
    """``1 deck``, ``2 decks``."""
    return f"{number} {noun}" + ("" if number == 1 else "s")


@dataclass
class ImportSummary:
    """What an import did (or, for a refused file, nothing)."""

    source: str
    decks: list[str] = field(default_factory=list)  # deck ids the imported cards are in
    new_decks: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    def lines(self, shown: int = 10) -> list[str]:
        cards = self.added + self.updated + self.unchanged + len(self.skipped)
        lines = [f"imported {self.source}: {counted(len(self.decks), 'deck')} "
                 f"({self.new_decks} new), {counted(cards, 'card')}: {self.added} added, "
                 f"{self.updated} updated, {self.unchanged} unchanged, {len(self.skipped)} skipped"]
        lines += [f"  skipped {reason}" for reason in self.skipped[:shown]]
        if len(self.skipped) > shown:
            lines.append(f"  ... and {len(self.skipped) - shown} more skipped")
        return lines


@dataclass
class _Plan:
    decks: dict[Path, str] = field(default_factory=dict)  # deck.toml path -> text
    cards: dict[Path, str] = field(default_factory=dict)  # card file -> text


def import_notes(notes: AnkiNotes, library: Library, decks_dir: Path,
                 source: str) -> ImportSummary:
    """Write ``notes`` as cards into the user's decks in ``decks_dir``; return the summary.

    ``library`` is what is loaded now (shipped content and user decks): it tells which cards
    and decks already exist. Raises ``RefusedFileError`` (nothing written) when the file would
    create more than ``MAX_NEW_DECKS`` decks.
    """
    summary = ImportSummary(source=source, skipped=list(notes.skipped))
    plan = _plan(notes.notes, library, decks_dir, summary)
    for path, text in plan.decks.items():
        write_atomically(path, text)
    for path, text in plan.cards.items():
        write_atomically(path, text)
    return summary


def _plan(notes: list[AnkiNote], library: Library, decks_dir: Path,
          summary: ImportSummary) -> _Plan:
    folders = _Folders(decks_dir, library)
    exported = {anki_deck_name(deck): deck for deck in library.decks}
    plan = _Plan()
    seen: set[str] = set()
    touched: list[str] = []
    for note in notes:
        label = f"note {note.guid or note.key[:40]!r}"
        try:
            card, deck = _card_for(note, library, exported)
        except _SkipNoteError as skip:
            summary.skipped.append(f"{label}: {skip}")
            continue
        if card.id in seen:
            summary.skipped.append(f"{label}: same card as an earlier note ({card.id})")
            continue
        seen.add(card.id)
        existing = library.card(card.id)
        if existing is not None and _is_what_we_export(note, existing):
            summary.unchanged += 1
            _remember(touched, existing.deck)
            continue
        path = folders.card_path(card, deck, note, existing)
        text = card_file_text(replace(card, deck=deck.id), comment=_comment(note))
        problem = card_file_problem(text, path)
        if problem is not None:
            summary.skipped.append(f"{label} ({card.id}): {problem.split(': ', 1)[-1]}")
            continue
        old = _read_text(path)
        if old == text:
            summary.unchanged += 1
        elif old is None:
            summary.added += 1
        else:
            summary.updated += 1
        if old != text:
            plan.cards[path] = text
            folders.claim(path.parent)
        _remember(touched, folders.deck_of(path, deck.id))
    plan.decks = folders.new_deck_files()
    if len(plan.decks) > MAX_NEW_DECKS:
        raise RefusedFileError(f"the file would create {len(plan.decks):,} decks; the limit "
                               f"is {MAX_NEW_DECKS}")
    summary.new_decks = len(plan.decks)
    summary.decks = touched
    return plan


def _remember(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


class _SkipNoteError(Exception):
    """This note cannot become a card (the message says why)."""


def _card_for(note: AnkiNote, library: Library,
              exported: dict[str, Deck]) -> tuple[Card, Deck]:
    """The card for ``note`` and the deck it belongs in."""
    for value in note.fields:
        if len(value) > MAX_FIELD_CHARS:
            raise _SkipNoteError(f"a field is too long ({len(value):,} characters)")
    own_id = _own_card_id(note)
    convert = anki_html_to_markdown if note.html else anki_text_to_markdown
    tags = _tags(note.tags)
    if own_id is not None:
        values = dict(zip(note.field_names, note.fields, strict=False))
        texts = {name: convert(values.get(name, "")) for name in FIELDS[:4]}
        question = _both(texts["Question (ko)"], texts["Question (en)"])
        answer = _both(texts["Answer (ko)"], texts["Answer (en)"])
        sources = tuple(html_lines(values.get("Source", ""), note.html))
        card_id = own_id
    else:
        first = note.fields[0] if note.fields else ""
        second = note.fields[1] if len(note.fields) > 1 else ""
        if note.cloze or _CLOZE_RE.search(first):
            first, second = _cloze(first, second)
        asked, answered = convert(first), convert(second)
        question, answer = Text(ko=asked, en=asked), Text(ko=answered, en=answered)
        sources = ()
        card_id = "anki-" + hashlib.sha256(
            (note.guid or f"text:{note.key}").encode("utf-8")).hexdigest()[:12]
    if not question.ko.strip():
        raise _SkipNoteError("empty question")
    if not answer.ko.strip():
        raise _SkipNoteError("empty answer")
    existing = library.card(card_id)
    card = Card(id=card_id, deck="", question=question, answer=answer, tags=tags,
                sources=sources)
    if existing is not None and own_id is not None:
        card = replace(existing, question=question, answer=answer, tags=tags, sources=sources)
    return card, _deck_for(note, library, exported, existing if own_id is not None else None)


def _own_card_id(note: AnkiNote) -> str | None:
    """The card id of one of our own notes (None for any other note)."""
    if note.guid is None or not set(FIELDS) <= set(note.field_names):
        return None
    card_id = note.fields[note.field_names.index("ID")].strip() \
        if note.field_names.index("ID") < len(note.fields) else ""
    if _ID_RE.match(card_id) and note_guid(card_id) == note.guid:
        return card_id
    return None


def _both(ko: str, en: str) -> Text:
    return Text(ko=ko or en, en=en or ko)


def _tags(tags: Iterable[str]) -> tuple[str, ...]:
    kept: list[str] = []
    for tag in tags:
        tag = tag.strip()[:MAX_TAG_CHARS]
        if tag and tag not in kept and tag.isprintable():
            kept.append(tag)
    return tuple(kept[:MAX_TAGS])


def _cloze(text: str, extra: str) -> tuple[str, str]:
    """Question and answer HTML for a cloze note: ``{{c1::answer::hint}}`` shows as ``[hint]``
    (or ``[...]``) in the question and as the bold answer in the answer. Linear time."""
    question: list[str] = []
    answer: list[str] = []
    position = 0
    while (start := text.find("{{c", position)) >= 0:
        separator = text.find("::", start)
        end = text.find("}}", start)
        if separator < 0 or end < 0 or separator > end or \
                not text[start + 3:separator].isdigit():
            question.append(text[position:start + 3])
            answer.append(text[position:start + 3])
            position = start + 3
            continue
        body = text[separator + 2:end]
        hidden, _, hint = body.partition("::")
        question += [text[position:start], f"[{hint or '...'}]"]
        answer += [text[position:start], f"<b>{hidden}</b>"]
        position = end + 2
    question.append(text[position:])
    answer.append(text[position:])
    full = "".join(answer)
    return "".join(question), full + (f"<br><br>{extra}" if extra.strip() else "")


def _is_what_we_export(note: AnkiNote, card: Card) -> bool:
    """True when ``note`` holds exactly what ``export`` writes for ``card`` (nothing to do)."""
    if _own_card_id(note) != card.id:
        return False
    values = dict(zip(note.field_names, note.fields, strict=False))
    expected = dict(zip(FIELDS, note_fields(card), strict=True))
    # Anki keeps one spelling of a tag per collection ("GAN" may come back as "gan")
    same_tags = sorted(t.lower() for t in note.tags) == \
        sorted(anki_tag(t).lower() for t in card.tags)
    return same_tags and all(values.get(name) == value for name, value in expected.items())


def _deck_for(note: AnkiNote, library: Library, exported: dict[str, Deck],
              own_card: Card | None) -> Deck:
    """The deck for ``note``: ours when its Anki name is what ``export`` calls one of our decks
    (``exported``), else the home deck of our own card, else one made from the Anki name."""
    name = "::".join(note.deck)
    ours = exported.get(name)
    if ours is not None:
        return ours
    if own_card is not None and (home := library.deck(own_card.deck)) is not None:
        return home
    title = " › ".join(note.deck)[:MAX_TITLE_CHARS]
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()
    words = "-".join(_WORDS.findall(name.lower()))[:40].strip("-")
    deck_id = f"anki-{words}-{digest[:6]}" if words else f"anki-{digest[:8]}"
    return Deck(id=deck_id, title=Text(ko=title, en=title), order=IMPORTED_DECK_ORDER)


def _comment(note: AnkiNote) -> str:
    if note.guid is None:
        return "Imported from an Anki text export. Importing it again updates this file."
    return (f"Imported from Anki (note guid {note.guid!r}, note type {note.notetype[:60]!r}). "
            "Importing it again updates this file.")


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


class _Folders:
    """Where each deck's cards go: the user's existing folder for that deck id, else a new
    folder named after the deck id."""

    def __init__(self, decks_dir: Path, library: Library) -> None:
        self.root = decks_dir
        self.library = library
        self.by_deck: dict[str, Path] = {}
        self.deck_by_folder: dict[Path, str] = {}
        self.taken: set[str] = set()
        self.planned: dict[Path, Deck] = {}  # new folders, made only when claimed
        self.claimed: set[Path] = set()
        if decks_dir.is_dir():
            for folder in sorted(decks_dir.iterdir()):
                self.taken.add(folder.name)
                deck_id = _deck_id_in(folder / "deck.toml")
                if deck_id is not None and folder.is_dir():
                    self.by_deck.setdefault(deck_id, folder)
                    self.deck_by_folder[folder] = deck_id

    def folder(self, deck: Deck) -> Path:
        if deck.id in self.by_deck:
            return self.by_deck[deck.id]
        name, number = deck.id, 1
        while name in self.taken:
            number += 1
            name = f"{deck.id}-{number}"
        folder = self.root / name
        self.taken.add(name)
        self.by_deck[deck.id] = folder
        self.deck_by_folder[folder] = deck.id
        self.planned[folder] = deck
        return folder

    def claim(self, folder: Path) -> None:
        """A card will be written into ``folder``: a planned new folder gets its deck.toml."""
        self.claimed.add(folder)

    def card_path(self, card: Card, deck: Deck, note: AnkiNote, existing: Card | None) -> Path:
        if existing is not None and existing.path is not None and \
                self.library.is_user_card(existing):
            return existing.path
        folder = self.folder(deck)
        if existing is not None or (note.guid is not None and _own_card_id(note) is not None):
            return folder / f"{card.id}.md"
        return folder / f"{note.order:013d}-{card.id}.md"

    def deck_of(self, card_path: Path, fallback: str) -> str:
        return self.deck_by_folder.get(card_path.parent, fallback)

    def new_deck_files(self) -> dict[Path, str]:
        return {folder / "deck.toml": deck_file_text(
                    deck, comment="Made by importing an Anki file.")
                for folder, deck in self.planned.items() if folder in self.claimed}


def _deck_id_in(deck_file: Path) -> str | None:
    try:
        if deck_file.stat().st_size > 16 * 1024:
            return None
        value = rtoml.loads(deck_file.read_text(encoding="utf-8")).get("id")
    except (OSError, UnicodeError, rtoml.TomlParsingError):
        return None
    return value if isinstance(value, str) else None
