"""The softmax demo: the logit gradient is p − q, and sigmoid + MSE saturates when wrong."""

from __future__ import annotations

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.runner import DemoRun
from quizapp.demos.softmax_cross_entropy import TRUE, K, SoftmaxCrossEntropy


def entropy(p: np.ndarray) -> float:
    return float(-np.sum(p * np.log(p)))


def test_note_holds_on_the_default_run() -> None:
    demo = SoftmaxCrossEntropy
    run = DemoRun(demo(), demo.defaults(), limit=demo.steps)
    first = run.step()
    frame = run.run(demo.steps)
    assert first is not None and frame is not None and run.finished and frame["t"] == 100
    q = np.eye(K)[TRUE]
    np.testing.assert_allclose(first["grad_s_ce"], first["p"] - q, atol=1e-12)
    # CE: starts below 0.0001 with a gradient of about -1, passes 0.9 within 14 steps
    assert first["p"][TRUE] < 1e-4 and first["grad_z_ce"][TRUE] < -0.9999
    ce = frame["p_true"]["ce"]
    assert ce[14] > 0.9 > ce[13]
    # sigmoid + MSE: gradient -0.005, still at 0.005 after 100 steps
    assert first["grad_z_mse"][TRUE] == pytest.approx(-0.005, abs=0.0005)
    assert frame["p_true"]["mse"][-1] == pytest.approx(0.005, abs=0.0005)
    # temperature: T > 1 flattens (higher entropy), T < 1 sharpens; the z-gradient is (p-q)/T
    spread = {}
    for temp in (0.5, 1.0, 3.0):
        start = DemoRun(demo(), demo.resolve({"temperature": temp})).run(1)
        assert start is not None
        spread[temp] = entropy(start["p"])
        np.testing.assert_allclose(start["grad_z_ce"], (start["p"] - q) / temp, atol=1e-12)
    assert spread[0.5] < spread[1.0] < spread[3.0]


@pytest.mark.parametrize(("eps", "temperature"), [(0.0, 1.0), (0.1, 1.0), (0.3, 2.5)])
def test_cross_entropy_gradient_is_p_minus_q(eps: float, temperature: float) -> None:
    values = SoftmaxCrossEntropy.resolve({"label_smoothing": eps, "temperature": temperature,
                                          "z_true": -2.0, "z_wrong": 3.0})
    run = DemoRun(SoftmaxCrossEntropy(), values)
    q = np.full(K, eps / K)
    q[TRUE] += 1 - eps
    for _ in range(5):
        frame = run.step()
        assert frame is not None
        s = frame["logits"] / temperature
        p = np.exp(s - s.max()) / np.exp(s - s.max()).sum()  # softmax, written out here
        np.testing.assert_allclose(frame["grad_s_ce"], p - q, atol=1e-12)
        np.testing.assert_allclose(frame["grad_z_ce"], (p - q) / temperature, atol=1e-12)
        assert abs(frame["grad_s_ce"].sum()) < 1e-12  # p and q both sum to 1
    if eps:  # smoothing gives the wrong classes target mass ε/K, so their gradient is below p
        assert np.all(frame["grad_s_ce"][1:] < frame["p"][1:] - 0.9 * eps / K)


def test_confidently_wrong_sigmoid_mse_gradient_is_tiny_while_ce_is_near_one() -> None:
    run = DemoRun(SoftmaxCrossEntropy(), SoftmaxCrossEntropy.resolve({"z_true": -6.0}))
    first = run.step()
    assert first is not None
    assert first["p"][TRUE] < 1e-3 and first["sigma"][TRUE] < 1e-2  # both confidently wrong
    assert abs(first["grad_z_ce"][TRUE]) > 0.99
    assert abs(first["grad_z_mse"][TRUE]) < 0.01
    last = run.run(100)
    assert last is not None
    assert last["p_true"]["ce"][-1] > 0.95  # CE has fixed the mistake
    assert last["p_true"]["mse"][-1] < 0.1  # sigmoid + MSE is still stuck


def test_frames_blit_with_steady_limits() -> None:
    demo = SoftmaxCrossEntropy()
    assert full_redraws(demo, demo.defaults(), demo.steps) == 0
