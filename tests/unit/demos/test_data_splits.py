"""The train/validation/test demo: the selection-set score of the chosen model is optimistic."""

from __future__ import annotations

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.data_splits import DataSplits
from quizapp.demos.runner import DemoRun


def chosen_scores(n_select: int, seeds: range, candidates: int) -> np.ndarray:
    """(selection accuracy, test accuracy) of the chosen model, one row per seed."""
    rows = []
    for seed in seeds:
        demo = DataSplits()
        frame = DemoRun(demo, demo.resolve({"seed": seed, "n_select": n_select})).run(candidates)
        assert frame is not None and frame["count"] == candidates
        scores, best = frame["scores"], frame["best"]
        assert scores[best, 0] == scores[:, 0].max()  # chosen = best on the selection set
        # its selection score can only grow as candidates are added
        assert np.all(np.diff(frame["chosen"][:, 1]) >= 0)
        rows.append(scores[best])
    return np.array(rows)


def test_note_holds_on_the_default_run() -> None:
    demo = DataSplits
    run = DemoRun(demo(), demo.defaults(), limit=demo.steps)
    frame = run.run(demo.steps)
    assert frame is not None and run.finished and frame["t"] == frame["count"] == 60
    scores, chosen = frame["scores"], frame["chosen"]
    # one candidate: about the same score on both sets (the cloud around y = x)
    assert abs(float(np.mean(scores[:, 0] - scores[:, 1]))) < 0.02
    # the choice: validation 0.90 -> 0.96, changing at candidates 10, 21 and 28 ...
    changes = np.flatnonzero(np.diff(chosen[:, 0]) != 0) + 2
    assert changes.tolist() == [10, 21, 28]
    assert chosen[0, 1] == pytest.approx(0.90) and chosen[-1, 1] == pytest.approx(0.96)
    # ... while its test accuracy stays within 0.875 .. 0.895 (as the plot prints it)
    assert round(chosen[:, 2].min(), 3) == 0.875 and round(chosen[:, 2].max(), 3) == 0.895
    best = scores[frame["best"]]
    assert best[0] - best[1] == pytest.approx(0.085, abs=0.001)
    assert int(np.sum(scores[:, 1] > best[1])) == 10  # 10 others better on the test set


def test_selection_score_of_the_chosen_model_is_optimistic_on_average() -> None:
    small = chosen_scores(50, range(5), 30)
    optimism = small[:, 0] - small[:, 1]
    assert optimism.mean() > 0.035, optimism
    assert np.sum(optimism > 0) >= 4
    # with a much larger selection set the winner's luck is diluted: a smaller gap
    large = chosen_scores(400, range(5), 30)
    assert (large[:, 0] - large[:, 1]).mean() < 0.5 * optimism.mean()


def test_update_lets_the_live_window_blit() -> None:
    # same artists every frame, and limits that rarely move: the score axes widen in jumps as worse
    # candidates and more of them come in
    assert full_redraws(DataSplits(), DataSplits.defaults(), 100) <= 12
