"""lr-schedules: renders headless; the rates are PyTorch's closed forms; decay beats constant."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.demos.lr_schedules import LrSchedules
from quizapp.demos.runner import DemoRun


def final_excess(**overrides: object) -> dict[str, np.ndarray]:
    run = DemoRun(LrSchedules(), LrSchedules.resolve(overrides), limit=LrSchedules.steps)
    frame = run.run(LrSchedules.steps)
    assert frame is not None and run.finished and frame["t"] == frame["epoch"]
    excess: dict[str, np.ndarray] = frame["excess"]
    return excess


def test_note_holds_on_the_default_run() -> None:
    run = DemoRun(LrSchedules(), LrSchedules.defaults(), limit=LrSchedules.steps)
    frame = run.run(LrSchedules.steps)
    # the run ends by itself at the epoch budget
    assert frame is not None and run.finished and run.count == 61 and frame["t"] == 60
    excess = frame["excess"]
    assert len({float(curve[0]) for curve in excess.values()}) == 1  # same start
    final = {name: float(curve[-1]) for name, curve in excess.items()}
    for name in ("step", "exponential", "cosine", "warmup_cosine"):
        assert final[name] < final["constant"] / 1000, final  # "more than 1,000 times lower"
    # the constant rate has stopped improving: its last 20 epochs hover
    tail = excess["constant"][-20:]
    assert np.median(tail[:10]) < 3 * np.median(tail[10:])
    # the floor rises with the rate: half the rate, a floor several times lower
    floor = float(np.mean(excess["constant"][-30:]))
    half = float(np.mean(final_excess(lr=0.025)["constant"][-30:]))
    assert half < floor / 3
    # decayed too fast (γ = 0.5): the rate is gone, the loss frozen far above the others
    frozen = final_excess(exp_gamma=0.5)
    fast = frozen["exponential"]
    assert fast[-1] > 100 * final["cosine"]
    assert abs(fast[-1] / fast[-30] - 1) < 0.01


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
