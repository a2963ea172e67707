"""The ROC / PR demo: rarer positives leave ROC-AUC alone and sink AP; the threshold trades
precision for recall."""

from __future__ import annotations

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.roc_pr import N_NEG, RocPr
from quizapp.demos.runner import DemoRun


def distance_to_polyline(x: np.ndarray, y: np.ndarray, px: float, py: float) -> float:
    """The shortest distance from (px, py) to the polyline through (x, y)."""
    a, b = np.column_stack([x[:-1], y[:-1]]), np.column_stack([x[1:], y[1:]])
    d = b - a
    length2 = np.maximum(np.sum(d * d, axis=1), 1e-300)
    t = np.clip(np.sum((np.array([px, py]) - a) * d, axis=1) / length2, 0.0, 1.0)
    return float(np.min(np.hypot(*(a + t[:, None] * d - np.array([px, py])).T)))


def frames(**overrides: object) -> list[dict]:
    demo = RocPr()
    run = DemoRun(demo, demo.resolve(overrides))
    out = []
    while (frame := run.step()) is not None:
        out.append(frame)
    assert run.finished and not run.diverged and len(out) == RocPr.steps
    return out


@pytest.fixture(scope="module")
def default_run() -> list[dict]:
    return frames()


def test_roc_auc_stays_while_average_precision_falls_as_positives_get_rarer(
        default_run: list[dict]) -> None:
    first, last = default_run[0], default_run[-1]
    assert [f["t"] for f in default_run] == list(range(1, RocPr.steps + 1))  # one rate a frame
    assert first["rate"] == pytest.approx(0.5) and last["rate"] == pytest.approx(0.02, rel=0.01)
    history = last["history"]
    # measured: ROC-AUC 0.922 at 50 % positives, 0.919 at 2 %, within 0.915-0.927 on the way
    assert abs(last["auc"] - first["auc"]) < 0.02
    assert history[:, 1].min() > 0.9 and np.ptp(history[:, 1]) < 0.03
    # measured: AP 0.923 -> 0.363; it falls towards its baseline, the positive rate
    assert first["ap"] > 0.9 and last["ap"] < 0.45
    assert last["ap"] > 5 * last["rate"]  # still far above a random ranking
    assert np.polyfit(np.log(history[:, 0]), history[:, 2], 1)[0] > 0.1  # steady fall


def test_curves_are_the_metrics_of_the_frame(default_run: list[dict]) -> None:
    frame = default_run[-1]
    fpr, tpr = frame["roc"]
    assert float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1])) / 2) == pytest.approx(frame["auc"])
    recall, precision = frame["pr"]
    assert float(-np.sum(np.diff(recall) * precision[:-1])) == pytest.approx(frame["ap"])
    at = frame["at"]
    assert at["tp"] + at["fn"] == frame["n_pos"] and at["fp"] + at["tn"] == N_NEG
    # the threshold's point lies on the ROC curve (maybe inside a straight segment, whose
    # middle points roc_curve drops) and is a vertex of the PR curve
    assert distance_to_polyline(fpr, tpr, at["fpr"], at["recall"]) < 1e-12
    assert np.min(np.hypot(recall - at["recall"], precision - at["precision"])) < 1e-12
    # the negatives' scores never change: the same histogram in every frame
    np.testing.assert_array_equal(frame["hist"][0], default_run[0]["hist"][0])


def test_raising_the_threshold_trades_recall_for_precision() -> None:
    points = [frames(threshold=t)[-1]["at"] for t in (0.3, 0.5, 0.7, 0.9)]
    recall = [p["recall"] for p in points]
    precision = [p["precision"] for p in points]
    # measured: recall 0.926, 0.853, 0.711, 0.417; precision 0.060, 0.093, 0.162, 0.362
    assert np.all(np.diff(recall) < 0) and np.all(np.diff(precision) > 0)


def test_separation_sets_the_auc() -> None:
    # two unit Gaussians d apart: AUC = Phi(d / sqrt 2); 0.5 -> 0.638 (measured 0.624),
    # 4 -> 0.998 (measured 0.997)
    low, high = frames(separation=0.5)[-1], frames(separation=4.0)[-1]
    assert low["auc"] == pytest.approx(0.638, abs=0.05)
    assert high["auc"] > 0.99


def test_update_lets_the_live_window_blit() -> None:
    # every limit is fixed from the parameters
    assert full_redraws(RocPr(), RocPr.defaults(), 40) == 0
