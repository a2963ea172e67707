"""adam-bias-correction: renders headless; the first steps with and without correction."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from quizapp.demos.adam_bias_correction import AdamBiasCorrection, uncorrected_ratio
from quizapp.demos.runner import DemoRun, render_png


def test_note_holds_on_the_default_run() -> None:
    demo = AdamBiasCorrection
    run = DemoRun(demo(), demo.defaults(), limit=demo.steps)
    frame = run.run(demo.steps)
    assert frame is not None and run.finished and frame["t"] == 100
    off, on = frame["ratio"]["off"], frame["ratio"]["on"]
    g, m, m_hat, sqrt_v, sqrt_v_hat = frame["moments"][0]  # step 1
    assert m == pytest.approx(0.1 * g) and sqrt_v == pytest.approx(math.sqrt(0.001) * abs(g))
    assert m_hat == pytest.approx(g) and sqrt_v_hat == pytest.approx(abs(g))
    np.testing.assert_allclose(on, 1.0, rtol=1e-4)  # corrected: exactly lr, every step
    assert off[0] == pytest.approx(3.16, abs=0.005)  # uncorrected: 3.16 lr at step 1
    assert int(np.argmax(off)) + 1 == 12 and off.max() == pytest.approx(6.6, abs=0.05)
    assert off[-1] == pytest.approx(3.2, abs=0.05)  # still 3.2 lr at t = 100
    # ... and back to lr only after thousands of steps
    later = DemoRun(demo(), demo.defaults()).run(3000)
    assert later is not None
    assert later["ratio"]["off"][999] > 1.2 and later["ratio"]["off"][-1] < 1.03
    # beta2 = 0.9: the first uncorrected step is 0.32 lr
    small = DemoRun(demo(), demo.resolve({"beta2": 0.9})).run(1)
    assert small is not None and small["ratio"]["off"][0] == pytest.approx(0.32, abs=0.005)


@pytest.mark.parametrize("problem", ["constant", "digits"])
def test_renders_headless(tmp_path: Path, problem: str) -> None:
    out = tmp_path / "bias.png"
    values = AdamBiasCorrection.resolve({"problem": problem})
    run = render_png(AdamBiasCorrection(), values, steps=8, out=out, lang="ko")
    assert out.stat().st_size > 10_000
    assert not run.diverged


@pytest.mark.parametrize("problem", ["constant", "digits"])
def test_first_step_matches_hand_derivation(problem: str) -> None:
    # step 1: m = (1 - b1) g, v = (1 - b2) g^2, so without correction every coordinate moves
    # lr * 0.1 / sqrt(0.001) = 3.1623 lr; with correction m̂ = g, sqrt(v̂) = |g|: exactly lr
    hand = (1 - 0.9) / math.sqrt(1 - 0.999)
    assert hand == pytest.approx(3.16228, abs=1e-5)
    frame = DemoRun(AdamBiasCorrection(), AdamBiasCorrection.resolve(
        {"problem": problem})).run(1)
    assert frame is not None and frame["step"] == 1
    assert frame["ratio"]["off"][0] == pytest.approx(hand, rel=1e-3)
    assert frame["ratio"]["on"][0] == pytest.approx(1.0, rel=1e-3)
    g, m, m_hat, sqrt_v, sqrt_v_hat = frame["moments"][0]
    assert m == pytest.approx(0.1 * g, rel=1e-5)
    assert m_hat == pytest.approx(g, rel=1e-5)
    assert sqrt_v == pytest.approx(math.sqrt(0.001) * abs(g), rel=1e-4)
    assert sqrt_v_hat == pytest.approx(abs(g), rel=1e-4)


def test_constant_gradient_follows_theory_and_overshoots() -> None:
    frame = DemoRun(AdamBiasCorrection(), AdamBiasCorrection.defaults()).run(40)
    assert frame is not None
    off, on = frame["ratio"]["off"], frame["ratio"]["on"]
    t = np.arange(1, 41)
    # rtol: eps = 1e-8 in the denominator is ~1e-5 of sqrt(v) for the coordinate with g = 0.01
    np.testing.assert_allclose(off, uncorrected_ratio(t, 0.9, 0.999), rtol=1e-4)
    np.testing.assert_allclose(on, 1.0, rtol=1e-4)
    assert int(np.argmax(off)) + 1 == 12 and off.max() == pytest.approx(6.5685, abs=1e-3)
    assert frame["travelled"]["off"][-1] > 4 * frame["travelled"]["on"][-1]


def test_small_beta2_makes_uncorrected_first_steps_tiny() -> None:
    values = AdamBiasCorrection.resolve({"beta2": 0.9})
    frame = DemoRun(AdamBiasCorrection(), values).run(5)
    assert frame is not None
    # (1 - 0.9) / sqrt(1 - 0.9) = sqrt(0.1) = 0.316: now the uncorrected step is too small
    assert frame["ratio"]["off"][0] == pytest.approx(math.sqrt(0.1), rel=1e-4)
    assert np.all(frame["ratio"]["off"] < 0.8)
