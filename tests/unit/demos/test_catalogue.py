"""Every demo in the catalogue: renders headless in both languages, declares itself completely,
and is linked from at least one card."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from blit_check import full_redraws

from quizapp.content import default_content_dir, load_library
from quizapp.demos import DEMOS, Demo, demo_ref_problems, render_png

HANGUL = re.compile(r"[\uac00-\ud7a3]")
CATALOGUE = list(DEMOS.items())


def test_the_catalogue_has_all_nineteen_concepts() -> None:
    assert len(DEMOS) >= 19


@pytest.mark.parametrize(("demo_id", "demo"), CATALOGUE, ids=[i for i, _ in CATALOGUE])
def test_renders_headless_in_both_languages(tmp_path: Path, demo_id: str,
                                            demo: type[Demo]) -> None:
    for lang in ("ko", "en"):
        out = tmp_path / f"{demo_id}-{lang}.png"
        run = render_png(demo(), demo.defaults(), 3, out, lang)
        assert run.count >= 1 and not run.diverged
        assert out.read_bytes().startswith(b"\x89PNG") and out.stat().st_size > 10_000


@pytest.mark.parametrize(("demo_id", "demo"), CATALOGUE, ids=[i for i, _ in CATALOGUE])
def test_declares_bilingual_text_and_valid_defaults(demo_id: str, demo: type[Demo]) -> None:
    assert demo.id == demo_id
    for text in (demo.title, demo.notice):
        assert HANGUL.search(text.ko) and text.en and not HANGUL.search(text.en)
    assert len(demo.notice.en) > 80
    assert demo.problems(demo.defaults()) == []
    for param in demo.params:
        assert param.label.ko and param.label.en
        for choice in param.choices:
            assert choice.label.ko and choice.label.en


@pytest.mark.parametrize(("demo_id", "demo"), CATALOGUE, ids=[i for i, _ in CATALOGUE])
def test_live_window_can_blit_most_frames(demo_id: str, demo: type[Demo]) -> None:
    # A full redraw costs ~30x a blit; limits may grow in a few jumps early on, no more.
    assert full_redraws(demo(), demo.defaults(), 30) <= 8


def test_every_demo_is_linked_from_a_card_with_valid_presets() -> None:
    library = load_library(default_content_dir())
    linked = {card.demo.id for card in library.cards if card.demo is not None}
    assert set(DEMOS) <= linked
    for card in library.cards:
        if card.demo is not None:
            assert demo_ref_problems(card.demo) == [], card.id


@pytest.mark.parametrize(("demo_id", "demo"), CATALOGUE, ids=[i for i, _ in CATALOGUE])
def test_has_gallery_thumbnails_in_both_languages(demo_id: str, demo: type[Demo]) -> None:
    """The in-app gallery shows these (regenerate: python docs/make_demo_thumbnails.py ID)."""
    from quizapp.demos.registry import thumbnail

    for lang in ("ko", "en"):
        data = thumbnail(demo_id, lang).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 2_000
