"""The softmax demo: the logit gradient is p − q, and sigmoid + MSE saturates when wrong."""

from __future__ import annotations

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.runner import DemoRun
from quizapp.demos.softmax_cross_entropy import TRUE, K, SoftmaxCrossEntropy


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
