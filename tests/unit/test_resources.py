"""The shipped files are found from a checkout and from the desktop bundle (frozen)."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from card_files import write_card, write_deck

from quizapp import resources
from quizapp.content import default_content_dir, load_library
from quizapp.demos import DEMOS
from quizapp.demos.registry import thumbnail
from quizapp.trainer import load_mnist_5k

ROOT = Path(__file__).resolve().parents[2]


def test_a_checkout_finds_content_data_fonts_thumbnails_and_icon() -> None:
    assert not resources.is_frozen()
    assert resources.source_root() == ROOT
    assert default_content_dir() == resources.content_dir() == ROOT / "content"
    assert any(resources.content_dir().glob("*/deck.toml"))
    assert resources.mnist_5k_path() == ROOT / "content" / "data" / "mnist_5k.npz"
    assert resources.mnist_5k_path().is_file()
    fonts = resources.korean_font_files()
    assert fonts and fonts[0].name == "NanumGothic.ttf"
    assert all(f.is_file() and f.parent.parent.name == "koreanize_matplotlib" for f in fonts)
    assert resources.thumbnails_dir() == ROOT / "quizapp" / "demos" / "thumbnails"
    for demo_id in DEMOS:
        assert thumbnail(demo_id, "ko").is_file() and thumbnail(demo_id, "en").is_file()
    assert resources.icon_path() == ROOT / "packaging" / "icon.png"


def _fake_bundle(root: Path) -> None:
    """A folder laid out as packaging/quizapp.spec lays out the bundle's ``_internal``."""
    deck = write_deck(root / resources.CONTENT / "basics", "basics")
    write_card(deck, "a.md", "card-a")
    write_card(deck, "b.md", "card-b")
    data = root / resources.CONTENT / resources.DATA
    data.mkdir()
    shutil.copy(ROOT / "content" / "data" / "mnist_5k.npz", data / resources.MNIST_5K)
    (root / resources.FONTS).mkdir()
    for name in ("NanumGothicBold.ttf", "NanumGothic.ttf"):
        (root / resources.FONTS / name).write_bytes(b"font")
    (root / resources.THUMBNAILS).mkdir()
    (root / resources.THUMBNAILS / "adam-vs-sgd-en.png").write_bytes(b"png")
    (root / resources.ICON).write_bytes(b"png")


def test_a_frozen_bundle_finds_everything_inside_itself(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "dist" / "quizapp" / "_internal"
    _fake_bundle(bundle)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.chdir(tmp_path)

    assert resources.is_frozen() and resources.bundle_root() == bundle
    assert default_content_dir() == bundle / "content"
    library = load_library(default_content_dir())
    assert not library.issues and len(library.cards) == 2
    assert resources.mnist_5k_path() == bundle / "content" / "data" / "mnist_5k.npz"
    X, y = load_mnist_5k()  # reads the bundle's copy
    assert X.shape == (5000, 1, 28, 28) and np.bincount(y).tolist() == [500] * 10
    assert resources.fonts_dir() == bundle / "fonts"
    assert [f.name for f in resources.korean_font_files()] == [
        "NanumGothic.ttf", "NanumGothicBold.ttf"]
    assert thumbnail("adam-vs-sgd", "en") == bundle / "thumbnails" / "adam-vs-sgd-en.png"
    assert thumbnail("adam-vs-sgd", "en").is_file()
    assert resources.icon_path() == bundle / "icon.png"


def test_frozen_without_meipass_uses_the_executables_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "quizapp"))
    assert resources.content_dir() == tmp_path.resolve() / "content"
    assert resources.icon_path() is None  # no icon there: the app starts without one


def test_missing_font_package_means_no_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "FONT_PACKAGE", "no_such_package_here")
    assert resources.fonts_dir() is None and resources.korean_font_files() == ()


def test_only_the_resource_module_locates_files_from_the_source_tree() -> None:
    """Nothing else may build a path from ``__file__``: it breaks in the bundle."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "quizapp").rglob("*.py"))
        if path.name != "resources.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\b__file__\b", line)
    ]
    assert offenders == []
