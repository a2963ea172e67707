"""PCA of a correlated 2-D Gaussian, with and without standardising, as one feature's unit shrinks.

The data are n draws of (x1, x2) with unit variances and correlation ``correlation``; x2 is then
recorded in a unit ``s`` times smaller (x2 -> s * x2: metres to millimetres gives s = 1000).
Frame by frame s grows from 1 to ``scale``. The trainer's ``PCA`` is fitted to the raw features
and to the standardised ones (``StandardScaler``); each panel shows the components as arrows
(2 standard deviations long), the reconstruction from ``n_components`` components
(``inverse_transform(transform(X))``, the projections onto the first component when it is 1),
the scree bars with their cumulative sum, and PC1's angle as s grows. Standardising divides s
out again, so that PCA is the same in every frame.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._classical import info_text
from quizapp.demos._networks import draw_order
from quizapp.demos.base import Demo, Frame, Param, Trace, Update, Values, tr
from quizapp.demos.plotting import BLUE, GREY, RED, FitLimits
from quizapp.trainer import PCA, StandardScaler

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.text import Annotation
    from matplotlib.text import Text as TextArtist

FRAMES = 40
VIEWS = ("raw", "std")
COLORS = {"raw": RED, "std": BLUE}


def correlated_gaussian(n: int, correlation: float, seed: int) -> np.ndarray:
    """n draws from N(0, [[1, rho], [rho, 1]]), shape (n, 2)."""
    gen = np.random.default_rng(seed)
    z = gen.standard_normal((n, 2))
    points: np.ndarray = np.column_stack(
        [z[:, 0], correlation * z[:, 0] + np.sqrt(1.0 - correlation**2) * z[:, 1]])
    return points


@dataclass
class Panel:
    """The changing artists of one data panel."""

    residuals: LineCollection
    points: Line2D
    restored: Line2D
    arrows: list[Annotation]
    labels: list[Annotation]
    title: TextArtist
    info: TextArtist
    x: FitLimits
    y: FitLimits


def analyse(X: np.ndarray, k: int) -> dict[str, Any]:
    """Everything a panel shows about the PCA of X: components, ratios, reconstruction."""
    full = PCA().fit(X)
    assert full.components_ is not None and full.explained_variance_ is not None
    assert full.explained_variance_ratio_ is not None and full.mean_ is not None
    kept = PCA(k).fit(X)
    restored = kept.inverse_transform(kept.transform(X))
    # how much of each feature's own variance the reconstruction keeps (1 - residual share)
    kept_share = 1.0 - np.var(X - restored, axis=0) / np.var(X, axis=0)
    v1 = full.components_[0]
    return {"mean": full.mean_, "components": full.components_,
            "std": np.sqrt(full.explained_variance_), "ratio": full.explained_variance_ratio_,
            "restored": restored, "kept_share": kept_share,
            # the angle of the PC1 line from the x1 axis, in [0, 180)
            "angle": float(np.degrees(np.arctan2(v1[1], v1[0])) % 180.0)}


class PcaDemo(Demo):
    id = "pca"
    title = Text("PCA: 주성분, 설명된 분산, 표준화의 효과",
                 "PCA: components, explained variance, and standardising")
    notice = Text(
        "PC1은 데이터가 가장 길게 퍼진 방향(긴 축), PC2는 그에 직교하는 방향이고, 설명된 분산 "
        "비율의 합은 1입니다. 성분 k개로 복원하면 나머지 성분 방향의 정보만 사라집니다(k=1이면 "
        "PC1 직선 위로의 투영). 프레임마다 x2를 더 작은 단위로 기록해(값이 s배) 분산이 s²배가 "
        "되면, 표준화하지 않은 PCA의 PC1은 x2 축으로 돌아가고 혼자서 분산의 거의 100%를 "
        "'설명'합니다. 단위 때문에 생긴 숫자입니다: PC1로 복원하면 x2는 100% 남지만 x1은 x2로 "
        "예측되는 만큼(ρ², ρ = 0.8이면 64%)만 남습니다. 표준화한 PCA는 단위와 무관하게 늘 같은 "
        "결과(대각선 방향의 PC1, 각 특성 분산의 (1+ρ)/2 = 90% 유지)를 냅니다.",
        "PC1 is the direction of largest spread (the long axis), PC2 the direction "
        "perpendicular to it, and the explained-variance ratios sum to 1. Reconstructing from k "
        "components loses only what lies along the others (k = 1: projection onto the PC1 "
        "line). Frame by frame x2 is recorded in a smaller unit (values × s), so its variance "
        "grows by s²: without standardising, PC1 swings to the x2 axis and alone 'explains' "
        "almost 100 % of the variance. That number comes from the unit: reconstructing from PC1 "
        "keeps all of x2 but of x1 only what x2 predicts (ρ², 64 % at ρ = 0.8). Standardised "
        "PCA gives the same result in every unit: PC1 along the diagonal, keeping (1 + ρ)/2 = "
        "90 % of each feature's variance.",
    )
    params = (
        Param("scale", Text("x2 단위 배율 s (마지막 프레임)", "x2 unit factor s (last frame)"),
              "float", 20.0, low=1.0, high=100.0, log=True),
        Param("correlation", Text("x1·x2 상관계수", "Correlation of x1 and x2"), "float", 0.8,
              low=0.0, high=0.95),
        Param("n_components", Text("복원에 쓰는 성분 수 k", "Components k for reconstruction"),
              "int", 1, low=1, high=2),
        Param("n_samples", Text("샘플 수", "Samples"), "int", 200, low=20, high=500),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
    )
    #: a frame is one unit factor s of the sweep (the x-axes show data, components and s)
    unit = Text("단위 배율 단계", "unit-factor step")
    steps = FRAMES  # the whole sweep, s from 1 to scale

    def frames(self, values: Values) -> Iterator[Frame]:
        base = correlated_gaussian(values["n_samples"], values["correlation"], values["seed"])
        k = values["n_components"]
        standardised = StandardScaler().fit_transform(base)
        std_view = {**analyse(standardised, k), "X": standardised}
        angles = Trace(FRAMES, 3)  # s, PC1 angle raw, PC1 angle standardised
        for count, s in enumerate(np.geomspace(1.0, values["scale"], FRAMES), start=1):
            raw = base * np.array([1.0, s])
            raw_view = {**analyse(raw, k), "X": raw}
            angles.append(s, raw_view["angle"], std_view["angle"])
            yield {"t": count, "s": s, "k": k, "views": {"raw": raw_view, "std": std_view},
                   "angles": angles.view(), "diverged": False}

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        from matplotlib.collections import LineCollection
        from matplotlib.ticker import NullFormatter

        grid = figure.add_gridspec(2, 3, width_ratios=(1, 1, 0.95))
        data_axes: dict[str, Axes] = {"raw": figure.add_subplot(grid[:, 0]),
                                      "std": figure.add_subplot(grid[:, 1])}
        scree_ax = figure.add_subplot(grid[0, 2])
        angle_ax = figure.add_subplot(grid[1, 2])
        k = values["n_components"]
        names = {"raw": tr(lang, "표준화 안 함 (원래 단위)", "not standardised (raw units)"),
                 "std": tr(lang, "표준화함 (평균 0, 표준편차 1)", "standardised (mean 0, std 1)")}

        artists: list[Artist] = []
        panels: dict[str, Panel] = {}
        for view, ax in data_axes.items():
            color = COLORS[view]
            ax.set_aspect("equal", adjustable="box")
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=7.5)
            ax.set_xlabel("x1" if view == "raw" else tr(lang, "x1 (표준화)", "x1 (standardised)"),
                          fontsize=8.5)
            ax.set_ylabel("x2" if view == "raw" else tr(lang, "x2 (표준화)", "x2 (standardised)"),
                          fontsize=8.5)
            residuals = LineCollection([], colors=GREY, linewidths=0.5, alpha=0.6)
            ax.add_collection(residuals)
            (points,) = ax.plot([], [], "o", color=color, ms=3, alpha=0.45,
                                label=tr(lang, "데이터", "data"))
            (restored,) = ax.plot([], [], ".", color="black", ms=3,
                                  label=tr(lang, f"성분 {k}개로 복원", f"restored from {k} PC"))
            arrows = [ax.annotate("", xy=(0, 0), xytext=(0, 0), arrowprops={
                "arrowstyle": "-|>", "lw": 2.4 - 0.8 * i, "color": "black",
                "mutation_scale": 14}) for i in range(2)]
            # labels a fixed distance (in points) beside the arrow tips, so a short arrow
            # does not hide its label
            labels = [ax.annotate(f"PC{i + 1}", xy=(0, 0), xytext=offset,
                                  textcoords="offset points", fontsize=9, fontweight="bold",
                                  ha="left", va="center")
                      for i, offset in enumerate(((6, 4), (7, -9)))]
            title = ax.set_title("", fontsize=9)
            info = info_text(ax, 0.03, 0.03, va="bottom", fontsize=8)
            ax.legend(loc="upper left", fontsize=7.5)
            panels[view] = Panel(residuals, points, restored, arrows, labels, title, info,
                                 FitLimits(ax, "x", 0.7), FitLimits(ax, "y", 0.7))
            artists += [residuals, points, restored, *arrows, *labels, title, info]

        width = 0.38
        short = {"raw": tr(lang, "원래 단위", "raw units"),
                 "std": tr(lang, "표준화", "standardised")}
        bars = {view: scree_ax.bar(np.arange(1, 3) + (i - 0.5) * width, [0.0, 0.0], width,
                                   color=COLORS[view], alpha=0.75, label=short[view])
                for i, view in enumerate(VIEWS)}
        cumulative = {view: scree_ax.plot([], [], "o-", color=COLORS[view], lw=1.3, ms=4)[0]
                      for view in VIEWS}
        scree_ax.set_xticks([1, 2], ["PC1", "PC2"])
        scree_ax.set_ylim(0, 1.12)
        scree_ax.set_xlim(0.4, 2.6)
        scree_ax.set_title(tr(lang, "설명된 분산 비율\n(막대: 성분별, 선: 누적)",
                              "Explained variance ratio\n(bars: per component, lines: cumulative)"),
                           fontsize=9)
        scree_ax.grid(alpha=0.3, axis="y")
        scree_ax.tick_params(labelsize=8)
        scree_ax.legend(loc="center right", fontsize=7.5)
        bar_texts = {view: [scree_ax.text(0, 0, "", ha="center", va="bottom", fontsize=7.5)
                            for _ in range(2)] for view in VIEWS}

        angle_ax.set_xscale("log")
        angle_ax.set_xlim(1.0, max(values["scale"], 1.5))
        angle_ax.set_ylim(0, 180)
        angle_ax.set_yticks([0, 45, 90, 135, 180])
        angle_ax.xaxis.set_minor_formatter(NullFormatter())
        angle_ax.set_xlabel(tr(lang, "x2 단위 배율 s (로그)", "x2 unit factor s (log)"),
                            fontsize=8.5)
        angle_ax.set_ylabel(tr(lang, "PC1 각도 (°, x1 축 기준)", "PC1 angle (°, from x1 axis)"),
                            fontsize=8.5)
        angle_ax.grid(alpha=0.3, which="both")
        angle_ax.tick_params(labelsize=8)
        angle_lines = {view: angle_ax.plot([], [], color=COLORS[view], lw=2.0,
                                           label=names[view])[0] for view in VIEWS}
        angle_ax.axhline(90, color=GREY, lw=0.8, ls=":")
        angle_ax.legend(loc="lower right", fontsize=7.5)

        changed = draw_order([*artists, *(b for view in VIEWS for b in bars[view]),
                              *cumulative.values(), *(t for view in VIEWS
                                                      for t in bar_texts[view]),
                              *angle_lines.values()])

        def update(frame: Frame) -> list[Artist]:
            for view, panel in panels.items():
                data = frame["views"][view]
                X, restored = data["X"], data["restored"]
                panel.points.set_data(X[:, 0], X[:, 1])
                panel.restored.set_data(restored[:, 0], restored[:, 1])
                panel.residuals.set_segments(list(np.stack([X, restored], axis=1)))
                mean = data["mean"]
                for i in range(2):
                    tip = mean + 2.0 * data["std"][i] * data["components"][i]
                    panel.arrows[i].xy = (float(tip[0]), float(tip[1]))
                    panel.arrows[i].set_position((float(mean[0]), float(mean[1])))
                    panel.labels[i].xy = (float(tip[0]), float(tip[1]))
                # a square view around the data (equal aspect), widened in jumps
                half = 1.15 * float(np.max(np.abs(X - mean)))
                panel.x.show(mean[0] - half, mean[0] + half)
                panel.y.show(mean[1] - half, mean[1] + half)
                ratio, kept = data["ratio"], data["kept_share"]
                heading = names[view] + (f", s = {frame['s']:.3g}" if view == "raw" else "")
                panel.title.set_text(heading + "\n" + tr(
                    lang, f"PC1 = ({data['components'][0][0]:.2f}, "
                          f"{data['components'][0][1]:.2f}), 각도 {data['angle']:.0f}°",
                    f"PC1 = ({data['components'][0][0]:.2f}, {data['components'][0][1]:.2f}), "
                    f"angle {data['angle']:.0f}°"))
                panel.info.set_text(tr(
                    lang, f"PC1이 설명하는 분산 {ratio[0]:.1%}\n"
                          f"성분 {frame['k']}개로 복원 시 남는 분산:\n"
                          f"x1 {kept[0]:.0%}, x2 {kept[1]:.0%}",
                    f"PC1 explains {ratio[0]:.1%} of the variance\n"
                    f"restored from {frame['k']} PC, each feature keeps:\n"
                    f"x1 {kept[0]:.0%}, x2 {kept[1]:.0%} of its variance"))
                offset = (VIEWS.index(view) - 0.5) * width
                for i, bar in enumerate(bars[view]):
                    bar.set_height(ratio[i])
                    bar_texts[view][i].set_position((i + 1 + offset, ratio[i] + 0.01))
                    bar_texts[view][i].set_text(f"{ratio[i]:.2f}")
                cumulative[view].set_data(np.arange(1, 3) + offset, np.cumsum(ratio))
            angles = frame["angles"]
            for i, view in enumerate(VIEWS):
                angle_lines[view].set_data(angles[:, 0], angles[:, i + 1])
            return changed

        return update
