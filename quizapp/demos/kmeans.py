"""k-means by Lloyd's algorithm, one assignment or update step per frame.

The trainer's ``KMeans.lloyd_steps`` runs from centres drawn by ``init`` ("random": k distinct
data points; "k-means++": D(x)^2 sampling) with the ``seed`` generator; the data set is fixed
(its own seed), so the seed changes only the start. Frame 0 shows the initial centres, then
every assignment step (points join their nearest centre: the Voronoi cells in the background)
and update step (each centre moves to the mean of its points), until no point changes cluster.
Progress is counted in iterations: iteration j's assignment ends at j − ½, its update at j.
A strip compares the final inertia of RESTARTS further initialisations of each kind, and an
elbow plot shows the best inertia (of ELBOW_RESTARTS k-means++ runs) for every k up to K_MAX.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Literal

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._classical import CLUSTER_COLORS, info_text
from quizapp.demos._networks import draw_order
from quizapp.demos.base import Choice, Demo, Frame, Param, Trace, Update, Values, tr
from quizapp.demos.plotting import GREY, PURPLE
from quizapp.trainer import KMeans, make_blobs
from quizapp.trainer.classical import squared_distances

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

MAX_ITER = 30
RESTARTS = 20
K_MAX = 10
ELBOW_RESTARTS = 5
GRID = 200
Init = Literal["random", "k-means++"]
INITS: tuple[Init, ...] = ("random", "k-means++")
DATA_SEED = 7


@cache
def cluster_data(name: str) -> tuple[np.ndarray, np.ndarray]:
    """300 points and their true groups: five round blobs, three stretched ones, or one wide
    cluster beside two tight small ones. Read-only (cached)."""
    gen = np.random.default_rng(DATA_SEED)
    if name == "blobs":
        blobs = [[-4.0, -2.0], [-4.0, 2.5], [0.0, 0.0], [4.0, 2.5], [4.0, -2.0]]
        X, y = make_blobs(300, centers=blobs, cluster_std=0.8, rng=gen)
    elif name == "elongated":
        # three parallel clusters, long (std 2.5) along u and thin (std 0.3) across, 2 apart
        u, across = np.array([np.cos(0.5), np.sin(0.5)]), np.array([-np.sin(0.5), np.cos(0.5)])
        y = np.repeat(np.arange(3), 100)
        X = (np.outer(gen.normal(0.0, 2.5, 300), u)
             + np.outer(2.0 * (y - 1) + gen.normal(0.0, 0.3, 300), across))
    elif name == "unequal":
        sizes, centres, spreads = (200, 50, 50), ((0, 0), (5, 3.5), (5, -3.5)), (2.0, 0.5, 0.5)
        X = np.vstack([gen.normal(c, s, (n, 2))
                       for n, c, s in zip(sizes, centres, spreads, strict=True)])
        y = np.repeat(np.arange(3), sizes)
    else:
        raise ValueError(f"unknown data set {name!r}")
    X.flags.writeable = False
    y.flags.writeable = False
    return X, y


@cache
def elbow(name: str) -> np.ndarray:
    """The lowest inertia of ELBOW_RESTARTS k-means++ runs for k = 1 ... K_MAX."""
    X, _ = cluster_data(name)
    return np.array([KMeans(k, n_init=ELBOW_RESTARTS, max_iter=MAX_ITER, rng=k).fit(X).inertia_
                     for k in range(1, K_MAX + 1)])


def final_inertias(X: np.ndarray, k: int, init: Init, seed: int) -> np.ndarray:
    """The converged inertia of RESTARTS runs, each from its own initialisation."""
    probe = KMeans(k, init=init, max_iter=MAX_ITER, rng=10_000 + seed)
    return np.array([list(probe.lloyd_steps(X))[-1].inertia for _ in range(RESTARTS)])


class KMeansDemo(Demo):
    id = "kmeans"
    title = Text("k-평균: 로이드 알고리즘 한 단계씩", "k-means: Lloyd's algorithm step by step")
    notice = Text(
        "할당 단계는 각 점을 가장 가까운 중심에 붙이고(배경의 보로노이 영역), 갱신 단계는 각 "
        "중심을 자기 점들의 평균으로 옮깁니다. 두 단계 모두 관성(WCSS)을 늘리지 않으므로 곡선은 "
        "단조 감소하고, 몇 번의 반복 만에 어떤 점도 군집을 바꾸지 않는 지점에서 수렴합니다. "
        "하지만 그 지점은 국소 최적일 뿐입니다. 기본 시드의 무작위 초기화는 두 중심이 한 덩어리 "
        "안에서 시작해 최선보다 관성이 훨씬 큰 해에 멈춥니다. 오른쪽 가운데 띠에서 초기화 20번의 "
        "결과가 갈리는 것을 보고, k-means++로 바꾸거나 시드를 바꿔 보세요. 길쭉한(elongated) "
        "군집이나 크기가 다른(unequal) 군집에서는 최선의 해조차 군집을 잘못 자릅니다(k=3).",
        "The assignment step attaches every point to its nearest centre (the Voronoi cells in "
        "the background); the update step moves every centre to the mean of its points. "
        "Neither step can raise the inertia (WCSS), so the curve never goes up, and within a "
        "few iterations no point changes cluster: converged. But only to a local optimum: with "
        "the default seed, random initialisation starts two centres inside one blob and stops "
        "at a much larger inertia than the best. The strip at the middle right shows how 20 "
        "initialisations end differently; try k-means++ or another seed. On elongated or "
        "unequal clusters (k = 3) even the best solution cuts the clusters wrongly.",
    )
    params = (
        Param("dataset", Text("데이터", "Data set"), "choice", "blobs",
              choices=(Choice("blobs", Text("둥근 덩어리 5개", "five round blobs")),
                       Choice("elongated", Text("길쭉한 군집 3개", "three elongated clusters")),
                       Choice("unequal", Text("크기가 다른 군집 3개",
                                              "three clusters of unequal size")))),
        Param("n_clusters", Text("군집 수 k", "Clusters k"), "int", 5, low=1, high=10),
        Param("init", Text("초기화", "Initialisation"), "choice", "random",
              choices=(Choice("random", Text("무작위 점 k개", "random points")),
                       Choice("k-means++", Text("k-means++", "k-means++")))),
        Param("seed", Text("초기화 시드", "Initialisation seed"), "int", 2, low=0, high=99),
    )
    unit = Text("반복", "iteration")
    steps = 2 * MAX_ITER + 2  # the run usually converges, and so ends, long before

    def frames(self, values: Values) -> Iterator[Frame]:
        X, _ = cluster_data(values["dataset"])
        k, init, seed = values["n_clusters"], values["init"], values["seed"]
        model = KMeans(k, init=init, max_iter=MAX_ITER, rng=seed)
        start = model.init_centers(X)
        steps = list(model.lloyd_steps(X, start))
        restarts = {name: final_inertias(X, k, name, seed) for name in INITS}
        low, high = X.min(axis=0) - 1.0, X.max(axis=0) + 1.0
        gx, gy = np.meshgrid(np.linspace(low[0], high[0], GRID), np.linspace(low[1], high[1], GRID))
        grid = np.column_stack([gx.ravel(), gy.ravel()])
        inertias = Trace(2 * MAX_ITER + 2, 2)  # iterations (in half-steps), inertia
        trail = [start]
        common = {"X": X, "k": k, "init": init, "restarts": restarts,
                  "extent": (low[0], high[0], low[1], high[1]), "half_steps": len(steps),
                  "inertia_range": (steps[-1].inertia, steps[0].inertia), "diverged": False}

        def cells(centers: np.ndarray) -> np.ndarray:
            nearest: np.ndarray = np.argmin(squared_distances(grid, centers), axis=1)
            return nearest.reshape(GRID, GRID)

        yield {**common, "t": 0.0, "phase": "init", "iteration": 0, "labels": None,
               "centers": start, "trail": np.array(trail), "cells": cells(start),
               "inertia": float("nan"), "inertias": inertias.view(), "converged": False}
        for i, step in enumerate(steps, start=1):
            # half-step i: the assignment (odd i) or update of iteration (i + 1) // 2; counted
            # from i, as the assignment after a converged update still carries its iteration
            inertias.append(i / 2, step.inertia)
            if step.phase == "update":
                trail.append(step.centers)
            yield {**common, "t": i / 2, "phase": step.phase, "iteration": (i + 1) // 2,
                   "labels": step.labels, "centers": step.centers, "trail": np.array(trail),
                   "cells": cells(step.centers), "inertia": step.inertia,
                   "inertias": inertias.view(), "converged": step.converged}

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        from matplotlib.collections import LineCollection
        from matplotlib.colors import ListedColormap
        from matplotlib.ticker import MaxNLocator

        k = values["n_clusters"]
        colors = np.array([CLUSTER_COLORS[i % len(CLUSTER_COLORS)] for i in range(k)])
        grid = figure.add_gridspec(3, 2, width_ratios=(1.35, 1), height_ratios=(1, 0.85, 0.85))
        data_ax = figure.add_subplot(grid[:, 0])
        curve_ax = figure.add_subplot(grid[0, 1])
        strip_ax = figure.add_subplot(grid[1, 1])
        elbow_ax = figure.add_subplot(grid[2, 1])

        regions = data_ax.imshow(np.zeros((GRID, GRID)), origin="lower", aspect="auto",
                                 cmap=ListedColormap(list(colors)), vmin=-0.5, vmax=k - 0.5,
                                 alpha=0.16, interpolation="nearest")
        points = data_ax.scatter([], [], s=14, linewidths=0.3, edgecolors="white")
        paths = LineCollection([], linewidths=1.4, linestyles="--")
        data_ax.add_collection(paths)
        centres = data_ax.scatter([], [], s=190, marker="X", linewidths=1.3,
                                  edgecolors="black", zorder=4)
        data_title = data_ax.set_title("", fontsize=9.5)
        data_ax.set_aspect("equal", adjustable="box")
        data_ax.tick_params(labelsize=8)

        (inertia_line,) = curve_ax.plot([], [], color=GREY, lw=1.2)
        (assign_dots,) = curve_ax.plot([], [], "o", color=PURPLE, ms=5,
                                       label=tr(lang, "할당 후", "after assignment"))
        (update_dots,) = curve_ax.plot([], [], "s", color="black", ms=4.5,
                                       label=tr(lang, "갱신 후", "after update"))
        curve_ax.set_title(tr(lang, "이번 실행의 관성 (WCSS): 절대 늘지 않음",
                              "This run's inertia (WCSS): never rises"), fontsize=9.5)
        curve_ax.set_xlabel(tr(lang, "반복 (j번째 할당은 j − ½, 갱신은 j)",
                               "iteration (assignment j at j − ½, update j at j)"), fontsize=8.5)
        curve_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        curve_ax.grid(alpha=0.3)
        curve_ax.tick_params(labelsize=8)
        curve_ax.legend(loc="upper right", fontsize=8)
        curve_info = info_text(curve_ax, 0.97, 0.55, ha="right", va="center")

        rows = {name: i for i, name in enumerate(INITS)}
        # a fixed vertical jitter, so that runs ending at the same inertia stay countable
        jitter = np.random.default_rng(0).uniform(-0.18, 0.18, RESTARTS)
        restart_dots = {name: strip_ax.plot([], [], "o", color=GREY, alpha=0.6, ms=5,
                                            mec="none")[0] for name in INITS}
        best_counts = {name: strip_ax.text(0.01, rows[name] - 0.34, "", fontsize=8,
                                           va="center", color="#444444",
                                           transform=strip_ax.get_yaxis_transform())
                       for name in INITS}
        (current,) = strip_ax.plot([], [], "*", color=PURPLE, ms=16, mec="black",
                                   label=tr(lang, "이번 실행 (현재 관성)",
                                            "this run (current inertia)"))
        strip_ax.set_yticks(list(rows.values()), [tr(lang, "무작위", "random"), "k-means++"],
                            fontsize=8.5)
        strip_ax.set_ylim(-0.55, 1.95)
        strip_ax.set_xlabel(tr(lang, f"수렴한 관성: 초기화 {RESTARTS}번씩",
                               f"converged inertia, {RESTARTS} initialisations each"),
                            fontsize=8.5)
        strip_ax.grid(alpha=0.3, axis="x")
        strip_ax.tick_params(labelsize=8)
        strip_ax.legend(loc="upper right", fontsize=8)

        # the elbow plot does not change during a run: drawn once, from the cached sweep
        best_by_k = elbow(values["dataset"])
        ks = np.arange(1, K_MAX + 1)
        elbow_ax.plot(ks, best_by_k, "o-", color=GREY, lw=1.3, ms=4)
        elbow_ax.plot([k], [best_by_k[k - 1]], "o", color=PURPLE, ms=9, mec="black",
                      label=tr(lang, f"현재 k = {k}", f"current k = {k}"))
        elbow_ax.set_xticks(ks)
        elbow_ax.set_xlabel(tr(lang, f"k (각 k에서 k-means++ {ELBOW_RESTARTS}번 중 최선)",
                               f"k (best of {ELBOW_RESTARTS} k-means++ runs each)"), fontsize=8.5)
        elbow_ax.set_ylabel(tr(lang, "관성", "inertia"), fontsize=8.5)
        elbow_ax.grid(alpha=0.3)
        elbow_ax.tick_params(labelsize=8)
        elbow_ax.legend(loc="upper right", fontsize=8)
        changed = draw_order([regions, points, paths, centres, data_title, inertia_line,
                              assign_dots, update_dots, curve_info, *restart_dots.values(),
                              *best_counts.values(), current])

        def update(frame: Frame) -> list[Artist] | None:
            x0, x1, y0, y1 = frame["extent"]
            X = frame["X"]
            regions.set_data(frame["cells"])
            regions.set_extent((x0, x1, y0, y1))
            data_ax.set_xlim(x0, x1)
            data_ax.set_ylim(y0, y1)
            points.set_offsets(X)
            labels = frame["labels"]
            points.set_facecolor(colors[labels].tolist() if labels is not None else GREY)
            trail = frame["trail"]  # (centre positions so far, k, 2)
            paths.set_segments([trail[:, c] for c in range(trail.shape[1])])
            paths.set_color(list(colors))
            centres.set_offsets(frame["centers"])
            centres.set_facecolor(colors.tolist())
            phase, iteration = frame["phase"], frame["iteration"]
            if phase == "init":
                text = tr(lang, f"초기 중심 ({frame['init']})",
                          f"Initial centres ({frame['init']})")
            elif frame["converged"]:
                text = tr(lang, f"수렴: 반복 {iteration}의 할당에서 군집을 바꾼 점이 없음",
                          f"Converged: iteration {iteration}'s assignment changed no point")
            elif phase == "assign":
                text = tr(lang, f"반복 {iteration} — 할당: 각 점 → 가장 가까운 중심",
                          f"Iteration {iteration} — assign: each point → nearest centre")
            else:
                text = tr(lang, f"반복 {iteration} — 갱신: 각 중심 → 자기 점들의 평균",
                          f"Iteration {iteration} — update: each centre → mean of its points")
            data_title.set_text(text)

            history = frame["inertias"]
            inertia_line.set_data(history[:, 0], history[:, 1])
            odd = history[:, 0] % 1 == 0.5  # assignments end at j − ½
            assign_dots.set_data(history[odd, 0], history[odd, 1])
            update_dots.set_data(history[~odd, 0], history[~odd, 1])
            end, begin = frame["inertia_range"]
            curve_ax.set_xlim(0.0, max(frame["half_steps"], 2) / 2 + 0.25)
            pad = 0.08 * (begin - end) + 1e-9 * begin
            curve_ax.set_ylim(end - pad, begin + pad)
            inertia = frame["inertia"]
            curve_info.set_text(tr(lang, "관성 ", "inertia ")
                                + (f"{inertia:.1f}" if np.isfinite(inertia) else "—"))

            restarts = frame["restarts"]
            everything = np.concatenate(list(restarts.values()))
            best = float(everything.min())
            for name, dots in restart_dots.items():
                dots.set_data(restarts[name], rows[name] + jitter)
                near = int(np.sum(restarts[name] <= best * 1.01))
                best_counts[name].set_text(tr(lang, f"최선의 1% 이내: {near}/{RESTARTS}",
                                              f"within 1 % of the best: {near}/{RESTARTS}"))
            span = max(float(everything.max()), begin) - best
            strip_ax.set_xlim(best - 0.08 * span - 1e-9, best + 1.08 * span + 1e-9)
            if np.isfinite(inertia):
                current.set_data([inertia], [rows[frame["init"]] + 0.32])
            else:
                current.set_data([], [])
            # iteration 0 has no inertia yet: a full redraw (free, it is the first frame)
            return changed if phase != "init" else None

        return update
