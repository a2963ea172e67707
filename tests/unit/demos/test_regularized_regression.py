"""The Ridge / Lasso / ElasticNet demo: exact zeros, grouping, and the constraint picture."""

from __future__ import annotations

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.regularized_regression import N_ALPHAS, RegularizedRegression
from quizapp.demos.runner import DemoRun


def last_frame(**overrides: object) -> dict:
    demo = RegularizedRegression()
    run = DemoRun(demo, demo.resolve(overrides))
    frame = run.run(N_ALPHAS + 5)
    assert frame is not None and run.finished and frame["k"] == N_ALPHAS - 1
    return frame


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lasso_has_exact_zeros_at_moderate_alpha_and_ridge_none(seed: int) -> None:
    paths = last_frame(seed=seed)["paths"]
    middle = N_ALPHAS // 2
    lasso, ridge = paths["lasso"], paths["ridge"]
    assert np.sum(lasso[:, middle] == 0.0) >= 2  # noise features switched off exactly
    assert np.sum(lasso[:3, middle] != 0.0) >= 2  # while informative ones are in
    assert np.all(ridge != 0.0)  # Ridge: no exact zero anywhere along its path
    # Ridge does shrink: at its largest alpha every coefficient is tiny
    assert np.abs(ridge[:, 0]).max() < 0.1 * np.abs(ridge[:, -1]).max()
    # at the weakest regularisation all three are close to each other (near OLS)
    np.testing.assert_allclose(lasso[:, -1], ridge[:, -1], atol=0.1)


def active_at_matched_l1(path: np.ndarray, reference_l1: float) -> float:
    """Mean number of non-zero coefficients where the path's L1 norm is 5 % ... 70 % of ref."""
    l1 = np.abs(path).sum(axis=0)
    counts = [np.sum(path[:, np.argmin(np.abs(l1 - f * reference_l1))] != 0.0)
              for f in np.linspace(0.05, 0.7, 14)]
    return float(np.mean(counts))


def test_elasticnet_keeps_correlated_features_together_more_than_lasso() -> None:
    lasso_counts, enet_counts = [], []
    for seed in range(4):
        paths = last_frame(seed=seed)["paths"]
        reference = float(np.abs(paths["lasso"][:, -1]).sum())
        lasso_counts.append(active_at_matched_l1(paths["lasso"], reference))
        enet_counts.append(active_at_matched_l1(paths["elasticnet"], reference))
    # for the same total |w|, ElasticNet spreads weight over more of the correlated features
    assert all(e >= la for e, la in zip(enet_counts, lasso_counts, strict=True))
    assert np.mean(enet_counts) > 1.4 * np.mean(lasso_counts), (lasso_counts, enet_counts)


def test_constraint_panel_lasso_hits_a_corner_ridge_never_does() -> None:
    demo = RegularizedRegression()
    run = DemoRun(demo, demo.defaults())
    lasso_corner = ridge_zero = 0
    while (frame := run.step()) is not None:
        w_l, w_r = frame["w_lasso2"], frame["w_ridge2"]
        lasso_corner += int(np.sum(w_l == 0.0) == 1)
        ridge_zero += int(np.any(w_r == 0.0))
        # the touching contour passes through the solution (it is the RSS level set there)
        for pts, w in ((frame["contour_lasso"], w_l), (frame["contour_ridge"], w_r)):
            assert np.min(np.linalg.norm(pts - w, axis=1)) < 0.05 * (1 + np.linalg.norm(w))
    assert lasso_corner >= 5 and ridge_zero == 0


def test_update_lets_the_live_window_blit() -> None:
    # same artists every frame, and limits that rarely move: every limit is known from the first
    # frame
    assert full_redraws(RegularizedRegression(), RegularizedRegression.defaults(), 60) <= 0
