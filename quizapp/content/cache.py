"""What each card file gave the loader, kept between runs so that loading 10,000 unchanged
cards does not parse 10,000 files again (``load_library(..., cache_dir=...)``).

The cache can never give back text a file no longer holds:

- an entry is used only for the same path whose ``lstat`` shows the same device, inode, size,
  modification time and change time, to the nanosecond (an edit, a rename over it, a ``touch``
  that sets the old modification time back: each changes the change time, which no program
  can set back);
- a file changed in the last two seconds before the load began is not kept: a second edit
  within the file system's clock tick could leave every time as it was ("racy" files, as git
  calls them); it is parsed again next time;
- links, and files in a folder that leads out of the content folder, are never kept (a link's
  own stat says nothing about what it points at);
- entries are made by this version of the parser only: a digest of the code and constants of
  the loader, its limits and the card model is stored with them, and any other digest (or
  format) empties the cache;
- the file is checked whole (CRC-32) before any of it is used: a file damaged since it was
  written (a flipped bit in a card's text would otherwise be shown), truncated, foreign or of
  another version is ignored and made again; an entry that is still not as this module writes
  it is parsed again. Entries of files gone are dropped.

The file (``<data dir>/cache/content.json``) is a line of JSON (format, parser digest, CRC-32
and size of the rest), the entries as JSON (each card's fields, its texts as offsets), and all
the cards' texts one after the other as UTF-8. It is written to a temporary file and renamed
over the old one, so a crash leaves the old or the new file, never half of one.

Why JSON and not ``pickle``: the cards are text from anyone and the cache sits in a folder other
programs can write; reading JSON can only ever give strings, numbers, lists and dicts, never
run code (``pickle`` can, and ``marshal`` is documented as unsafe for damaged data). It is as
fast: what costs is turning 33 MB of UTF-8 into strings, done here in one ``str`` call for all
texts (~65 ms for 10,000 cards) instead of string by string.

A card with a problem is kept with its problem (``path:line: message``), so a warm load
reports the same problems.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
import types
import zlib
from contextlib import suppress
from pathlib import Path
from typing import Any

from quizapp.content.loader import ParsedCard, _FileError
from quizapp.content.model import Card, DemoRef, Quiz, Text

FORMAT = 5
#: Files changed this shortly before the load began are not kept (see the module docstring).
RACY_NS = 2_000_000_000
#: A cache file larger than this is not read (it is not ours: 10,000 cards make ~35 MB).
MAX_CACHE_BYTES = 1 << 30
#: An entry: [stat, error line, error message] for a file with a problem; for a card, [stat,
#: id, where its texts start, the lengths of question ko, question en, answer ko, answer en,
#: tags, follow-ups, sources, demo, quiz, the id's line, the follow-ups' lines].
Entry = list[Any]
_TEXTS = slice(2, 7)


class ContentCache:
    """The cache file at ``path`` (None: no cache, every file is parsed)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._started = time.time_ns()
        self._entries: dict[str, Entry] = {}
        self._texts = ""  # the texts of the cards in _entries
        self._seen: set[str] = set()
        #: New entries, each with its texts (the offsets in the entry are made on writing).
        self._changed: dict[str, tuple[Entry, tuple[str, ...]]] = {}
        self._outdated: set[str] = set()  # entries whose file has changed since
        self._fresh = False  # the file must be made anew (missing, damaged, another version)
        if path is not None:
            self._digest = parser_digest()
            self._read(path)

    def _read(self, path: Path) -> None:
        try:
            with open(path, "rb") as handle:
                header_line = handle.readline(4096)
                body = handle.read(MAX_CACHE_BYTES + 1)
        except OSError:
            self._fresh = True
            return
        try:
            header = json.loads(header_line)
            if (not isinstance(header, dict) or header.get("format") != FORMAT
                    or header.get("parser") != self._digest
                    or header.get("size") != len(body) or header.get("crc32") != zlib.crc32(body)
                    or type(header.get("index")) is not int):
                raise ValueError("not this version's cache, or damaged")
            index = header["index"]
            entries = json.loads(body[:index])
            if not isinstance(entries, dict):
                raise ValueError("not entries")
            texts = str(memoryview(body)[index:], "utf-8")
        except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError too
            self._fresh = True
            return
        self._entries, self._texts = entries, texts

    # -- while loading ------------------------------------------------------------------------

    def lookup(self, key: str, info: os.stat_result, file: Path, deck_id: str,
               ) -> ParsedCard | _FileError | None:
        """What the file at ``key`` (its absolute path; ``file`` as the card will hold it) gave
        when it had exactly this ``lstat``, or None (parse it)."""
        if self.path is None:
            return None
        self._seen.add(key)
        entry = self._entries.get(key)
        if entry is None:
            return None
        try:
            if entry[0] == _stat(info):
                return _decode(entry, self._texts, file, deck_id)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            pass  # not as written: parse again
        self._outdated.add(key)
        return None

    def store(self, key: str, info: os.stat_result, result: ParsedCard | _FileError) -> None:
        """Keep what the file at ``key`` (with this stat) gave, unless it changed too
        recently."""
        if self.path is None:
            return
        self._seen.add(key)
        if info.st_ctime_ns >= self._started - RACY_NS or info.st_mtime_ns >= (
                self._started - RACY_NS):
            return
        # A preset JSON cannot hold as it is (a TOML date, a NaN) is not kept: parsed every
        # time.
        with suppress(TypeError, ValueError):
            self._changed[key] = _encode(_stat(info), result)

    def finish(self) -> None:
        """Write what changed: new and changed files, and drop the entries of files gone or
        changed (a changed file too recent to keep loses its old entry)."""
        if self.path is None:
            return
        deleted = [key for key in self._entries if key not in self._seen]
        if not self._changed and not deleted and not self._fresh:
            # Only entries of changed files are outdated: their stat can never match again,
            # so they wait for the next write (a reload after each edit rewrites nothing).
            return
        entries: dict[str, Entry] = {}
        texts: list[str] = []
        at = 0

        def add(key: str, entry: Entry, card_texts: tuple[str, ...]) -> None:
            nonlocal at
            if card_texts:
                entry = [entry[0], entry[1], at, *map(len, card_texts), *entry[7:]]
                texts.extend(card_texts)
                at += sum(map(len, card_texts))
            entries[key] = entry

        for key, entry in self._entries.items():
            if key in self._seen and key not in self._outdated and key not in self._changed:
                # Decoded in this load (lookup), so it is as written.
                add(key, entry, () if len(entry) == 3 else _texts_of(entry, self._texts))
        for key, (entry, card_texts) in self._changed.items():
            add(key, entry, card_texts)
        with suppress(OSError, ValueError, TypeError, RecursionError):
            # A read-only or full disk: the cache is only a cache.
            index = json.dumps(entries, ensure_ascii=False, allow_nan=False,
                               separators=(",", ":")).encode("utf-8")
            body = index + "".join(texts).encode("utf-8")
            header = json.dumps({"format": FORMAT, "parser": self._digest, "index": len(index),
                                 "size": len(body), "crc32": zlib.crc32(body)})
            _write_atomically(self.path, header.encode("ascii") + b"\n" + body)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _stat(info: os.stat_result) -> str:
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"


def _encode(stat: str, result: ParsedCard | _FileError) -> tuple[Entry, tuple[str, ...]]:
    if not isinstance(result, ParsedCard):
        return [stat, result.line, result.message], ()
    card = result.card
    demo = None if card.demo is None else [card.demo.id, card.demo.params, card.demo.line]
    quiz = None if card.quiz is None else card.quiz.to_json()
    if demo is not None:
        json.dumps(demo, allow_nan=False)  # TypeError/ValueError: JSON would change it
    texts = (card.question.ko, card.question.en, card.answer.ko, card.answer.en)
    return [stat, card.id, 0, 0, 0, 0, 0, card.tags, card.follow_ups, card.sources, demo, quiz,
            result.id_line, result.follow_up_lines], texts


def _texts_of(entry: Entry, texts: str) -> tuple[str, str, str, str]:
    """The four texts of a card entry (``TypeError`` when its offsets are not integers)."""
    at, question_ko, question_en, answer_ko, answer_en = entry[_TEXTS]
    b = at + question_ko
    c = b + question_en
    d = c + answer_ko
    e = d + answer_en
    if not 0 <= at <= b <= c <= d <= e <= len(texts):
        raise ValueError("texts out of range")
    return texts[at:b], texts[b:c], texts[c:d], texts[d:e]


def _strings(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise TypeError("not a list")
    "".join(value)  # TypeError unless every item is a string (faster than testing each)
    return tuple(value)


def _decode(entry: Entry, texts: str, file: Path, deck_id: str) -> ParsedCard | _FileError:
    """The result kept in ``entry``; ``TypeError``/``ValueError``/... when it is not as this
    module writes it (then the file is parsed again)."""
    if len(entry) == 3:
        _, line, message = entry
        if type(line) is not int or type(message) is not str:
            raise TypeError("not a problem")
        return _FileError(line, message)
    (_, card_id, _, _, _, _, _, tags, follow_ups, sources, demo, quiz, id_line,
     follow_up_lines) = entry
    question_ko, question_en, answer_ko, answer_en = _texts_of(entry, texts)
    if not (type(card_id) is str and type(id_line) is int and type(follow_up_lines) is list
            and len(follow_up_lines) == len(follow_ups)
            and (not follow_up_lines or set(map(type, follow_up_lines)) == {int})):
        raise TypeError("not a card")
    card = Card(card_id, deck_id, Text(question_ko, question_en), Text(answer_ko, answer_en),
                _strings(tags), _strings(follow_ups),
                None if demo is None else _demo(demo), None if quiz is None else _quiz(quiz),
                _strings(sources), file)
    return ParsedCard(card, id_line, tuple(follow_up_lines))


def _demo(value: Any) -> DemoRef:
    demo_id, params, line = value
    if type(demo_id) is not str or type(params) is not dict or type(line) is not int:
        raise TypeError("not a demo reference")
    return DemoRef(demo_id, params, line)


def _quiz(value: Any) -> Quiz:
    answer = value["answer"]
    distractors = {k: list(_strings(v)) for k, v in value["distractors"].items()}
    keywords = {k: list(_strings(v)) for k, v in value["keywords"].items()}
    if answer is not None and not (type(answer["ko"]) is str and type(answer["en"]) is str):
        raise TypeError("not a quiz answer")
    return Quiz(distractors=distractors, keywords=keywords,
                answer=None if answer is None else Text(answer["ko"], answer["en"]))


def parser_digest() -> str:
    """A digest of what decides what a card file gives: the code and constants of the
    loader, its limits, the card model and this module (not their line numbers or file
    names, and stable from one run to the next)."""
    from quizapp.content import limits, loader, model

    digest = hashlib.blake2b(digest_size=16)
    for module in (loader, limits, model, __import__(__name__, fromlist=["_"])):
        for name, value in sorted(vars(module).items()):
            if isinstance(value, type) and value.__module__ == module.__name__:
                for member_name, member in sorted(vars(value).items()):
                    _digest_value(digest, f"{name}.{member_name}", member)
            else:
                _digest_value(digest, name, value, module.__name__)
    return digest.hexdigest()


def _digest_value(digest: Any, name: str, value: object, module: str | None = None) -> None:
    if isinstance(value, types.FunctionType) and (module is None
                                                  or value.__module__ == module):
        digest.update(name.encode())
        _digest_code(digest, value.__code__)
    elif isinstance(value, re.Pattern):
        digest.update(f"{name}={value.pattern!r}/{value.flags}".encode())
    elif isinstance(value, int | float | str | bytes | tuple | frozenset):
        digest.update(f"{name}={_stable_repr(value)}".encode())


def _digest_code(digest: Any, code: types.CodeType) -> None:
    digest.update(code.co_code)
    digest.update(repr(code.co_names).encode())
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            _digest_code(digest, constant)
        else:
            digest.update(_stable_repr(constant).encode())


_PLAIN = (int, float, complex, str, bytes, type(None), type(Ellipsis))


def _stable_repr(value: object) -> str:
    """``repr``, with sets in sorted order (their order changes with the hash seed), and of
    other objects (a function in ``NamedTuple``'s ``__orig_bases__``) only their type: their
    ``repr`` holds an address, different in each run."""
    if isinstance(value, frozenset | set):
        return "{" + ", ".join(sorted(_stable_repr(v) for v in value)) + "}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_stable_repr(v) for v in value) + ")"
    if isinstance(value, _PLAIN):
        return repr(value)
    return f"<{type(value).__qualname__}>"
