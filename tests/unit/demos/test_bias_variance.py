"""The bias-variance demo: a U-shaped validation curve, and its split into bias², variance and
noise."""

from __future__ import annotations

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.bias_variance import (
    FRAMES,
    GRID,
    MAX_DEGREE,
    SETS_PER_FRAME,
    BiasVariance,
    truth,
)
from quizapp.demos.runner import DemoRun


def last_frame(**overrides: object) -> dict:
    demo = BiasVariance()
    run = DemoRun(demo, demo.resolve(overrides))
    frame = run.run(FRAMES + 5)
    assert frame is not None and run.finished and frame["k"] == FRAMES * SETS_PER_FRAME
    return frame


@pytest.fixture(scope="module")
def default_frame() -> dict:
    return last_frame()


def test_validation_error_is_lowest_at_an_intermediate_degree(default_frame: dict) -> None:
    val, train = default_frame["val"], default_frame["train"]
    best = int(np.argmin(val))
    # measured: best degree 5 (val 0.124); degree 0: 0.596, degree 12: 2.52
    assert 3 <= best <= MAX_DEGREE - 3
    assert val[0] > 3 * val[best] and val[MAX_DEGREE] > 3 * val[best]
    assert np.all(np.diff(val[best:]) > 0)  # rises all the way after the minimum
    # training error keeps falling: nested least-squares fits on the same sets
    assert np.all(np.diff(train) <= 1e-12)
    assert train[MAX_DEGREE] < 0.5 * default_frame["noise2"]  # below the noise: fitting it


def test_validation_error_is_bias_squared_plus_variance_plus_noise(default_frame: dict) -> None:
    frame = default_frame
    total = frame["bias2"] + frame["variance"] + frame["noise2"]
    np.testing.assert_allclose(total, frame["val"], rtol=0.03)  # measured: within 1.9 %
    bias2, variance = frame["bias2"], frame["variance"]
    # bias falls (0.49 at degree 0, 0.0001 at 6), variance rises (0.0045 -> 2.43)
    assert bias2[0] > 100 * bias2[6] and abs(bias2[MAX_DEGREE]) < 0.02
    assert np.all(np.diff(variance[1:]) > 0) and variance[MAX_DEGREE] > 100 * variance[0]


def test_more_training_samples_shrink_variance_and_raise_the_best_degree(
        default_frame: dict) -> None:
    large = last_frame(train_size=100)
    assert large["variance"][MAX_DEGREE] < 0.05 * default_frame["variance"][MAX_DEGREE]
    assert np.argmin(large["val"]) >= np.argmin(default_frame["val"])  # measured: 6 vs 5
    # bias depends on the degree, not on the sample size
    np.testing.assert_allclose(large["bias2"][:4], default_frame["bias2"][:4], rtol=0.1)


def test_fits_panel_average_misses_by_the_bias(default_frame: dict) -> None:
    frame = default_frame
    assert frame["degree"] == 3 and len(frame["fits"]) == 40 and np.all(np.isfinite(frame["fits"]))
    # the squared miss of the average curve over [-1, 1] is the degree's bias² (0.11)
    miss2 = float(np.mean((frame["mean_fit"] - truth(GRID)) ** 2))
    assert miss2 == pytest.approx(frame["bias2"][3], rel=0.15)


def test_update_lets_the_live_window_blit() -> None:
    # the error axis widens in a few jumps as training sets come in; the rest is fixed
    assert full_redraws(BiasVariance(), BiasVariance.defaults(), 40) <= 2


def test_each_training_set_has_its_own_error_and_their_mean_is_the_validation_error() -> None:
    # bottom left: one dot per training set, their running mean, and the decomposition
    demo = BiasVariance()
    run = DemoRun(demo, demo.defaults(), limit=demo.steps)
    while (frame := run.step()) is not None:
        per_set, d = frame["per_set"], frame["degree"]
        assert frame["t"] == frame["k"] == len(per_set)  # counted in training sets
        assert per_set.mean() == pytest.approx(frame["val"][d], rel=1e-12)
        # the dashed bias² + variance + σ² stays within 2 % of the mean (measured 1.1 %)
        k, total = frame["decomposed"][-1]
        assert k == frame["k"] and total == pytest.approx(per_set.mean(), rel=0.02)
    assert run.finished and run.latest is not None and run.latest["t"] == FRAMES * SETS_PER_FRAME
    # degree 12: rare wild fits pull the mean up (measured: one at 200.8, median 0.715,
    # mean 2.52)
    wild = last_frame(degree=12)["per_set"]
    assert wild.max() > 150 and np.median(wild) < 0.72 and round(wild.mean(), 1) == 2.5
