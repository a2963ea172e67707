"""The optimizer race shows what it claims: zig-zag, overshoot, Nesterov's damping."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.demos import DemoRun, get_demo
from quizapp.demos.optimizer_race import OPTIMIZERS, SURFACES, OptimizerRace


def final_frame(**overrides: object) -> dict:
    frame = DemoRun(OptimizerRace(), OptimizerRace.resolve(overrides)).run(150)
    assert frame is not None
    return frame


def test_note_holds_on_the_default_run() -> None:
    run = DemoRun(OptimizerRace(), OptimizerRace.defaults(), limit=OptimizerRace.steps)
    frame = run.run(OptimizerRace.steps)
    assert frame is not None and run.finished and frame["t"] == OptimizerRace.steps - 1
    paths, losses = frame["paths"], frame["losses"]
    assert all(tuple(path[0]) == (-4.0, 1.0) for path in paths.values())
    # momentum swings to x ≈ 2 past the minimum at x = 0 and comes back; Nesterov to x ≈ 1.4
    momentum, nesterov = paths["Momentum"][:, 0], paths["Nesterov"][:, 0]
    assert 1.8 < momentum.max() < 2.3 and abs(momentum[-1]) < 0.01
    assert 1.2 < nesterov.max() < 1.6 and nesterov.max() < 0.75 * momentum.max()
    # the adaptive methods' first step is as long in x as in y (diagonal); SGD's is 5x longer
    # in y, down the steep slope
    for name in ("AdaGrad", "RMSprop", "Adam"):
        dx, dy = np.abs(paths[name][1] - paths[name][0])
        assert dx == pytest.approx(dy, rel=1e-6), name
    dx, dy = np.abs(paths["SGD"][1] - paths["SGD"][0])
    assert dy == pytest.approx(5 * dx)
    # AdaGrad slows down step after step and is still far from the minimum at the end
    step_x = np.abs(np.diff(paths["AdaGrad"][:, 0]))
    assert step_x[5] > step_x[20] > step_x[50] > step_x[140]
    assert losses["AdaGrad"][-1] > 1.0
    assert all(losses[n][-1] < 1e-4 for n in OPTIMIZERS if n != "AdaGrad")
    # lr 0.09: SGD's y flips sign every step and keeps |1 - 0.09 * 20| = 80 % of itself;
    # Nesterov diverges, plain momentum does not
    fast = final_frame(lr=0.09)
    y = fast["paths"]["SGD"][:30, 1]
    np.testing.assert_allclose(y[1:] / y[:-1], -0.8, rtol=1e-6)
    assert not fast["alive"]["Nesterov"] and fast["alive"]["Momentum"]


def test_nesterov_overshoots_less_than_momentum_on_the_ravine() -> None:
    frame = final_frame()
    # Start at x = -4; the minimum is at x = 0. Overshoot = how far past 0 each one swings.
    momentum = frame["paths"]["Momentum"][:, 0].max()
    nesterov = frame["paths"]["Nesterov"][:, 0].max()
    assert momentum > 1.5 and nesterov < 0.75 * momentum


def test_sgd_zig_zags_across_the_steep_direction() -> None:
    y = final_frame()["paths"]["SGD"][:, 1]
    sign_changes = int(np.sum(np.diff(np.sign(y[:40])) != 0))
    # lr * curvature = 0.06 * 20 = 1.2 > 1: every step overshoots the valley floor in y.
    assert sign_changes >= 35
    adam_y = final_frame()["paths"]["Adam"][:, 1]
    assert int(np.sum(np.diff(np.sign(adam_y[:40])) != 0)) < sign_changes


def test_too_large_a_learning_rate_diverges_and_is_reported() -> None:
    frame = final_frame(lr=0.2)
    assert not frame["alive"]["SGD"]  # 0.2 * 20 = 4 > 2: |1 - 4| > 1 per step
    assert frame["alive"]["Adam"]  # Adam's step is bounded by lr per coordinate


@pytest.mark.parametrize("name", list(SURFACES))
def test_surface_gradients_match_finite_differences(name: str) -> None:
    surface = SURFACES[name]
    rng = np.random.default_rng(0)
    for _ in range(5):
        p = np.array([rng.uniform(*surface.xlim), rng.uniform(*surface.ylim)])
        h = 1e-6
        numeric = np.array([
            (surface.f(p[0] + h, p[1]) - surface.f(p[0] - h, p[1])) / (2 * h),
            (surface.f(p[0], p[1] + h) - surface.f(p[0], p[1] - h)) / (2 * h),
        ])
        assert np.allclose(surface.grad(p), numeric, rtol=1e-5, atol=1e-5)


def test_registry_and_validation() -> None:
    assert get_demo("optimizer-race") is OptimizerRace
    assert OptimizerRace.problems({"lr": 5.0}) == ["lr=5.0 is out of range [0.0001, 0.2]"]
    assert "unknown parameter 'foo'" in OptimizerRace.problems({"foo": 1})[0]
