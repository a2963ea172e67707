"""Read the notes of an Anki package (``.apkg``, ``.colpkg``) without trusting it.

A package is a zip. Inside, the collection is an SQLite file: ``collection.anki21b`` (what Anki
writes by default since 2.1.50: zstd-compressed, schema 18, with ``notetypes``, ``fields`` and
``decks`` tables; the ``collection.anki2`` beside it then only holds a "please update" note),
else ``collection.anki21`` or ``collection.anki2`` (the legacy schema 11, note types and decks
as JSON in ``col``; genanki writes these). Media files are never read.

A package is data from anyone. Before anything is converted it is refused, with a message, if:
an entry name is absolute or climbs out (``..``), the zip has too many entries, any entry's
declared size or the declared total is beyond the caps, an entry we read expands more than its
declared size or past the cap, or compresses suspiciously well (a zip or zstd bomb), the
collection is not SQLite or not an Anki collection (its tables must be real tables, not views),
reading it takes too long, or it holds more than ``MAX_NOTES`` notes. The collection is
decompressed into a private temporary folder (never the data folder) and opened read-only.
"""

from __future__ import annotations

import json
import posixpath
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from quizapp.interop.anki_notes import (
    MAX_FIELD_CHARS,
    MAX_NOTES,
    AnkiNote,
    AnkiNotes,
    RefusedFileError,
)

#: The uncompressed collection (after zip, and after zstd for ``anki21b``).
MAX_COLLECTION_BYTES = 256 * 1024 * 1024
#: One entry, and all entries together, as declared in the zip directory (media included,
#: though never read).
MAX_ENTRY_BYTES = 1024 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_ENTRIES = 100_000
#: Expansion ratio refused for anything larger than ``RATIO_FLOOR`` bytes once expanded.
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
#: Reading the collection must finish within this many seconds.
MAX_SECONDS = 30.0
MAX_JSON_CHARS = 32 * 1024 * 1024
SQLITE_MAGIC = b"SQLite format 3\x00"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
_CHUNK = 1024 * 1024


def read_package(path: Path) -> AnkiNotes:
    """The notes of the Anki package at ``path``; ``RefusedFileError`` when it must not be read."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise RefusedFileError(f"not an Anki package (not a readable zip file: {err})") from None
    with archive, tempfile.TemporaryDirectory(prefix="quizapp-anki-") as scratch:
        entry = _check_archive(archive)
        database = Path(scratch) / "collection.sqlite"
        try:
            _extract(archive, entry, database)
        except zipfile.BadZipFile as err:
            raise RefusedFileError(f"damaged package ({err})") from None
        return _read_collection(database)


def _check_archive(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    """Refuse a hostile zip directory; return the collection entry to read."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise RefusedFileError(f"the package has {len(infos):,} files; the limit is "
                               f"{MAX_ENTRIES:,}")
    total = 0
    for info in infos:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if (name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")
                or posixpath.isabs(name) or "\x00" in name):
            raise RefusedFileError(f"unsafe file name in the package: {name!r}")
        if info.file_size > MAX_ENTRY_BYTES:
            raise RefusedFileError(f"{name!r} in the package is too large "
                                   f"({info.file_size:,} bytes declared)")
        total += info.file_size
        if info.file_size > RATIO_FLOOR and \
                info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise RefusedFileError(f"{name!r} in the package expands {info.file_size:,} bytes from "
                                   f"{info.compress_size:,} (a zip bomb?)")
    if total > MAX_TOTAL_BYTES:
        raise RefusedFileError(f"the package declares {total:,} bytes in all; the limit is "
                               f"{MAX_TOTAL_BYTES:,}")
    names = {info.filename: info for info in infos}
    for name in COLLECTIONS:
        if name in names:
            entry = names[name]
            if entry.file_size > MAX_COLLECTION_BYTES:
                raise RefusedFileError(f"the collection is too large ({entry.file_size:,} bytes; "
                                       f"the limit is {MAX_COLLECTION_BYTES:,})")
            return entry
    raise RefusedFileError("not an Anki package (no collection.anki21b, collection.anki21 or "
                           "collection.anki2 inside)")


def _extract(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path) -> None:
    """Copy the collection out of the zip (and out of zstd), counting every byte: more than
    declared, more than the cap, or a suspicious expansion stops it at once."""
    with archive.open(entry) as stream:
        compressed = stream.read(len(ZSTD_MAGIC)) == ZSTD_MAGIC
    if entry.filename == "collection.anki21b" and not compressed:
        raise RefusedFileError("collection.anki21b is not zstd-compressed")
    with archive.open(entry) as stream, open(target, "wb") as out:
        if not compressed:
            _copy(stream, out, limit=min(entry.file_size, MAX_COLLECTION_BYTES),
                  source_size=entry.compress_size, what=entry.filename)
            return
        import zstandard

        try:
            reader = zstandard.ZstdDecompressor().stream_reader(stream, read_across_frames=True)
            _copy(reader, out, limit=MAX_COLLECTION_BYTES, source_size=entry.file_size,
                  what=f"{entry.filename} (zstd)")
        except zstandard.ZstdError as err:
            raise RefusedFileError(f"{entry.filename} is damaged (zstd: {err})") from None


def _copy(stream: IO[bytes], out: IO[bytes], limit: int, source_size: int, what: str) -> None:
    written = 0
    while chunk := stream.read(_CHUNK):
        written += len(chunk)
        if written > limit:
            raise RefusedFileError(f"{what} expands past {limit:,} bytes (its declared size or "
                                   f"the limit)")
        if written > RATIO_FLOOR and written > MAX_RATIO * max(source_size, 1):
            raise RefusedFileError(f"{what} expands to more than {written:,} bytes from "
                                   f"{source_size:,} (a compression bomb?)")
        out.write(chunk)


# -- the collection -------------------------------------------------------------------------------

def _read_collection(database: Path) -> AnkiNotes:
    with open(database, "rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise RefusedFileError("the collection inside the package is not an SQLite database")
    try:
        connection = sqlite3.connect(f"{database.as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as err:
        raise RefusedFileError(f"cannot open the collection ({err})") from None
    deadline = time.monotonic() + MAX_SECONDS
    connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 1_000)
    try:
        connection.execute("PRAGMA trusted_schema = OFF")
        connection.execute("PRAGMA cell_size_check = ON")
        notes = _read_notes(connection)
        if time.monotonic() > deadline:
            raise sqlite3.OperationalError("interrupted")
        return notes
    except sqlite3.OperationalError as err:
        if time.monotonic() > deadline:
            raise RefusedFileError(f"reading the collection took more than "
                                   f"{MAX_SECONDS:.0f} s") from None
        raise RefusedFileError(f"not a readable Anki collection ({err})") from None
    except sqlite3.DatabaseError as err:
        raise RefusedFileError(f"the collection is damaged ({err})") from None
    finally:
        connection.close()


def _read_notes(connection: sqlite3.Connection) -> AnkiNotes:
    tables = {name: kind for kind, name in connection.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view')")}
    for required in ("col", "notes", "cards"):
        if tables.get(required) != "table":
            raise RefusedFileError(f"not an Anki collection (no '{required}' table)")
    count = connection.execute("SELECT count(*) FROM notes").fetchone()[0]
    if count > MAX_NOTES:
        raise RefusedFileError(f"the package has {count:,} notes; the limit is {MAX_NOTES:,}")
    if tables.get("notetypes") == "table" and tables.get("fields") == "table":
        notetypes = _notetypes_v18(connection)
        decks = _decks_v18(connection)
    else:
        notetypes, decks = _legacy_models_and_decks(connection)
    note_decks: dict[int, int] = {}
    for note_id, deck_id, original in connection.execute(
            "SELECT nid, did, odid FROM cards ORDER BY ord DESC, id DESC"):
        note_decks[note_id] = original or deck_id  # a filtered deck's card: its home deck
    notes: list[AnkiNote] = []
    skipped: list[str] = []
    for note_id, guid, model_id, tags, fields, length in connection.execute(
            "SELECT id, guid, mid, substr(tags, 1, 10000), substr(flds, 1, ?), length(flds) "
            "FROM notes ORDER BY id", (MAX_FIELD_CHARS * 4,)):
        label = f"note {guid!r}"
        notetype = notetypes.get(model_id)
        if notetype is None:
            skipped.append(f"{label}: its note type is missing from the package")
            continue
        if not isinstance(fields, str) or not isinstance(guid, str) or not guid:
            skipped.append(f"{label}: malformed note")
            continue
        if length > MAX_FIELD_CHARS * 4:
            skipped.append(f"{label}: fields too long ({length:,} characters)")
            continue
        name, field_names, cloze = notetype
        deck = decks.get(note_decks.get(note_id, -1), ("Default",))
        notes.append(AnkiNote(
            guid=guid, key=guid, order=int(note_id), notetype=name,
            field_names=field_names, fields=tuple(fields.split("\x1f")),
            tags=tuple(str(tags or "").split()), deck=deck, cloze=cloze))
    return AnkiNotes(notes=notes, skipped=skipped)


NoteTypes = dict[int, tuple[str, tuple[str, ...], bool]]


def _notetypes_v18(connection: sqlite3.Connection) -> NoteTypes:
    names: dict[int, tuple[str, bool]] = {}
    for type_id, name, config in connection.execute("SELECT id, name, config FROM notetypes"):
        names[type_id] = (str(name), _protobuf_field_1(config) == 1)
    fields: dict[int, list[tuple[int, str]]] = {}
    for type_id, order, name in connection.execute("SELECT ntid, ord, name FROM fields"):
        if type_id in names:
            fields.setdefault(type_id, []).append((int(order), str(name)))
    return {type_id: (name, tuple(n for _, n in sorted(fields.get(type_id, []))), cloze)
            for type_id, (name, cloze) in names.items()}


def _decks_v18(connection: sqlite3.Connection) -> dict[int, tuple[str, ...]]:
    # Schema 18 separates the levels of a deck name with \x1f (shown as "::").
    return {deck_id: _deck_parts(str(name).replace("\x1f", "::"))
            for deck_id, name in connection.execute("SELECT id, name FROM decks")}


def _legacy_models_and_decks(
        connection: sqlite3.Connection) -> tuple[NoteTypes, dict[int, tuple[str, ...]]]:
    row = connection.execute("SELECT substr(models, 1, ?), substr(decks, 1, ?), "
                             "length(models) + length(decks) FROM col",
                             (MAX_JSON_CHARS, MAX_JSON_CHARS)).fetchone()
    if row is None:
        raise RefusedFileError("not an Anki collection (empty 'col' table)")
    if (row[2] or 0) > MAX_JSON_CHARS:
        raise RefusedFileError("the note types and decks of the collection are too large")
    models, decks = _json_object(row[0]), _json_object(row[1])
    notetypes: NoteTypes = {}
    for key, model in models.items():
        if not isinstance(model, dict) or not isinstance(model.get("flds"), list):
            continue
        fields = [f for f in model["flds"] if isinstance(f, dict)]
        fields.sort(key=_field_order)
        names = tuple(str(f.get("name", "")) for f in fields)
        notetypes[_int(key)] = (str(model.get("name", "")), names, model.get("type") == 1)
    deck_names = {_int(key): _deck_parts(str(deck.get("name", "")))
                  for key, deck in decks.items() if isinstance(deck, dict)}
    return notetypes, deck_names


def _field_order(field: dict[str, Any]) -> int:
    order = field.get("ord")
    return order if isinstance(order, int) else 0


def _json_object(text: Any) -> dict[str, Any]:
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except (ValueError, RecursionError):
        value = None
    if not isinstance(value, dict):
        raise RefusedFileError("not an Anki collection (its note types or decks are not readable)")
    return value


def _int(key: str) -> int:
    try:
        return int(key)
    except ValueError:
        return -1


def _deck_parts(name: str) -> tuple[str, ...]:
    parts = tuple(part.strip() for part in name.split("::") if part.strip())
    return parts or ("Default",)


def _protobuf_field_1(data: Any) -> int | None:
    """The varint value of field 1 of a protobuf message (a note type's kind: 1 is cloze)."""
    if not isinstance(data, bytes):
        return None
    for number, value in _protobuf_fields(data):
        if number == 1:
            return value
    return None


def _protobuf_fields(data: bytes) -> Iterator[tuple[int, int]]:
    """Top-level ``(field number, varint value)`` pairs; other wire types are skipped."""
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, position = _varint(data, position)
            yield number, value
        elif wire == 1:
            position += 8
        elif wire == 2:
            size, position = _varint(data, position)
            position += size
        elif wire == 5:
            position += 4
        else:
            return


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while position < len(data) and shift < 64:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, position
    return value, len(data)
