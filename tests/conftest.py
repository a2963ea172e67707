"""Test set-up shared by every test: Qt offscreen, one BLAS thread, and no test touches the
user's data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from card_files import write_card, write_deck

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Child processes (python -c ..., the helper scripts in tests/) import this checkout's quizapp,
# not whichever one the environment has installed (an editable install of another worktree).
_CHECKOUT = str(Path(__file__).resolve().parents[1])
os.environ["PYTHONPATH"] = os.pathsep.join(
    [_CHECKOUT, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))])
# One BLAS thread, as the app runs (quizapp/__init__.py). It must be set before NumPy is first
# imported, and test modules import NumPy before quizapp, so it is set here too.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")



@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point $QUIZAPP_DATA_DIR at a fresh folder so nothing reaches the real user data."""
    folder = tmp_path / "data"
    monkeypatch.setenv("QUIZAPP_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def small_content(tmp_path: Path) -> Path:
    """Two decks, five cards; card a1 has follow-up a2 and some math."""
    root = tmp_path / "content"
    a = write_deck(root / "alpha", "alpha", order=1)
    write_card(a, "01.md", "a1", extra='follow_ups = ["a2"]\n', ko="모멘텀 $v_t$ 란?",
               en="What is momentum $v_t$?")
    write_card(a, "02.md", "a2", ko="네스테로프는?", en="What is Nesterov?")
    write_card(a, "03.md", "a3", ko="아담은?", en="What is Adam?")
    b = write_deck(root / "beta", "beta", order=2)
    write_card(b, "01.md", "b1", ko="드롭아웃은?", en="What is dropout?")
    write_card(b, "02.md", "b2", ko="배치 정규화는?", en="What is BatchNorm?")
    return root
