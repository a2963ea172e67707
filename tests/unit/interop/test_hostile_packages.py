"""A hostile or broken package is refused as a whole: one line saying why, exit status 1, no
traceback, and nothing written (the data folder, which already holds a user deck, is compared
byte for byte)."""

from __future__ import annotations

import io
import sqlite3
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import zstandard
from anki_test_files import (
    CURRENT,
    LEGACY,
    current_collection_bytes,
    package_with_collection,
    run_import,
    snapshot,
)
from card_files import write_card, write_deck

from quizapp.interop import anki_package, notes_text

MAIN = Path(__file__).resolve().parents[3] / "main.py"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder with one user deck already in it."""
    folder = tmp_path / "data"
    write_card(write_deck(folder / "decks" / "mine", "mine"), "01.md", "u1")
    return folder


def assert_refused(capsys: pytest.CaptureFixture[str], package: Path, data: Path,
                   content: Path, message: str) -> None:
    before = snapshot(data)
    status, out, err = run_import(capsys, package, data, content)
    assert (status, out) == (1, "")
    assert err.startswith(f"error: {package}: refused: ") and err.count("\n") == 1, err
    assert message in err and err.endswith("; nothing was imported\n"), err
    assert snapshot(data) == before


def zip_with(target: Path, entries: dict[str, bytes],
             compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(target, "w", compression) as archive:
        for name, payload in entries.items():
            archive.writestr(zipfile.ZipInfo(name), payload, compress_type=compression)
    return target


def legacy_collection() -> bytes:
    with zipfile.ZipFile(LEGACY) as archive:
        return archive.read("collection.anki2")


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "a/../../evil", "C:\\evil",
                                  "..\\evil"])
def test_unsafe_names_in_the_zip(small_content: Path, tmp_path: Path, data: Path,
                                 capsys: pytest.CaptureFixture[str], name: str) -> None:
    package = zip_with(tmp_path / "names.apkg",
                       {"collection.anki2": legacy_collection(), name: b"x"})
    assert_refused(capsys, package, data, small_content, "unsafe file name in the package")


def test_a_zip_bomb_entry_by_its_declared_ratio(small_content: Path, tmp_path: Path, data: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    package = zip_with(tmp_path / "bomb.apkg", {"collection.anki2": legacy_collection(),
                                                "0": bytes(50 * 1024 * 1024)})
    assert package.stat().st_size < 200_000
    assert_refused(capsys, package, data, small_content, "'0' in the package expands "
                                                         "52,428,800 bytes from")


def test_an_entry_that_expands_past_its_declared_size(small_content: Path, tmp_path: Path,
                                                      data: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The zip directory says 30,000 bytes; the deflated data holds the 61,440-byte database."""
    package = zip_with(tmp_path / "lying.apkg", {"collection.anki2": legacy_collection()})
    raw = bytearray(package.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = raw.find(signature)
        struct.pack_into("<I", raw, at + offset, 30_000)
    package.write_bytes(bytes(raw))
    with zipfile.ZipFile(package) as archive:
        assert archive.getinfo("collection.anki2").file_size == 30_000
    assert_refused(capsys, package, data, small_content, "damaged package")


def test_a_zstd_bomb(small_content: Path, tmp_path: Path, data: Path,
                     capsys: pytest.CaptureFixture[str]) -> None:
    """64 MB of zeros zstd-compress to a few KB; reading stops after 1 MB, long before."""
    compressed = io.BytesIO()
    with zstandard.ZstdCompressor().stream_writer(compressed, closefd=False) as writer:
        chunk = bytes(1024 * 1024)
        for _ in range(64):
            writer.write(chunk)
    package = zip_with(tmp_path / "zbomb.apkg", {"collection.anki21b": compressed.getvalue()},
                       compression=zipfile.ZIP_STORED)
    assert package.stat().st_size < 20_000
    assert_refused(capsys, package, data, small_content, "collection.anki21b (zstd) expands")


@pytest.mark.parametrize(("limit", "value", "message"), [
    ("MAX_COLLECTION_BYTES", 10_000, "the collection is too large (61,440 bytes; the limit is "
                                     "10,000)"),
    ("MAX_ENTRY_BYTES", 20_000, "'collection.anki2' in the package is too large (61,440 bytes "
                                "declared)"),
    ("MAX_TOTAL_BYTES", 61_441, "the package declares 61,442 bytes in all; the limit is 61,441"),
    ("MAX_ENTRIES", 1, "the package has 2 files; the limit is 1"),
])
def test_oversize_packages(small_content: Path, data: Path, capsys: pytest.CaptureFixture[str],
                           monkeypatch: pytest.MonkeyPatch, limit: str, value: int,
                           message: str) -> None:
    monkeypatch.setattr(anki_package, limit, value)
    assert_refused(capsys, LEGACY, data, small_content, message)


def test_too_many_notes(small_content: Path, data: Path, capsys: pytest.CaptureFixture[str],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(anki_package, "MAX_NOTES", 4)
    assert_refused(capsys, CURRENT, data, small_content, "the package has 5 notes; the limit is 4")


def test_too_many_notes_in_a_text_export(small_content: Path, tmp_path: Path, data: Path,
                                         capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notes_text, "MAX_NOTES", 2)
    notes = tmp_path / "many.txt"
    notes.write_text("".join(f"q{i}\ta{i}\n" for i in range(5)), encoding="utf-8")
    assert_refused(capsys, notes, data, small_content, "notes; the limit is 2")


def test_reading_that_takes_too_long(small_content: Path, data: Path,
                                     capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(anki_package, "MAX_SECONDS", -1.0)
    assert_refused(capsys, CURRENT, data, small_content, "reading the collection took more than")


def _sqlite(tmp_path: Path, *statements: str) -> bytes:
    database = tmp_path / "other.sqlite"
    with sqlite3.connect(database) as connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()
    return database.read_bytes()


@pytest.mark.parametrize(("case", "message"), [
    ("not a zip", "not an Anki package (not a readable zip file"),
    ("no collection", "not an Anki package (no collection.anki21b"),
    ("not sqlite", "the collection inside the package is not an SQLite database"),
    ("other sqlite", "not an Anki collection (no 'col' table)"),
    ("notes is a view", "not an Anki collection (no 'notes' table)"),
    ("anki21b not zstd", "collection.anki21b is not zstd-compressed"),
    ("damaged zstd", "collection.anki21b is damaged (zstd:"),
    ("damaged sqlite", "the collection"),
])
def test_packages_that_are_not_anki_collections(small_content: Path, tmp_path: Path,
                                                data: Path, capsys: pytest.CaptureFixture[str],
                                                case: str, message: str) -> None:
    package = tmp_path / "case.apkg"
    if case == "not a zip":
        package.write_text("just text", encoding="utf-8")
    elif case == "no collection":
        zip_with(package, {"media": b"{}", "0": b"image"})
    elif case == "not sqlite":
        zip_with(package, {"collection.anki2": b"not a database " * 100})
    elif case == "other sqlite":
        zip_with(package, {"collection.anki2": _sqlite(tmp_path, "CREATE TABLE foo (x)")})
    elif case == "notes is a view":
        zip_with(package, {"collection.anki2": _sqlite(
            tmp_path, "CREATE TABLE col (models, decks)", "CREATE TABLE cards (nid, did, odid)",
            "CREATE VIEW notes AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
            "FROM r) SELECT i AS id FROM r")})
    elif case == "anki21b not zstd":
        zip_with(package, {"collection.anki21b": legacy_collection()})
    elif case == "damaged zstd":
        zip_with(package, {"collection.anki21b": b"\x28\xb5\x2f\xfd" + b"\xff" * 200})
    else:
        database = bytearray(current_collection_bytes())
        database[100:40_000] = b"\xa5" * (40_000 - 100)  # the schema and first pages garbled
        package_with_collection(package, bytes(database))
    assert_refused(capsys, package, data, small_content, message)


def test_the_command_line_refuses_without_a_traceback(small_content: Path, tmp_path: Path,
                                                      data: Path) -> None:
    package = zip_with(tmp_path / "names.apkg",
                       {"collection.anki2": legacy_collection(), "../evil": b"x"})
    before = snapshot(data)
    result = subprocess.run([sys.executable, str(MAIN), "import", str(package), "--data-dir",
                             str(data), "--content", str(small_content)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (f"error: {package}: refused: unsafe file name in the package: "
                             "'../evil'; nothing was imported\n")
    assert snapshot(data) == before
