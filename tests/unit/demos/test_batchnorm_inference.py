"""The BatchNorm-at-inference demo: eval vs train output, batch of 1 -> beta, running stats."""

from __future__ import annotations

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.batchnorm_inference import BatchNormInference, theory
from quizapp.demos.runner import DemoRun
from quizapp.trainer import BatchNorm1d


def frames(steps: int, **overrides: object) -> list[dict]:
    demo = BatchNormInference()
    run = DemoRun(demo, demo.resolve(overrides))
    out = []
    while len(out) < steps and (frame := run.step()) is not None:
        out.append(frame)
    return out


def test_note_holds_on_the_default_run() -> None:
    demo = BatchNormInference
    run = DemoRun(demo(), demo.defaults(), limit=demo.steps)
    got = []
    while (frame := run.step()) is not None:
        got.append(frame)
    assert run.finished and len(got) == demo.steps and got[-1]["t"] == demo.steps
    mu, var, m = 3.0, 1.5**2, 0.1
    running = got[-1]["running"]  # row t: after t steps; row 0 the start (0, 1)
    assert tuple(running[0]) == (0.0, 1.0)
    for t, frame in enumerate(got, start=1):  # running = 0.9 running + 0.1 batch (unbiased)
        x = frame["trained_batch"]
        np.testing.assert_allclose(running[t], 0.9 * running[t - 1] + 0.1 * np.array(
            [x.mean(), x.var(ddof=1)]), rtol=1e-12)
    # the expected gap shrinks by 0.9 per step: 12 % left after 20 steps, 0.5 % after 50
    t = np.arange(len(running))
    expected_mean, expected_var = theory(mu, var, m, t.astype(float))
    assert (mu - expected_mean[20]) / mu == pytest.approx(0.12, abs=0.005)
    assert (mu - expected_mean[50]) / mu == pytest.approx(0.005, abs=0.001)
    # the measured statistics follow it up to batch noise: a batch of 16 has a mean with std
    # σ/4 and a variance with std σ²·√(2/15); the running averages keep √(m/(2−m)) of that
    keep = np.sqrt(m / (2 - m))
    assert np.all(np.abs(running[:, 0] - expected_mean) < 4 * keep * 1.5 / 4)
    assert np.all(np.abs(running[:, 1] - expected_var) < 4 * keep * var * np.sqrt(2 / 15))
    # eval mode: the probe's output comes from the running statistics alone, whatever its
    # batch; in train mode it changes with the batch
    last = got[-1]
    rm, rv = last["running_mean"], last["running_var"]
    assert last["eval_probe"] == pytest.approx(1.0 * (last["probe"] - rm) / np.sqrt(rv + 1e-5)
                                               + 0.5)
    assert np.ptp([f["train_probe"] for f in got[-10:]]) > 0.05
    # batch statistics with a batch of one: every input gives β
    np.testing.assert_allclose(last["single"], 0.5, atol=1e-9)


def test_eval_output_of_one_example_differs_from_train_mode_output() -> None:
    early, late = frames(150)[2], frames(150)[-1]
    # early on the running statistics are still near (0, 1): a large difference
    assert abs(early["eval_probe"] - early["train_probe"]) > 0.5
    # even after convergence the batch statistics of a batch of 16 differ from the running ones
    assert abs(late["eval_probe"] - late["train_probe"]) > 1e-3
    # and the converged eval output is close to the output under the true statistics
    ideal = 1.0 * 1.5 + 0.5  # gamma * z + beta for the probe at mu + 1.5 sigma
    assert abs(late["eval_probe"] - ideal) < 0.4


@pytest.mark.parametrize("beta", [0.5, -1.25])
def test_batch_statistics_with_batch_size_one_give_beta_for_every_input(beta: float) -> None:
    frame = frames(3, beta=beta, gamma=2.0)[-1]
    assert np.ptp(frame["grid"]) > 5.0
    np.testing.assert_allclose(frame["single"], beta, atol=1e-9)
    assert frame["single_probe"] == pytest.approx(beta, abs=1e-9)
    assert abs(frame["eval_probe"] - beta) > 0.5  # running statistics keep the input's identity


def test_train_mode_refuses_a_batch_of_one_like_pytorch() -> None:
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        BatchNorm1d(3)(np.ones((1, 3)))


@pytest.mark.parametrize("momentum", [0.1, 0.3])
def test_running_mean_converges_at_rate_one_minus_momentum_to_the_t(momentum: float) -> None:
    mu = 3.0
    got = frames(60, momentum=momentum, batch_size=256, mu=mu, sigma=1.0)
    run = got[-1]["running"]  # row t = after t steps (row 0 is the start: 0 and 1)
    t = np.arange(len(run))
    gap = np.abs(mu - run[:, 0])
    expected = mu * (1.0 - momentum) ** t
    # the gap follows (1 - m)^t up to batch noise: the batch mean has std 1/16 and the running
    # mean's noise settles at (1/16) * sqrt(m / (2 - m)); allow four of those
    noise = (1.0 / 16.0) * np.sqrt(momentum / (2.0 - momentum))
    assert np.all(np.abs(gap - expected) < 4 * noise)
    k = round(np.log(1.0 / mu) / np.log(1.0 - momentum))  # the step where the gap is about 1
    assert gap[k] == pytest.approx(expected[k], rel=0.1)
    assert gap[k] < 0.5 * gap[0] and gap[2 * k] < 0.5 * gap[k]
    assert gap[-1] < 4 * noise
    # the running variance (unbiased) approaches sigma^2 = 1 from its start of 1: stays near 1
    assert abs(run[-1, 1] - 1.0) < 0.1


def test_update_lets_the_live_window_blit() -> None:
    # same artists every frame, and limits that rarely move: the step axis grows in jumps; the
    # running statistics settle inside the first limits
    assert full_redraws(BatchNormInference(), BatchNormInference.defaults(), 150) <= 8
