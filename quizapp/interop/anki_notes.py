"""What the Anki readers hand to the importer: notes with their fields, tags and deck."""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.errors import UserError

#: Refused before anything is converted: more notes than this in one file.
MAX_NOTES = 20_000
#: A field longer than this (characters of HTML) is skipped without being converted.
MAX_FIELD_CHARS = 256 * 1024


class RefusedFileError(UserError):
    """A file that is refused as a whole (hostile, damaged or not what its name says); nothing
    of it is written."""


@dataclass(frozen=True)
class AnkiNote:
    """One note as read from a package or a text export.

    ``guid`` is Anki's note guid (None when a text export has no guid column; ``key`` then
    identifies the note). ``deck`` is the deck name split at ``::``. ``order`` sorts notes as
    Anki created them. ``html`` says whether the fields are HTML (else plain text).
    """

    guid: str | None
    key: str
    order: int
    notetype: str
    field_names: tuple[str, ...]
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: tuple[str, ...]
    html: bool = True
    cloze: bool = False


@dataclass
class AnkiNotes:
    """The notes of one file, and the notes that could not be read (with the reason)."""

    notes: list[AnkiNote]
    skipped: list[str]
