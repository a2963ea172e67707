"""Fuzz the loader with mutated copies of real cards: it never raises, every problem names its
file and a line inside it, and the untouched cards all load. (``tests/benchmarks/
fuzz_content.py`` runs the same mutations many more times and prints the figures.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fuzz_mutations import MUTATIONS, apply_mutation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.content import default_content_dir, load_library
from quizapp.demos import demo_ref_problems

DECKS = ("optimization", "normalization")  # two real decks: fast, and with demos and math


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "content"
    for deck in DECKS:
        shutil.copytree(default_content_dir() / deck, root / deck)
    return root


@settings(max_examples=250, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(index=st.integers(min_value=0), mutation=st.sampled_from(sorted(MUTATIONS)),
       seed=st.integers(min_value=0, max_value=2**32))
def test_mutated_cards_never_crash_the_loader(copy: Path, index: int, mutation: str,
                                              seed: int) -> None:
    files = sorted(copy.glob("*/*.md")) + sorted(copy.glob("*/deck.toml"))
    victim = files[index % len(files)]
    original = victim.read_bytes()
    baseline = load_library(copy, validate_demo=demo_ref_problems)
    try:
        apply_mutation(victim, original, mutation, seed)
        library = load_library(copy, validate_demo=demo_ref_problems)
        for issue in library.issues:  # checked while the mutated file is still there
            assert issue.path.is_relative_to(copy), str(issue)
            if issue.path != victim:  # another card's link to the victim's old id
                assert issue.message.startswith(("unknown follow-up", "duplicate")), str(issue)
            lines = issue.path.read_bytes().count(b"\n") + 1
            assert 1 <= issue.line <= lines, str(issue)
    finally:
        victim.write_bytes(original)
    if victim.name == "deck.toml":
        untouched = [c for c in baseline.cards if c.path and c.path.parent != victim.parent]
    else:
        untouched = [c for c in baseline.cards if c.path != victim]
    loaded = {c.id for c in library.cards}
    assert [card.id for card in untouched if card.id not in loaded] == []
