"""Read Anki's text exports of notes: "Notes in Plain Text" (``.txt``) and CSV/TSV files.

Anki (2.1.55 and later) starts a text export with header lines such as::

    #separator:tab
    #html:true
    #guid column:1
    #notetype column:2
    #deck column:3
    #tags column:6

then one note per line, fields separated by the separator (a field holding the separator, a
quote or a line break is quoted CSV-style). Recognised headers: ``separator`` (``tab``,
``comma``, ``semicolon``, ``space``, ``pipe``, ``colon`` or one character), ``html``,
``guid column``, ``notetype column``, ``deck column``, ``tags column``, ``deck``,
``notetype``, ``tags`` (added to every note) and ``columns`` (column names, which work like a
header row). Other ``#`` headers are ignored.

Without headers: a ``.tsv`` is tab-separated, a ``.txt`` tab-separated unless sniffed
otherwise, a ``.csv`` comma-, semicolon- or tab-separated as sniffed. A first row naming its
columns (``question``/``front``/``text``, ``answer``/``back``, ``tags``, ``deck``, ``guid``)
is a header row. Otherwise the first column is the question, the second the answer; other
columns are ignored. Fields are HTML when ``#html:true`` says so, or when no header says and
they contain HTML tags; otherwise plain text. The deck is the ``deck`` column or header, else the
file's name.

A row with fewer than two fields is skipped with its line number.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from quizapp.interop.anki_notes import MAX_NOTES, AnkiNote, AnkiNotes, RefusedFileError

#: A text export larger than this is refused.
MAX_TEXT_BYTES = 32 * 1024 * 1024
#: The header of the FSRS review-log CSV schema (another importer's format).
REVIEW_LOG_COLUMNS = ("card_id", "review_time", "review_rating", "review_state",
                      "review_duration")
_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|",
               "colon": ":"}
_HEADER_RE = re.compile(r"^#([a-z ]+):(.*)$")
_HTML_TAG = re.compile(r"</?(br|div|p|b|i|u|em|strong|span|ul|ol|li|img|a|sub|sup|code|pre|"
                       r"font|table|tr|td|h[1-6])\b", re.I)
_QUESTION_NAMES = {"question", "front", "text", "질문"}
_ANSWER_NAMES = {"answer", "back", "back extra", "답", "답변"}


def read_text_file(path: Path) -> str:
    """The UTF-8 text of a text export (a BOM is dropped); ``RefusedFileError`` when it is too large
    or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise RefusedFileError(f"the file is too large ({size:,} bytes; the limit is "
                                   f"{MAX_TEXT_BYTES:,})")
        data = path.read_bytes()[: MAX_TEXT_BYTES + 1]
    except OSError as err:
        raise RefusedFileError(f"cannot read the file ({err.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise RefusedFileError(f"line {line}: not UTF-8 text ({err.reason})") from None


def is_review_log(text: str) -> bool:
    """True when the first line is a header of the FSRS review-log CSV schema: ``card_id`` and
    ``review_time`` with or without the other columns (the review-log importer then names
    the missing ones, rather than the file being taken for notes)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip().lower()
    cells = {cell.strip().strip('"') for cell in re.split(r"[,;\t]", first)}
    return set(REVIEW_LOG_COLUMNS[:2]) <= cells


def read_notes_text(path: Path, text: str) -> AnkiNotes:
    """The notes of a text export ``text`` (read from ``path``, whose suffix and name matter)."""
    headers, body, first_line = _headers(text)
    separator = _separator(headers.get("separator"), path, body)
    try:
        rows = _rows(body, separator)
    except csv.Error as err:
        raise RefusedFileError(f"not a readable {separator!r}-separated file ({err})") from None
    columns = _columns(headers)
    if "columns" in headers:
        names = [n.strip().lower() for n in headers["columns"].split(separator)]
        columns.update(_named_columns(names))
    elif rows and not columns and _looks_like_header(rows[0][1]):
        columns.update(_named_columns([cell.strip().lower() for cell in rows[0][1]]))
        rows = rows[1:]
    if len(rows) > MAX_NOTES:
        raise RefusedFileError(f"the file has {len(rows):,} notes; the limit is {MAX_NOTES:,}")
    html = _html_flag(headers.get("html"), rows)
    default_deck = headers.get("deck", "").strip() or path.stem
    extra_tags = tuple(headers.get("tags", "").split())
    notes: list[AnkiNote] = []
    skipped: list[str] = []
    field_columns = [c for c in range(max((len(r) for _, r in rows), default=0))
                     if c not in {columns.get(k) for k in ("guid", "notetype", "deck", "tags")}]
    question_at = columns.get("question", field_columns[0] if field_columns else 0)
    answer_at = columns.get("answer", field_columns[1] if len(field_columns) > 1 else 1)
    for number, row in rows:
        line = first_line + number
        if len(row) <= max(question_at, answer_at):
            if any(cell.strip() for cell in row):
                skipped.append(f"line {line}: fewer than two fields")
            continue
        guid = _cell(row, columns.get("guid")) or None
        deck = _cell(row, columns.get("deck")) or default_deck
        tags = tuple(_cell(row, columns.get("tags")).split()) + extra_tags
        question, answer = row[question_at], row[answer_at]
        deck_parts = tuple(p.strip() for p in deck.split("::") if p.strip()) or ("Default",)
        notes.append(AnkiNote(
            guid=guid, key=f"{'::'.join(deck_parts)}\x1f{question}", order=line,
            notetype=_cell(row, columns.get("notetype")) or headers.get("notetype", ""),
            field_names=("Front", "Back"), fields=(question, answer), tags=tags,
            deck=deck_parts, html=html))
    return AnkiNotes(notes=notes, skipped=skipped)


def _headers(text: str) -> tuple[dict[str, str], str, int]:
    """Anki's ``#key:value`` header lines; the rest of the text; the line number it starts on."""
    headers: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines) and (match := _HEADER_RE.match(lines[index].rstrip("\r"))):
        headers[match.group(1).strip()] = match.group(2)
        index += 1
    return headers, "\n".join(lines[index:]), index + 1


def _separator(value: str | None, path: Path, body: str) -> str:
    if value is not None:
        named = _SEPARATORS.get(value.strip().lower())
        if named is not None:
            return named
        if len(value) == 1:
            return value
        raise RefusedFileError(f"unknown separator {value!r} in the #separator header")
    if path.suffix.lower() == ".tsv":
        return "\t"
    sample = body[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters="\t,;").delimiter
    except csv.Error:
        return "\t" if path.suffix.lower() == ".txt" or "\t" in sample else ","


def _rows(body: str, separator: str) -> list[tuple[int, list[str]]]:
    """``(line offset, cells)`` for every row (a quoted field may span lines)."""
    csv.field_size_limit(MAX_TEXT_BYTES)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator)
    rows: list[tuple[int, list[str]]] = []
    line = 0
    for row in reader:
        if row and any(cell.strip() for cell in row):
            rows.append((line, row))
        line = reader.line_num
        if len(rows) > MAX_NOTES:
            break
    return rows


def _columns(headers: dict[str, str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for key in ("guid", "notetype", "deck", "tags"):
        value = headers.get(f"{key} column", "").strip()
        if value.isdigit() and int(value) >= 1:
            columns[key] = int(value) - 1
    return columns


def _named_columns(names: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in _QUESTION_NAMES and "question" not in columns:
            columns["question"] = index
        elif name in _ANSWER_NAMES and "answer" not in columns:
            columns["answer"] = index
        elif name in ("tags", "deck", "guid", "notetype") and name not in columns:
            columns[name] = index
    return columns


def _looks_like_header(row: list[str]) -> bool:
    names = {cell.strip().lower() for cell in row}
    return bool(names & _QUESTION_NAMES) and bool(names & _ANSWER_NAMES)


def _html_flag(value: str | None, rows: list[tuple[int, list[str]]]) -> bool:
    if value is not None:
        return value.strip().lower() == "true"
    return any(_HTML_TAG.search(cell) for _, row in rows[:200] for cell in row)


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()
