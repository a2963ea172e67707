"""input-normalization: renders headless; standardised features converge in far fewer steps."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.demos.input_normalization import InputNormalization
from quizapp.demos.runner import DemoRun


def test_note_holds_on_the_default_run() -> None:
    demo = InputNormalization
    values = demo.defaults()
    run = DemoRun(demo(), values, limit=demo.steps)
    frame = run.run(demo.steps)
    # the run ends by itself once both problems have converged, well before its frame limit
    assert frame is not None and run.finished and run.count < demo.steps
    assert frame["converged"] == {"raw": 709, "standardised": 4}
    assert frame["t"] == frame["step"] >= 709
    probs = demo.setups(values)
    kappa = {k: p.lam_max / p.lam_min for k, p in probs.items()}
    assert kappa["raw"] == pytest.approx(106, abs=0.5) and kappa["standardised"] < 1.15
    assert abs(kappa["raw"] / values["scale"] ** 2 - 1) < 0.1  # "about scale²"
    # the best fixed rate 2/(λmax+λmin): η·λmax = 2κ/(κ+1) ≈ 1.98 raw (≈ 370 steps), ≈ 1.05
    best = {k: 2 * q / (q + 1) for k, q in kappa.items()}
    assert best["raw"] == pytest.approx(1.98, abs=0.005)
    assert best["standardised"] == pytest.approx(1.05, abs=0.01)
    at_best = steps_to_converge(best["raw"])["raw"]
    assert at_best is not None and 350 <= at_best <= 390
    for mult in (1.0, 1.9, 1.99):
        slower = steps_to_converge(mult)["raw"]
        assert slower is not None and slower >= at_best
    # at η·λmax = 1.9 the standardised path jumps across the optimum at every step
    fast = DemoRun(demo(), demo.resolve({"lr_mult": 1.9})).run(3)
    assert fast is not None
    offset = fast["paths"]["standardised"][1:8] - probs["standardised"].w_star
    assert np.all(np.sign(offset[1:]) == -np.sign(offset[:-1]))


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
