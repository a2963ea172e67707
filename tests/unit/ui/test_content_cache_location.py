"""The app keeps the content cache in the data folder's cache folder, never in content/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from quizapp.content import cache as content_cache
from quizapp.content.loader import CACHE_NAME
from quizapp.ui.app import application, create_window

pytestmark = pytest.mark.gui


def test_the_app_keeps_the_content_cache_in_the_data_folder(
        qtbot: QtBot, small_content: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(content_cache, "RACY_NS", 0)  # the test's files count as settled
    application()
    window = create_window(small_content, str(tmp_path / "data"))
    qtbot.addWidget(window)
    assert window.library.cache_dir == tmp_path / "data" / "cache"
    header, body = (tmp_path / "data" / "cache" / CACHE_NAME).read_bytes().split(b"\n", 1)
    entries = json.loads(body[: json.loads(header)["index"]])
    assert len(entries) == 5
    assert not [p for p in small_content.rglob("*") if p.suffix not in (".md", ".toml", "")]
    window.reload_library()  # a reload (after an edit, a change on disk) uses it too
    assert window.library.cache_dir == tmp_path / "data" / "cache"
