"""The PCA demo: components along the long axis, ratios summing to 1, reconstruction, and what
a large-unit feature does to PCA without standardising."""

from __future__ import annotations

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.pca import FRAMES, PcaDemo
from quizapp.demos.runner import DemoRun


def run_frames(**overrides: object) -> list[dict]:
    demo = PcaDemo()
    run = DemoRun(demo, demo.resolve(overrides))
    frames = []
    while (frame := run.step()) is not None:
        frames.append(frame)
    assert run.finished and not run.diverged and len(frames) == FRAMES
    return frames


@pytest.fixture(scope="module")
def default_run() -> list[dict]:
    return run_frames()


def test_ratios_sum_to_one_and_pc1_is_the_long_axis(default_run: list[dict]) -> None:
    angles = np.linspace(0, np.pi, 721)
    directions = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    for frame in (default_run[0], default_run[-1]):
        for view in ("raw", "std"):
            data = frame["views"][view]
            assert data["ratio"].sum() == pytest.approx(1.0)
            assert data["ratio"][0] >= data["ratio"][1]
            components = data["components"]
            np.testing.assert_allclose(components @ components.T, np.eye(2), atol=1e-12)
            # no direction has more spread than PC1 (the long axis): checked every 0.25°
            centred = data["X"] - data["X"].mean(axis=0)
            spread = np.var(centred @ directions.T, axis=0)
            assert np.var(centred @ components[0]) >= spread.max() * (1 - 1e-9)
    std = default_run[-1]["views"]["std"]
    # standardised: PC1 along the diagonal (correlation 0.8), measured angle 45°
    assert abs(std["components"][0] @ np.array([1.0, 1.0]) / np.sqrt(2)) > 0.999


def test_a_large_unit_takes_pc1_over_without_standardising(default_run: list[dict]) -> None:
    first, last = default_run[0], default_run[-1]
    assert [f["t"] for f in default_run] == list(range(1, FRAMES + 1))  # one factor a frame
    assert last["s"] == pytest.approx(20.0)
    raw = last["views"]["raw"]
    # measured: PC1 = (0.04, 1.00), 88°; it explains 99.9 % of the raw variance
    assert abs(raw["components"][0][1]) > 0.99 and raw["ratio"][0] > 0.99
    angles = last["angles"][:, 1]
    assert angles[0] == pytest.approx(45.0, abs=3.0) and np.all(np.diff(angles) > 0)
    # but x1 keeps only what x2 predicts, r^2 (measured 65 %), while x2 keeps everything
    X = first["views"]["raw"]["X"]
    r = float(np.corrcoef(X[:, 0], X[:, 1])[0, 1])
    assert raw["kept_share"][0] == pytest.approx(r**2, abs=0.02)
    assert raw["kept_share"][1] > 0.999
    # standardised PCA does not see the unit: the same in every frame, and with PC1 alone
    # each feature keeps exactly (1 + r) / 2 of its variance (measured 90 %)
    std_first, std_last = first["views"]["std"], last["views"]["std"]
    np.testing.assert_allclose(std_first["components"], std_last["components"])
    np.testing.assert_allclose(std_last["kept_share"], (1 + r) / 2, rtol=1e-9)
    assert std_last["ratio"][0] == pytest.approx((1 + r) / 2)


def test_reconstruction_from_all_components_is_exact() -> None:
    last = run_frames(n_components=2)[-1]
    for view in ("raw", "std"):
        data = last["views"][view]
        np.testing.assert_allclose(data["restored"], data["X"], atol=1e-9)
        np.testing.assert_allclose(data["kept_share"], 1.0)


def test_update_lets_the_live_window_blit() -> None:
    # the raw panel's limits widen in jumps as x2's unit shrinks: measured 4 over s = 1 ... 20
    assert full_redraws(PcaDemo(), PcaDemo.defaults(), 40) <= 5
