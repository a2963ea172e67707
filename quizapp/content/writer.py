"""Write cards and decks in the app's content format (``content/README.md``).

Only what a card file may hold is written (TOML front matter with ``id``, ``tags``,
``follow_ups``, ``sources``, ``[demo]``, ``[quiz.*]``; the four Markdown sections), with TOML
strings escaped, so that whatever text an imported note carries it cannot add a key, a section
or a line of front matter.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from quizapp.content.model import Card, Deck, Text

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_SECTION_LINE = re.compile(r"^(:::|\+\+\+)", re.M)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def toml_string(value: str) -> str:
    """A TOML basic string for ``value`` (JSON's escapes are TOML's, plus DEL)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) \
            + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else toml_string(key)


def section_text(markdown: str) -> str:
    """Section text that cannot end its section: a line starting with ``:::`` or ``+++`` gets a
    backslash (Markdown shows the same text)."""
    return _SECTION_LINE.sub(r"\\\1", markdown.strip())


def _comment_lines(comment: str) -> list[str]:
    return [f"# {_UNPRINTABLE.sub(' ', line)}" for line in comment.splitlines() if line.strip()]


def card_file_text(card: Card, comment: str = "") -> str:
    """The text of a card file for ``card`` (its ``deck`` and ``path`` are not written: the
    folder says the deck)."""
    lines = ["+++"]
    if comment:
        lines += _comment_lines(comment)
    lines.append(f"id = {toml_string(card.id)}")
    if card.tags:
        lines.append(f"tags = {toml_value(list(card.tags))}")
    if card.follow_ups:
        lines.append(f"follow_ups = {toml_value(list(card.follow_ups))}")
    if card.sources:
        lines.append(f"sources = {toml_value(list(card.sources))}")
    if card.demo is not None:
        lines += ["", "[demo]", f"id = {toml_string(card.demo.id)}"]
        if card.demo.params:
            lines.append(f"params = {toml_value(dict(card.demo.params))}")
    if card.quiz is not None:
        if card.quiz.answer is not None:
            lines += ["", "[quiz.answer]", *_text_lines(card.quiz.answer)]
        for part in ("distractors", "keywords"):
            table = getattr(card.quiz, part)
            if any(table.get(lang) for lang in ("ko", "en")):
                lines += ["", f"[quiz.{part}]"]
                lines += [f"{lang} = {toml_value(list(table.get(lang, [])))}"
                          for lang in ("ko", "en")]
    lines.append("+++")
    for name, body in (("question.ko", card.question.ko), ("answer.ko", card.answer.ko),
                       ("question.en", card.question.en), ("answer.en", card.answer.en)):
        lines += ["", f"::: {name}", section_text(body)]
    return "\n".join(lines) + "\n"


def _text_lines(text: Text) -> list[str]:
    return [f"ko = {toml_string(text.ko)}", f"en = {toml_string(text.en)}"]


def deck_file_text(deck: Deck, comment: str = "") -> str:
    lines = _comment_lines(comment)
    lines += [f"id = {toml_string(deck.id)}", f"order = {deck.order}", "[title]",
              f"ko = {toml_string(deck.title.ko)}", f"en = {toml_string(deck.title.en)}"]
    return "\n".join(lines) + "\n"


def default_file_mode() -> int:
    """The mode a plainly created file gets (0o666 less the umask); temporary files are 0o600."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, so that a reader
    (the app, ``check``) sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".write-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(temporary, default_file_mode())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
