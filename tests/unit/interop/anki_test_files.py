"""Helpers for the Anki import tests: run the command in-process, snapshot a folder, and build
packages (hostile or edited) from the fixtures in tests/data/."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
import zstandard

from quizapp.cli import main

DATA = Path(__file__).resolve().parents[2] / "data"
CURRENT = DATA / "anki_current.apkg"      # made by Anki: collection.anki21b (zstd)
LEGACY21 = DATA / "anki_legacy21.apkg"    # made by Anki, legacy export: collection.anki21
LEGACY = DATA / "anki_legacy.apkg"        # made by genanki: collection.anki2
NOTES_TXT = DATA / "anki_notes.txt"       # made by Anki: Notes in Plain Text


def run_import(capsys: pytest.CaptureFixture[str], path: Path, data: Path,
               content: Path) -> tuple[int, str, str]:
    """``main.py import PATH`` in this process: (status, stdout, stderr)."""
    status = main(["import", str(path), "--data-dir", str(data), "--content", str(content)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` with the sha256 of each file."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            if p.is_file() else "dir" for p in sorted(folder.rglob("*"))}


def current_collection_bytes() -> bytes:
    """The SQLite collection inside the anki21b fixture, decompressed."""
    with zipfile.ZipFile(CURRENT) as archive:
        compressed = archive.read("collection.anki21b")
    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(compressed))
    return reader.read()


def package_with_collection(target: Path, database: bytes, name: str = "collection.anki21b",
                            compress: bool = True) -> Path:
    """An .apkg holding ``database`` as ``name`` (zstd-compressed when ``compress``)."""
    data = zstandard.ZstdCompressor().compress(database) if compress else database
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("meta", b"\x08\x03")
        archive.writestr(name, data)
        archive.writestr("media", b"")
    return target


def edited_current(target: Path, tmp_path: Path, sql: str, *params: object) -> Path:
    """The anki21b fixture with ``sql`` run on its collection (a note edited in Anki)."""
    database = tmp_path / "edited.sqlite"
    database.write_bytes(current_collection_bytes())
    with sqlite3.connect(database) as connection:
        connection.execute(sql, params)
    connection.close()
    return package_with_collection(target, database.read_bytes())
