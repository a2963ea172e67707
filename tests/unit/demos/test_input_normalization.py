"""input-normalization: renders headless; standardised features converge in far fewer steps."""

from __future__ import annotations

import pytest

from quizapp.demos.input_normalization import InputNormalization
from quizapp.demos.runner import DemoRun


def steps_to_converge(lr_mult: float) -> dict[str, int | None]:
    values = InputNormalization.resolve({"lr_mult": lr_mult, "per_frame": 50})
    run = DemoRun(InputNormalization(), values)
    frame = run.run(30)  # up to 1500 gradient-descent steps
    assert frame is not None and not frame["diverged"]
    return frame["converged"]


def test_standardised_converges_in_far_fewer_steps_at_the_best_stable_rate() -> None:
    # the best rate of each problem from a grid of stable rates (η·λ_max < 2)
    grid = (0.5, 1.0, 1.5, 1.9)
    results = [steps_to_converge(m) for m in grid]
    raw = min(r["raw"] for r in results if r["raw"] is not None)
    std = min(r["standardised"] for r in results if r["standardised"] is not None)
    assert std <= 10
    assert raw >= 200  # κ ≈ 106: ≈ κ/(2·1.9)·ln(1e6) steps even at the best rate
    assert raw > 30 * std
    # and the best raw rate is the largest stable one, as the theory says
    assert results[-1]["raw"] == raw


def test_rate_above_two_over_lambda_max_diverges() -> None:
    values = InputNormalization.resolve({"lr_mult": 2.2, "per_frame": 10})
    run = DemoRun(InputNormalization(), values)
    run.run(100)
    assert run.diverged and run.latest is not None and run.latest["diverged"]
    assert run.latest["converged"] == {"raw": None, "standardised": None}
    assert run.count < 100
    assert pytest.approx(1.0) == run.latest["excess"]["raw"][0]
