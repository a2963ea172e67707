"""Which importer a file is for, and the Anki import as one call.

``import FILE`` dispatches on the file: ``.apkg`` and ``.colpkg`` are Anki packages; ``.txt`` is
Anki's "Notes in Plain Text"; a ``.csv`` or ``.tsv`` is notes too, unless its header is the FSRS
review-log schema (``card_id, review_time, review_rating, review_state, review_duration``),
which belongs to the review-log importer.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from quizapp.content.model import Library
from quizapp.errors import UserError
from quizapp.interop.anki_import import ImportSummary, import_notes
from quizapp.interop.anki_notes import AnkiNotes, RefusedFileError
from quizapp.interop.anki_package import read_package
from quizapp.interop.notes_text import is_review_log, read_notes_text, read_text_file
from quizapp.interop.review_csv import ImportResult, import_reviews, read_review_csv

PACKAGE_SUFFIXES = (".apkg", ".colpkg")
TEXT_SUFFIXES = (".txt", ".csv", ".tsv")


class FileKind(Enum):
    ANKI_PACKAGE = "anki package"
    ANKI_NOTES = "anki notes as text"
    REVIEW_LOG = "review-log CSV"


def file_kind(path: Path) -> FileKind:
    """What ``path`` holds, by its suffix (and for ``.csv``/``.tsv``, its header line)."""
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in PACKAGE_SUFFIXES:
        return FileKind.ANKI_PACKAGE
    if suffix in (".csv", ".tsv"):
        try:
            with open(path, encoding="utf-8-sig", errors="replace") as handle:
                first = handle.readline(4096)
        except OSError as err:
            raise UserError(f"{path}: cannot read the file ({err.strerror})") from None
        return FileKind.REVIEW_LOG if is_review_log(first) else FileKind.ANKI_NOTES
    if suffix in TEXT_SUFFIXES:
        return FileKind.ANKI_NOTES
    raise UserError(f"{path}: cannot import this kind of file; expected an Anki package "
                    f"(.apkg, .colpkg) or an Anki text export (.txt, .csv, .tsv)")


def read_anki_file(path: Path) -> AnkiNotes:
    """The notes of an Anki package or text export (``RefusedFileError`` when it is refused)."""
    if file_kind(path) is FileKind.ANKI_PACKAGE:
        return read_package(path)
    return read_notes_text(path, read_text_file(path))


def import_anki_file(path: Path, library: Library, decks_dir: Path) -> ImportSummary:
    """Import the Anki file ``path`` into the user's decks; a refused file is a ``UserError``
    saying why, and nothing is written."""
    try:
        notes = read_anki_file(path)
        return import_notes(notes, library, decks_dir, source=path.name)
    except RefusedFileError as err:
        raise UserError(f"{path}: refused: {err}; nothing was imported") from None
    except OSError as err:
        where = err.filename or decks_dir
        raise UserError(f"cannot write {where} ({err.strerror}); the import stopped") from None


def import_file(path: Path, library: Library, decks_dir: Path,
                db_path: Path) -> ImportSummary | ImportResult:
    """Import ``path`` whatever it is: an Anki package or text export into ``decks_dir``
    (``ImportSummary``), or a review log in the FSRS CSV schema into the database at
    ``db_path`` (``ImportResult``; all of the file is checked before the database is opened,
    and a bad one is a ``ReviewCsvError``)."""
    if file_kind(path) is not FileKind.REVIEW_LOG:
        return import_anki_file(path, library, decks_dir)
    from quizapp.store import open_store

    rows = read_review_csv(path)
    with open_store(db_path) as store:
        return import_reviews(store, rows, (card.id for card in library.cards))
