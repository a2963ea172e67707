"""Mutations of a content file for the loader fuzz test and the fuzz benchmark: each takes the
file's original bytes and a seeded random generator and writes a damaged variant."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

TOML_VALUES = ["inf", "nan", "-inf", "1e999", "1" + "0" * 400, "[[[[", "{", '"x"', "'''", "[]",
               "{}", "true", "-0", '"\\ud800"', "2026-13-45", '["a", 1]', "{ id = 3 }"]
HOSTILE = ["<img src='file:///etc/passwd'>", "<a href='javascript:alert(1)'>x</a>",
           "$" + "\\frac{" * 60 + "$", "$$" + "+".join(["x"] * 500) + "$$", "\0", "\u202e",
           ">" * 5000, "*" * 3000, "| a |\n|-|\n" + "| 1 |\n" * 2000, "::: answer.ko",
           "+++", "::: question.zz", "\ufeff", "\r\n\r\n", "\t" * 100]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _flip_byte(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    i = rng.randrange(len(data))
    return data[:i] + bytes([rng.randrange(256)]) + data[i + 1:]


def _insert_bytes(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.randbytes(rng.randrange(1, 24)) + data[i:]


def _delete_span(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + data[i + rng.randrange(1, 200):]


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _duplicate_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    return b"\n".join([*lines[: i + 1], lines[i], *lines[i + 1:]])


def _swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def _drop_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def _replace_toml_value(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    assignments = [i for i, line in enumerate(lines) if b" = " in line]
    if not assignments:
        return _insert_bytes(data, rng)
    i = rng.choice(assignments)
    key = lines[i].split(b" = ", 1)[0]
    lines[i] = key + b" = " + rng.choice(TOML_VALUES).encode()
    return b"\n".join(lines)


def _insert_hostile(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines) + 1)
    lines.insert(i, rng.choice(HOSTILE).encode("utf-8", "surrogatepass"))
    return b"\n".join(lines)


def _deep_nesting(data: bytes, rng: random.Random) -> bytes:
    depth = rng.randrange(100, 3000)
    lines = _lines(data)
    lines.insert(min(2, len(lines)), b"x = " + b"[" * depth + b"]" * depth)
    return b"\n".join(lines)


def _huge_line(data: bytes, rng: random.Random) -> bytes:
    return data + b"\n" + bytes(rng.choice(b"ab $\\{}") for _ in range(rng.randrange(1, 120_000)))


def _binary(data: bytes, rng: random.Random) -> bytes:
    return rng.randbytes(rng.randrange(0, 4000))


MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "flip_byte": _flip_byte,
    "insert_bytes": _insert_bytes,
    "delete_span": _delete_span,
    "truncate": _truncate,
    "duplicate_line": _duplicate_line,
    "swap_lines": _swap_lines,
    "drop_line": _drop_line,
    "replace_toml_value": _replace_toml_value,
    "insert_hostile": _insert_hostile,
    "deep_nesting": _deep_nesting,
    "huge_line": _huge_line,
    "binary": _binary,
}


def apply_mutation(path: Path, original: bytes, mutation: str, seed: int) -> None:
    """Write the ``mutation`` of ``original`` (chosen by ``seed``) to ``path``."""
    path.write_bytes(MUTATIONS[mutation](original, random.Random(seed)))
