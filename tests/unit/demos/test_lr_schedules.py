"""lr-schedules: renders headless; the rates are PyTorch's closed forms; decay beats constant."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.demos.lr_schedules import LrSchedules
from quizapp.demos.runner import DemoRun


def test_rates_match_pytorch_closed_forms_and_decay_wins() -> None:
    run = DemoRun(LrSchedules(), LrSchedules.defaults())  # lr 0.05, 60 epochs, 5 warm-up
    frame = run.run(1000)
    assert frame is not None and run.finished and frame["epoch"] == 60
    lr = frame["lr"]
    base = 0.05
    for e in (0, 1, 19, 20, 39, 40, 59):
        assert lr["constant"][e] == pytest.approx(base)
        assert lr["step"][e] == pytest.approx(base * 0.1 ** (e // 20))
        assert lr["exponential"][e] == pytest.approx(base * 0.93**e)
        assert lr["cosine"][e] == pytest.approx(base * (1 + math.cos(math.pi * e / 60)) / 2)
    # warm-up: 0.1 * base, rising linearly to base at epoch 5, then cosine over 55 epochs
    warm = lr["warmup_cosine"]
    assert warm[0] == pytest.approx(0.1 * base)
    assert warm[2] == pytest.approx(base * (0.1 + 0.9 * 2 / 5))
    assert warm[5] == pytest.approx(base)
    assert warm[30] == pytest.approx(base * (1 + math.cos(math.pi * 25 / 55)) / 2)
    # the constant rate stalls at its noise floor; every decayed schedule ends far below it
    final = {name: float(curve[-1]) for name, curve in frame["excess"].items()}
    for name in ("step", "exponential", "cosine", "warmup_cosine"):
        assert final[name] < final["constant"] / 100, final
    # and the constant run is no longer improving: last 20 epochs hover, they don't fall
    tail = frame["excess"]["constant"][-20:]
    assert np.median(tail[:10]) < 3 * np.median(tail[10:])
