"""The k-means demo: Lloyd's steps never raise the inertia and converge in a few iterations, to
a local optimum that depends on the start; elongated and unequal clusters defeat even the best."""

from __future__ import annotations

import numpy as np
import pytest
from blit_check import full_redraws

from quizapp.demos.kmeans import K_MAX, KMeansDemo, cluster_data, elbow
from quizapp.demos.runner import DemoRun
from quizapp.trainer import KMeans
from quizapp.trainer.classical import inertia


def run_frames(**overrides: object) -> list[dict]:
    demo = KMeansDemo()
    run = DemoRun(demo, demo.resolve(overrides))
    frames = []
    while (frame := run.step()) is not None:
        frames.append(frame)
    assert run.finished and not run.diverged and len(frames) <= KMeansDemo.steps
    return frames


@pytest.fixture(scope="module")
def default_run() -> list[dict]:
    return run_frames()


def test_lloyd_never_raises_the_inertia_and_converges_in_a_few_iterations(
        default_run: list[dict]) -> None:
    assert default_run[0]["phase"] == "init" and default_run[0]["labels"] is None
    phases = [f["phase"] for f in default_run[1:]]
    assert phases == ["assign", "update"] * (len(phases) // 2) + ["assign"]  # alternating
    # counted in iterations: iteration j's assignment at j - 1/2, its update at j
    assert [f["t"] for f in default_run] == [i / 2 for i in range(len(default_run))]
    history = default_run[-1]["inertias"][:, 1]
    assert np.all(np.diff(history) <= 1e-9 * history[0])
    last = default_run[-1]
    assert last["converged"] and last["iteration"] <= 10  # measured: 8 iterations
    # converged: the last assignment changed nothing, and every centre is its points' mean
    np.testing.assert_array_equal(last["labels"], default_run[-3]["labels"])
    X = last["X"]
    for c in range(last["k"]):
        np.testing.assert_allclose(last["centers"][c], X[last["labels"] == c].mean(axis=0))
    assert last["inertia"] == pytest.approx(inertia(X, last["centers"], last["labels"]))


def test_the_result_is_a_local_optimum_that_depends_on_the_start(default_run: list[dict]) -> None:
    last = default_run[-1]
    restarts = last["restarts"]
    best = min(r.min() for r in restarts.values())
    # measured: this run (random init, seed 2) ends at 908.0, the best is 316.8
    assert last["init"] == "random" and last["inertia"] > 2.5 * best
    # random starts end in different optima (16 of 20 within 1 % of the best); k-means++
    # spreads its starts and gets there every time here
    assert restarts["random"].max() > 2.5 * best
    near = {name: int(np.sum(r <= 1.01 * best)) for name, r in restarts.items()}
    assert near["k-means++"] == 20 and near["random"] < 20
    spread_start = run_frames(init="k-means++")[-1]
    assert spread_start["inertia"] == pytest.approx(best, rel=0.01)
    # why: two of the random starting centres lie in the same blob (measured: blobs 0 and 1 get
    # two each, blobs 2 and 4 none), and Lloyd never repairs it: one blob stays split in two
    # and one cluster spans two blobs
    X, truth = cluster_data("blobs")
    start = default_run[0]["centers"]
    start_blobs = truth[[int(np.argmin(((X - c) ** 2).sum(axis=1))) for c in start]]
    assert len(set(start_blobs.tolist())) < len(start_blobs)
    labels = last["labels"]
    # counting only shares of at least 10 points, so that a stray point does not count
    blobs_per_cluster = [int(np.sum(np.bincount(truth[labels == c]) >= 10)) for c in range(5)]
    clusters_per_blob = [int(np.sum(np.bincount(labels[truth == b]) >= 10)) for b in range(5)]
    assert max(blobs_per_cluster) == 2 and max(clusters_per_blob) == 2


@pytest.mark.parametrize("name", ["elongated", "unequal"])
def test_even_the_best_k_means_cuts_elongated_or_unequal_clusters_wrongly(name: str) -> None:
    X, truth = cluster_data(name)
    best = KMeans(3, n_init=20, rng=0).fit(X)
    assert best.labels_ is not None
    true_centres = np.array([X[truth == c].mean(axis=0) for c in range(3)])
    # the true grouping is *worse* by the k-means objective (measured: 1615 vs 992, 1402 vs
    # 1193), so k-means prefers its wrong cut
    assert inertia(X, true_centres, truth) > 1.1 * best.inertia_
    purity = sum(np.bincount(truth[best.labels_ == c]).max() for c in range(3)) / len(truth)
    assert purity < 0.92  # measured: 0.60 (elongated) and 0.90 (unequal)


def test_the_elbow_of_the_five_blobs_is_at_k_5() -> None:
    best = elbow("blobs")
    assert len(best) == K_MAX and np.all(np.diff(best) < 0)  # more clusters, less inertia
    drops = -np.diff(best)  # drops[i]: from k = i + 1 to k = i + 2
    # measured: 4 -> 5 lowers the inertia by 584, 5 -> 6 by only 25
    assert drops[3] > 10 * drops[4]


def test_update_lets_the_live_window_blit() -> None:
    # every limit is fixed from the precomputed run
    assert full_redraws(KMeansDemo(), KMeansDemo.defaults(), 30) == 0
