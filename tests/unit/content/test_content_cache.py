"""The content cache (``content/cache.py``): a load with it gives the same library as one
without it, never gives back what a file no longer holds, and survives any cache file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from card_files import write_card, write_deck

from quizapp.content import Library, load_library, loader
from quizapp.content import cache as content_cache
from quizapp.content.loader import CACHE_NAME


def _figures(library: Library) -> dict[str, Any]:
    return {
        "decks": [(d.id, d.title, d.order, d.path) for d in library.decks],
        "cards": [(c.to_json(), c.path) for c in library.cards],
        "issues": [str(issue) for issue in library.issues],
        "skipped": library.skipped,
    }


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by a test count as settled (no two-second wait before they are kept)."""
    monkeypatch.setattr(content_cache, "RACY_NS", 0)


@pytest.fixture
def rich_content(small_content: Path) -> Path:
    """Cards with every kind of field, a problem, an unknown follow-up and a duplicate id."""
    alpha = small_content / "alpha"
    write_card(alpha, "04.md", "rich", extra=(
        'tags = ["t1", "경사"]\nfollow_ups = ["a1", "nowhere"]\nsources = ["https://x.org"]\n'
        '[demo]\nid = "gd"\nparams = { lr = 0.1, steps = 3, name = "n", on = true }\n'
        '[quiz]\nanswer = { ko = "짧은 답", en = "Short" }\n'
        'distractors = { ko = ["가"], en = ["b"] }\nkeywords = { ko = ["과적합|오버피팅"], '
        'en = ["overfitting"] }\n'))
    write_card(alpha, "05.md", "broken", body='+++\nid = "broken"\n+++\n::: question.ko\nq\n')
    write_card(small_content / "beta", "03.md", "a1", ko="같은 id", en="Same id")
    (small_content / "beta" / "04.md").write_bytes(b"+++\nid = \"\xff\"\n")
    return small_content


def _read_cache(cache_dir: Path) -> tuple[dict[str, Any], dict[str, list[Any]], str]:
    """The cache file's header, entries and texts."""
    header, body = (cache_dir / CACHE_NAME).read_bytes().split(b"\n", 1)
    index = json.loads(header)["index"]
    return json.loads(header), json.loads(body[:index]), body[index:].decode()


def _write_cache(cache_dir: Path, header: dict[str, Any], entries: dict[str, list[Any]],
                 texts: str) -> None:
    index = json.dumps(entries).encode()
    body = index + texts.encode()
    header = {**header, "index": len(index), "size": len(body), "crc32": zlib.crc32(body)}
    (cache_dir / CACHE_NAME).write_bytes(json.dumps(header).encode() + b"\n" + body)


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every card file the loader parses (instead of taking it from the cache)."""
    parsed: list[Path] = []
    real = loader._parse_card_file
    # The cache is only used by the parser that made it (a digest of the loader's code): keep
    # the real parser's digest while the stand-in below records the calls.
    digest = content_cache.parser_digest()
    monkeypatch.setattr(content_cache, "parser_digest", lambda: digest)

    def parse(path: Path, text: str, deck_id: str) -> loader.ParsedCard:
        parsed.append(path)
        return real(path, text, deck_id)

    monkeypatch.setattr(loader, "_parse_card_file", parse)
    return parsed


def test_cached_load_gives_the_same_library_and_parses_nothing(
        rich_content: Path, tmp_path: Path, settled: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    plain = load_library(rich_content)
    assert len(plain.issues) >= 4  # the problem, the follow-up, the duplicate, the bytes
    cold = load_library(rich_content, cache_dir=tmp_path / "cache")
    assert (tmp_path / "cache" / CACHE_NAME).is_file()
    parsed = _no_parsing(monkeypatch)
    warm = load_library(rich_content, cache_dir=tmp_path / "cache")
    assert parsed == []  # every card and every problem came from the cache
    assert _figures(cold) == _figures(plain)
    assert _figures(warm) == _figures(plain)
    assert warm.card("rich") == plain.card("rich")
    assert warm.cache_dir == tmp_path / "cache"


def test_the_cache_is_json_and_lives_where_it_is_told(
        rich_content: Path, tmp_path: Path, settled: None) -> None:
    before = sorted(p.relative_to(rich_content) for p in rich_content.rglob("*"))
    load_library(rich_content, cache_dir=tmp_path / "data" / "cache")
    assert sorted(p.relative_to(rich_content) for p in rich_content.rglob("*")) == before
    header, entries, _ = _read_cache(tmp_path / "data" / "cache")
    assert header["format"] == content_cache.FORMAT and len(entries) == 9  # 8 cards, 1 problem


def _edit_keeping_size_and_times(path: Path, old: str, new: str) -> None:
    assert len(old.encode()) == len(new.encode())
    info = path.stat()
    time.sleep(0.05)  # past the clock tick of the file system's change time
    path.write_bytes(path.read_bytes().replace(old.encode(), new.encode()))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (info.st_size, info.st_mtime_ns)


def test_an_edit_that_keeps_size_and_modification_time_is_seen(
        small_content: Path, tmp_path: Path, settled: None) -> None:
    load_library(small_content, cache_dir=tmp_path / "cache")
    _edit_keeping_size_and_times(small_content / "alpha" / "02.md", "Nesterov", "Momentum")
    library = load_library(small_content, cache_dir=tmp_path / "cache")
    card = library.card("a2")
    assert card is not None and card.question.en == "What is Momentum?"
    assert _figures(library) == _figures(load_library(small_content))


def test_an_edit_that_breaks_a_card_is_reported_and_a_fix_is_seen(
        small_content: Path, tmp_path: Path, settled: None) -> None:
    path = small_content / "beta" / "01.md"
    load_library(small_content, cache_dir=tmp_path / "cache")
    _edit_keeping_size_and_times(path, "::: answer.en", "::: answer.xx")
    broken = load_library(small_content, cache_dir=tmp_path / "cache")
    assert broken.card("b1") is None and "unknown section 'answer.xx'" in str(broken.issues)
    _edit_keeping_size_and_times(path, "::: answer.xx", "::: answer.en")
    fixed = load_library(small_content, cache_dir=tmp_path / "cache")
    assert fixed.card("b1") is not None and fixed.issues == []


def test_a_file_replaced_by_another_with_the_same_size_and_times_is_seen(
        small_content: Path, tmp_path: Path, settled: None) -> None:
    path = small_content / "alpha" / "03.md"
    load_library(small_content, cache_dir=tmp_path / "cache")
    info = path.stat()
    other = tmp_path / "other.md"
    other.write_bytes(path.read_bytes().replace(b"Adam", b"Lion"))
    os.utime(other, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(other, path)  # a new inode in its place
    card = load_library(small_content, cache_dir=tmp_path / "cache").card("a3")
    assert card is not None and card.question.en == "What is Lion?"


def test_a_file_changed_just_before_the_load_is_not_kept(
        small_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two edits within one tick of the file system's clock can leave size and every time
    # as they were: a file changed in the last seconds is parsed each time until it settles.
    cache_dir = tmp_path / "cache"
    load_library(small_content, cache_dir=cache_dir)
    assert _read_cache(cache_dir)[1] == {}  # every file was just written
    parsed = _no_parsing(monkeypatch)
    load_library(small_content, cache_dir=cache_dir)
    assert len(parsed) == 5
    monkeypatch.setattr(content_cache, "RACY_NS", 0)
    load_library(small_content, cache_dir=cache_dir)
    parsed.clear()
    load_library(small_content, cache_dir=cache_dir)
    assert parsed == []


def test_deleted_and_added_files_are_seen(
        small_content: Path, tmp_path: Path, settled: None) -> None:
    load_library(small_content, cache_dir=tmp_path / "cache")
    (small_content / "alpha" / "03.md").unlink()
    write_card(small_content / "beta", "09.md", "b9")
    library = load_library(small_content, cache_dir=tmp_path / "cache")
    assert [c.id for c in library.cards] == ["a1", "a2", "b1", "b2", "b9"]
    entries = _read_cache(tmp_path / "cache")[1]
    assert not any(key.endswith("03.md") and "alpha" in key for key in entries)


def test_links_are_never_taken_from_the_cache(
        small_content: Path, tmp_path: Path, settled: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    target = small_content / "alpha" / "target.txt"
    target.write_bytes((small_content / "alpha" / "03.md").read_bytes().replace(
        b'"a3"', b'"ln"'))
    (small_content / "alpha" / "06.md").symlink_to(target.name)
    load_library(small_content, cache_dir=tmp_path / "cache")
    parsed = _no_parsing(monkeypatch)
    library = load_library(small_content, cache_dir=tmp_path / "cache")
    assert [p.name for p in parsed] == ["06.md"] and library.card("ln") is not None


@pytest.mark.parametrize("damage", [
    "truncated", "garbage", "not utf-8", "empty", "foreign json", "another parser",
    "another format", "a flipped bit", "wrong entry types", "a folder",
])
def test_a_damaged_or_foreign_cache_file_is_ignored_and_made_again(
        rich_content: Path, tmp_path: Path, settled: None, damage: str) -> None:
    plain = load_library(rich_content)
    cache_dir = tmp_path / "cache"
    load_library(rich_content, cache_dir=cache_dir)
    file = cache_dir / CACHE_NAME
    good = file.read_bytes()
    header, entries, texts = _read_cache(cache_dir)
    if damage == "truncated":
        file.write_bytes(good[: len(good) // 2])
    elif damage == "garbage":
        file.write_bytes(os.urandom(4096))
    elif damage == "not utf-8":
        file.write_bytes(good.replace("질문".encode(), b"\xff\xfe\xfd\xfc\xfb\xfa"))
    elif damage == "empty":
        file.write_bytes(b"")
    elif damage == "foreign json":
        file.write_text('[1, 2, {"format": 4}]\n{}')
    elif damage == "another parser":
        _write_cache(cache_dir, {**header, "parser": "0" * 32}, entries, texts)
    elif damage == "another format":
        _write_cache(cache_dir, {**header, "format": str(header["format"])}, entries, texts)
    elif damage == "a flipped bit":  # "What is dropout?" read as "What is dsopout?"
        at = good.index(b"What is dropout?") + len(b"What is d")
        file.write_bytes(good[:at] + bytes([good[at] ^ 1]) + good[at + 1:])
    elif damage == "wrong entry types":  # the right header and CRC, entries not as written
        for index, entry in enumerate(entries.values()):
            entry[1 + index % (len(entry) - 1)] = [{"x": None}]
        _write_cache(cache_dir, header, entries, texts)
    elif damage == "a folder":
        file.unlink()
        file.mkdir()
    library = load_library(rich_content, cache_dir=cache_dir)
    assert _figures(library) == _figures(plain)
    if damage != "a folder":
        again = load_library(rich_content, cache_dir=cache_dir)
        assert _figures(again) == _figures(plain)
        assert file.read_bytes() == good  # made again, as it was


def test_an_entry_for_another_stat_of_the_file_is_not_used(
        small_content: Path, tmp_path: Path, settled: None) -> None:
    # The key is the stat: an entry for this path with another stat (an older version of the
    # file) is never used, whatever it holds.
    cache_dir = tmp_path / "cache"
    load_library(small_content, cache_dir=cache_dir)
    header, entries, texts = _read_cache(cache_dir)
    key = next(k for k in entries if k.endswith(os.path.join("beta", "01.md")))
    entries[key][0] += "0"  # another change time
    _write_cache(cache_dir, header, entries, texts.replace("dropout", "stale!!"))
    card = load_library(small_content, cache_dir=cache_dir).card("b1")
    assert card is not None and card.question.en == "What is dropout?"


def test_an_unwritable_cache_folder_is_only_slower(
        small_content: Path, tmp_path: Path, settled: None) -> None:
    (tmp_path / "cache").write_text("a file where the folder should be")
    library = load_library(small_content, cache_dir=tmp_path / "cache")
    assert _figures(library) == _figures(load_library(small_content))


def test_deck_folder_order_and_card_order_match_the_uncached_loader(
        tmp_path: Path, settled: None) -> None:
    root = tmp_path / "content"
    deck = write_deck(root / "d", "d")
    for index, name in enumerate(["b.md", "A.md", "a.md", "10.md", "9.md", "_x.md"]):
        write_card(deck, name, f"c{index}")
    first = load_library(root, cache_dir=tmp_path / "cache")
    second = load_library(root, cache_dir=tmp_path / "cache")
    order = [p.name for p in sorted(deck.iterdir()) if p.suffix == ".md"]
    assert [c.path.name for c in first.cards if c.path] == order
    assert _figures(first) == _figures(second)


def test_the_parser_digest_is_the_same_in_every_run() -> None:
    # A digest that changed from run to run (an address, the hash seed's set order) would
    # throw the cache away at every start.
    script = "from quizapp.content.cache import parser_digest; print(parser_digest())"
    root = str(Path(content_cache.__file__).parents[2])
    digests = {subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": root}, cwd=root,
    ).stdout.strip() for seed in ("1", "2", "3")}
    assert digests == {content_cache.parser_digest()}
