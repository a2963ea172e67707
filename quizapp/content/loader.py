"""Load decks and cards from a content folder, reporting every problem as ``path:line: message``.

Layout (see ``docs/ARCHITECTURE.md``, "Content format")::

    content/<deck folder>/deck.toml     id, order, [title] ko/en
    content/<deck folder>/<name>.md     one card: TOML front matter between ``+++`` lines,
                                        then ``::: question.ko`` / ``::: answer.ko`` /
                                        ``::: question.en`` / ``::: answer.en`` sections

A broken file is reported and skipped; every other card still loads. A card whose
follow-up or demo reference is wrong still loads, without that link.
"""

from __future__ import annotations

import gc
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import compress
from operator import methodcaller
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING, Any, NamedTuple

import rtoml

from quizapp import resources
from quizapp.content.limits import (
    MAX_CARD_BYTES,
    MAX_DECK_BYTES,
    MAX_QUIZ_CHARS,
    section_problems,
)
from quizapp.content.model import LANGUAGES, Card, Deck, DemoRef, Issue, Library, Quiz, Text

FENCE = "+++"
SECTION_RE = re.compile(r"^:::\s*(\S+)\s*$")
_starts_section = methodcaller("startswith", ":::")
SECTIONS = tuple(f"{part}.{lang}" for lang in LANGUAGES for part in ("question", "answer"))
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
CARD_KEYS = {"id", "tags", "follow_ups", "sources", "demo", "quiz"}
DECK_KEYS = {"id", "title", "order"}
#: Where rtoml puts the position in its messages: "... at line 3 column 7".
TOML_WHERE_RE = re.compile(r"\s*at line (\d+) column (\d+)")
#: Part of the parser digest (content/cache.py): another TOML reader may read a file otherwise.
TOML_READER = f"rtoml {rtoml.__version__}"

if TYPE_CHECKING:
    from quizapp.content.cache import ContentCache

#: The content cache's file in the data folder's cache folder (see ``content/cache.py``).
CACHE_NAME = "content.json"

#: Checks a card's demo reference; returns problems (empty when fine). Supplied by the caller
#: so that ``content`` does not depend on ``demos``.
DemoValidator = Callable[[DemoRef], list[str]]


class _FileError(Exception):
    """A problem that makes one file unusable; carries the 1-based line it is on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def default_content_dir() -> Path:
    """The shipped ``content/`` folder: next to the ``quizapp`` package in a checkout, inside
    the desktop bundle when frozen (``quizapp.resources``)."""
    return resources.content_dir()


def load_library(content_dir: Path, validate_demo: DemoValidator | None = None,
                 user_dir: Path | None = None, cache_dir: Path | None = None) -> Library:
    """Load every deck under ``content_dir`` (the shipped cards) and, when given, under
    ``user_dir`` (the user's own decks, same format); never raises for bad content.

    A user card with the id of a shipped card replaces it (that is how a shipped card is
    edited: a user copy with the same id keeps its progress). A user deck with a shipped deck's
    id adds its cards to that deck.

    Every file is read through ``_read_file``: a symbolic link out of its folder, a broken
    link, a directory where a file should be, an unreadable or oversized file, or bytes that are
    not UTF-8 become a ``path:line`` issue and a skipped file, never an exception.

    With ``cache_dir``, what each card file gave (its card, or its problem) is kept in
    ``cache_dir/content.json`` and used again while the file's size, modification and change
    times (to the nanosecond), inode and device are the same (``content/cache.py``): the
    result is the same as without it.
    """
    # Loading makes some 100,000 objects that all stay alive: each ~700 of them would start a
    # collection of the cyclic garbage collector, which walks every object the program holds
    # (with 10,000 cards already loaded, a reload took 0.56 s instead of 0.29 s). Nothing here
    # needs it; it runs as usual afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        loaded = _load_all(content_dir, user_dir, cache_dir)
    finally:
        if collecting:
            gc.enable()
    cards = [_checked_links(card, loaded.card_refs, loaded.issues)
             for card in loaded.cards.values()]
    decks = sorted(loaded.decks.values(), key=lambda d: (d.order, d.id))
    deck_rank = {d.id: i for i, d in enumerate(decks)}
    cards.sort(key=lambda c: deck_rank[c.deck])  # stable: file order within a deck
    library = Library(decks=decks, cards=cards, issues=loaded.issues,
                      skipped=sorted(loaded.skipped), user_dir=user_dir,
                      content_dir=content_dir, cache_dir=cache_dir)
    if validate_demo is not None:
        check_demo_links(library, validate_demo)
    return library


def _load_all(content_dir: Path, user_dir: Path | None, cache_dir: Path | None) -> _Loaded:
    from quizapp.content.cache import ContentCache

    loaded = _Loaded()
    cache = ContentCache(cache_dir / CACHE_NAME if cache_dir is not None else None)
    if not content_dir.is_dir():
        loaded.issues.append(Issue(content_dir, 0, "content folder not found"))
    else:
        _load_root(content_dir, loaded, user=False, cache=cache)
    if user_dir is not None and user_dir.is_dir():
        _load_root(user_dir, loaded, user=True, cache=cache)
    cache.finish()
    return loaded


def deck_folders(root: Path) -> dict[str, Path]:
    """The folders under ``root`` that hold a valid ``deck.toml``, by deck id (the first one
    of a duplicated id, as the loader keeps it)."""
    found: dict[str, Path] = {}
    if not root.is_dir():
        return found
    resolved = root.resolve()
    for folder in _entries(root, []):
        deck_file = folder / "deck.toml"
        if folder.name.startswith(".") or not _is_dir(folder) or not deck_file.is_file():
            continue
        try:
            deck = _parse_deck(deck_file, _read_file(deck_file, resolved, MAX_DECK_BYTES))
        except _FileError:
            continue
        found.setdefault(deck.id, folder)
    return found


class ParsedCard(NamedTuple):
    """What one card file gives: the card (its deck is the folder's) and the lines the loader's
    messages point at: where the id is, and where each follow-up reference is (a named tuple:
    made 10,000 times on a warm load, and cheaper than a frozen dataclass)."""

    card: Card
    id_line: int
    follow_up_lines: tuple[int, ...]


@dataclass
class _Loaded:
    """What the roots loaded so far."""

    issues: list[Issue] = field(default_factory=list)
    skipped: set[Path] = field(default_factory=set)
    decks: dict[str, Deck] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)  # in load order
    #: Per card id: its file and the line of each of its follow-up references.
    card_refs: dict[str, tuple[Path, tuple[int, ...]]] = field(default_factory=dict)
    shipped: set[str] = field(default_factory=set)  # card ids from the shipped folder


def _load_root(content_dir: Path, loaded: _Loaded, user: bool, cache: ContentCache) -> None:
    root = content_dir.resolve()
    deck_files: dict[str, Path] = {}
    issues, skipped = loaded.issues, loaded.skipped
    for folder in _entries(content_dir, issues):
        if folder.name.startswith(".") or not _is_dir(folder):
            continue
        entries = _entries(folder, issues)
        card_files = [p for p in entries if p.suffix == ".md"]
        deck_file = folder / "deck.toml"
        if not (deck_file.exists() or deck_file.is_symlink()):
            for card_file in card_files:
                issues.append(Issue(card_file, 1, f"no deck.toml in {folder.name}/"))
                skipped.add(card_file)
            continue
        try:
            deck = _parse_deck(deck_file, _read_file(deck_file, root, MAX_DECK_BYTES))
        except _FileError as err:
            issues.append(Issue(deck_file, err.line, err.message))
            skipped.update([deck_file, *card_files])
            continue
        if deck.id in deck_files:
            issues.append(Issue(deck_file, 1, f"duplicate deck id '{deck.id}' "
                                              f"(also in {deck_files[deck.id]})"))
            skipped.update([deck_file, *card_files])
            continue
        deck_files[deck.id] = deck_file
        loaded.decks.setdefault(deck.id, deck)  # a user deck may extend a shipped one
        try:  # where the folder really is: a file in it that is no link is there too
            folder_target: Path | None = folder.resolve(strict=True)
        except (OSError, RuntimeError):
            folder_target = None
        if folder_target is not None and not folder_target.is_relative_to(root):
            folder_target = None  # a folder that leads out: every file is checked in full
        folder_name = os.path.join(os.path.abspath(folder), "")
        for card_file in card_files:
            try:
                parsed = _card_file(card_file, folder_name + card_file.name, deck.id, root,
                                    folder_target, cache)
            except _FileError as err:
                issues.append(Issue(card_file, err.line, err.message))
                skipped.add(card_file)
                continue
            card = parsed.card
            overrides = user and card.id in loaded.shipped
            if card.id in loaded.card_refs and not overrides:
                first = loaded.card_refs[card.id][0]
                issues.append(Issue(card_file, parsed.id_line, f"duplicate card id '{card.id}' "
                                                               f"(first defined in {first})"))
                skipped.add(card_file)
                continue
            if overrides:
                loaded.shipped.discard(card.id)  # a second user copy is a duplicate
            elif not user:
                loaded.shipped.add(card.id)
            loaded.card_refs[card.id] = (card_file, parsed.follow_up_lines)
            loaded.cards[card.id] = card


def _card_file(path: Path, name: str, deck_id: str, root: Path, folder_target: Path | None,
               cache: ContentCache) -> ParsedCard:
    """The card in ``path`` (``name``: its absolute path as a string; ``_FileError`` when it
    cannot be used), from the cache when the file is the one the cache saw."""
    try:
        info = os.lstat(name)
    except OSError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode) and folder_target is not None:
        # Neither the file nor (resolved) its folder is a link out: it is where it seems to
        # be, and what it gives depends on its bytes alone.
        cached = cache.lookup(name, info, path, deck_id)
        if cached is not None:
            if isinstance(cached, _FileError):
                raise cached
            return cached
        try:
            text = _read_file(path, root, MAX_CARD_BYTES, info=info, name=name)
            result: ParsedCard | _FileError = _parse_card_file(path, text, deck_id)
        except _FileError as err:
            result = err
        cache.store(name, info, result)
        if isinstance(result, _FileError):
            raise result
        return result
    # A link, something that is not a file, or a folder that leads out: checked in full,
    # never cached (a link's own stat says nothing about what it points at).
    return _parse_card_file(path, _read_file(path, root, MAX_CARD_BYTES), deck_id)


def _entries(folder: Path, issues: list[Issue]) -> list[Path]:
    """The entries of ``folder`` in name order (an issue, and none, when it cannot be listed)."""
    try:  # the order of paths in one folder is the order of their names (compared as paths)
        return sorted(folder.iterdir(), key=_path_order)
    except OSError as err:
        issues.append(Issue(folder, 0, f"cannot list this folder ({err.strerror})"))
        return []


def _path_order(path: Path) -> str:
    """How paths of one folder compare: by name, case-insensitively where paths are
    (``PureWindowsPath``)."""
    return path.name.lower() if isinstance(path, PureWindowsPath) else path.name


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a looping symlink on some Pythons
        return False


def _read_file(path: Path, root: Path, max_bytes: int, info: os.stat_result | None = None,
               name: str | None = None) -> str:
    """The UTF-8 text of ``path``, refusing what content must never make us read or choke on.

    A caller that knows the file is no link and its folder is inside ``root`` passes its
    ``lstat`` as ``info`` and its absolute path as ``name``."""
    if info is None:
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError) as err:  # RuntimeError: a symlink loop on Python < 3.13
            if path.is_symlink() or isinstance(err, RuntimeError):
                raise _FileError(1, "broken or looping symbolic link") from None
            raise _FileError(1, f"cannot read this file ({err.strerror})") from None
        if not target.is_relative_to(root):
            raise _FileError(1, "links to a file outside the content folder; not followed")
    if info is None:
        try:
            info = path.stat()
        except OSError as err:
            raise _FileError(1, f"cannot read this file ({err.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise _FileError(1, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise _FileError(1, "is not a regular file")
    if info.st_size > max_bytes:
        raise _FileError(1, f"file is too large ({info.st_size:,} bytes; the limit is "
                            f"{max_bytes:,})")
    try:
        with open(name or path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        raise _FileError(1, f"cannot read this file ({err.strerror})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise _FileError(line, f"not UTF-8 text ({err.reason} at byte {err.start})") from None


def _checked_links(
    card: Card,
    card_refs: dict[str, tuple[Path, tuple[int, ...]]],
    issues: list[Issue],
) -> Card:
    """Report follow-up references that do not resolve, and drop them from the card."""
    if all(ref in card_refs for ref in card.follow_ups):
        return card
    path, lines = card_refs[card.id]
    good_follow_ups = []
    for ref, line in zip(card.follow_ups, lines, strict=True):
        if ref in card_refs:
            good_follow_ups.append(ref)
        else:
            issues.append(Issue(path, line, f"unknown follow-up id '{ref}'"))
    if len(good_follow_ups) == len(card.follow_ups):
        return card
    return replace(card, follow_ups=tuple(good_follow_ups))


def check_demo_links(library: Library, validate_demo: DemoValidator) -> None:
    """Validate every card's ``[demo]`` reference with ``validate_demo``; report each problem as
    a ``path:line`` issue and drop that card's demo link (the card itself still loads).

    ``load_library`` calls this when given a validator (``check`` does); the GUI calls it after
    the first card is on screen, so that start-up does not import the demos — the same function,
    so both see exactly the same problems.
    """
    checked = []
    for card in library.cards:
        demo = card.demo
        problems = validate_demo(demo) if demo is not None else []
        for problem in problems:
            assert demo is not None
            library.issues.append(Issue(card.path or Path(card.id), demo.line,
                                        f"demo '{demo.id}': {problem}"))
        checked.append(replace(card, demo=None) if problems else card)
    library.replace_cards(checked)


def _parse_deck(path: Path, text: str) -> Deck:
    data = _parse_toml(text, first_line=1)
    lines = text.splitlines()
    _reject_unknown_keys(data, DECK_KEYS, lines, "deck.toml")
    deck_id = _required_id(data, lines)
    title = data.get("title")
    if not isinstance(title, dict) or not all(
        isinstance(title.get(lang), str) and title[lang].strip() for lang in LANGUAGES
    ):
        raise _FileError(_key_line(lines, "title"), "deck needs [title] with non-empty ko and en")
    order = data.get("order", 0)
    if not isinstance(order, int):
        raise _FileError(_key_line(lines, "order"), "'order' must be an integer")
    return Deck(id=deck_id, title=Text(ko=title["ko"], en=title["en"]), order=order, path=path)


def _parse_card(path: Path, text: str, deck_id: str) -> Card:
    return _parse_card_file(path, text, deck_id).card


def _parse_card_file(path: Path, text: str, deck_id: str) -> ParsedCard:
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise _FileError(1, f"card must start with a '{FENCE}' line (TOML front matter)")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise _FileError(1, f"front matter opened here is never closed with '{FENCE}'") from None
    front_lines = lines[: end + 1]
    data = _parse_toml("\n".join(lines[1:end]), first_line=2)
    _reject_unknown_keys(data, CARD_KEYS, front_lines, "card front matter")
    card_id = _required_id(data, front_lines)
    sections = _parse_sections(lines, end + 1)
    _check_quiz_sizes(data.get("quiz"), front_lines)
    card = Card(
        id=card_id,
        deck=deck_id,
        question=Text(ko=sections["question.ko"], en=sections["question.en"]),
        answer=Text(ko=sections["answer.ko"], en=sections["answer.en"]),
        tags=_string_list(data, "tags", front_lines),
        follow_ups=_string_list(data, "follow_ups", front_lines),
        sources=_string_list(data, "sources", front_lines),
        demo=_parse_demo(data.get("demo"), front_lines),
        quiz=_parse_quiz(data.get("quiz"), front_lines),
        path=path,
    )
    return ParsedCard(card, _line_of(lines, f'"{card_id}"'),
                      tuple(_line_of(lines, f'"{ref}"') for ref in card.follow_ups))


def _parse_sections(lines: list[str], start: int) -> dict[str, str]:
    """Split the body into its ``::: name`` sections; every one of SECTIONS must be present."""
    marked = compress(range(start, len(lines)), map(_starts_section, lines[start:]))
    headers = [(index, match.group(1)) for index in marked
               if (match := SECTION_RE.match(lines[index]))]
    first = headers[0][0] if headers else len(lines)
    for index in range(start, first):
        if lines[index].strip():
            raise _FileError(index + 1, "text before the first '::: question.ko' section")
    found: dict[str, list[str]] = {}
    section_line: dict[str, int] = {}
    for number, (index, name) in enumerate(headers):
        if name not in SECTIONS:
            raise _FileError(index + 1, f"unknown section '{name}' "
                                        f"(expected one of {', '.join(SECTIONS)})")
        if name in found:
            raise _FileError(index + 1, f"section '{name}' appears twice")
        end = headers[number + 1][0] if number + 1 < len(headers) else len(lines)
        found[name] = lines[index + 1:end]
        section_line[name] = index + 1
    texts = {name: "\n".join(body) for name, body in found.items()}
    for name in SECTIONS:
        if name not in found:
            raise _FileError(len(lines) or 1, f"missing section '::: {name}'")
        if not texts[name].strip():
            raise _FileError(section_line[name], f"section '{name}' is empty")
    for name, text in texts.items():
        for offset, message in section_problems(name, text):
            raise _FileError(section_line[name] + 1 + offset, message)
    return {name: text.strip() for name, text in texts.items()}


def _parse_toml(text: str, first_line: int) -> dict[str, Any]:
    try:
        data: dict[str, Any] = rtoml.loads(text)
    except rtoml.TomlParsingError as err:
        message = str(err)
        where = TOML_WHERE_RE.search(message)
        line = first_line + int(where.group(1)) - 1 if where else first_line
        message = TOML_WHERE_RE.sub("", message).strip()
        if message.startswith("cannot recurse further"):
            message = "nested too deeply"
        elif where:
            message = f"{message} (column {where.group(2)})"
        raise _FileError(line, f"invalid TOML: {message}") from None
    except UnicodeEncodeError:  # a lone surrogate cannot come from a decoded file, but still
        raise _FileError(first_line, "invalid TOML: text that is not Unicode") from None
    return data


def _reject_unknown_keys(data: dict[str, Any], allowed: set[str], lines: list[str],
                         where: str) -> None:
    for key in data:
        if key not in allowed:
            raise _FileError(_key_line(lines, key), f"unknown key '{key}' in {where} "
                                                   f"(allowed: {', '.join(sorted(allowed))})")


def _required_id(data: dict[str, Any], lines: list[str]) -> str:
    value = data.get("id")
    if value is None:
        return _fail(1, "missing 'id'")
    if not isinstance(value, str) or not ID_RE.match(value):
        return _fail(_key_line(lines, "id"),
                     f"invalid id {value!r}: use lowercase letters, digits, '-' and '_'")
    return value


def _fail(line: int, message: str) -> str:
    raise _FileError(line, message)


def _string_list(data: dict[str, Any], key: str, lines: list[str]) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _FileError(_key_line(lines, key), f"'{key}' must be a list of non-empty strings")
    return tuple(value)


def _parse_demo(value: Any, lines: list[str]) -> DemoRef | None:
    if value is None:
        return None
    line = _key_line(lines, "demo")
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        raise _FileError(line, "[demo] needs a string 'id'")
    params = value.get("params", {})
    unknown = set(value) - {"id", "params"}
    if unknown or not isinstance(params, dict):
        raise _FileError(line, "[demo] takes only 'id' and a 'params' table")
    return DemoRef(id=value["id"], params=params, line=line)


def _parse_quiz(value: Any, lines: list[str]) -> Quiz | None:
    if value is None:
        return None
    line = _key_line(lines, "quiz")
    if not isinstance(value, dict) or set(value) - {"answer", "distractors", "keywords"}:
        raise _FileError(line, "[quiz] takes only 'answer', 'distractors' and 'keywords'")
    parts: dict[str, dict[str, list[str]]] = {}
    for part in ("distractors", "keywords"):
        table = value.get(part, {})
        if not isinstance(table, dict) or set(table) - set(LANGUAGES) or not all(
            _is_string_list(table.get(lang, [])) for lang in LANGUAGES
        ):
            raise _FileError(_key_line(lines, part),
                             f"quiz.{part} must be a table of ko/en lists of strings")
        parts[part] = {lang: list(table.get(lang, [])) for lang in LANGUAGES}
    keywords = parts["keywords"]
    if len(keywords["ko"]) != len(keywords["en"]):
        raise _FileError(_key_line(lines, "keywords"),
                         f"quiz.keywords: ko has {len(keywords['ko'])} entries and en has "
                         f"{len(keywords['en'])}; the lists are aligned concept by concept")
    for lang in LANGUAGES:
        for entry in keywords[lang]:
            if any(not form.strip() for form in entry.split("|")):
                raise _FileError(_line_of(lines, entry),
                                 f"quiz.keywords.{lang}: empty alternative in {entry!r}")
    answer = value.get("answer")
    if answer is not None and not (
        isinstance(answer, dict) and set(answer) == set(LANGUAGES)
        and all(isinstance(answer[lang], str) and answer[lang].strip() for lang in LANGUAGES)
    ):
        raise _FileError(_key_line(lines, "answer"),
                         "quiz.answer must be a table with non-empty ko and en strings")
    return Quiz(distractors=parts["distractors"], keywords=keywords,
                answer=Text(ko=answer["ko"].strip(), en=answer["en"].strip()) if answer else None)


def _check_quiz_sizes(value: Any, lines: list[str]) -> None:
    """Refuse quiz strings longer than ``MAX_QUIZ_CHARS`` (shapes are checked by _parse_quiz)."""
    def strings(node: Any) -> Iterable[str]:
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for item in node.values():
                yield from strings(item)
        elif isinstance(node, list):
            for item in node:
                yield from strings(item)

    for text in strings(value):
        if len(text) > MAX_QUIZ_CHARS:
            raise _FileError(_line_of(lines, text[:40]), f"quiz text is too long ({len(text):,} "
                                                         f"characters; the limit is "
                                                         f"{MAX_QUIZ_CHARS:,})")


def _is_string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _key_line(lines: Iterable[str], key: str) -> int:
    """1-based number of the line that sets ``key`` (``key =`` or a ``[key]`` table header)."""
    pattern = re.compile(rf"^\s*(\[+\s*)?([\w-]+\.)*{re.escape(key)}\b")
    for number, line in enumerate(lines, start=1):
        if pattern.match(line):
            return number
    return 1


def _line_of(lines: Iterable[str], needle: str) -> int:
    """1-based number of the first line containing ``needle`` (1 when absent)."""
    for number, line in enumerate(lines, start=1):
        if needle in line:
            return number
    return 1


def card_file_problem(text: str, path: Path | None = None) -> str | None:
    """The first problem the loader would report for a card file holding ``text`` (as
    ``line N: message``), or None when it would load. For writers of card files (the Anki
    importer) to check a card before writing it."""
    size = len(text.encode("utf-8"))
    if size > MAX_CARD_BYTES:
        return f"line 1: file is too large ({size:,} bytes; the limit is {MAX_CARD_BYTES:,})"
    try:
        _parse_card(path or Path("card.md"), text, "deck")
    except _FileError as err:
        return f"line {err.line}: {err.message}"
    return None
