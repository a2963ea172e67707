"""Ridge, Lasso and ElasticNet: coefficient paths against alpha, and the L1 / L2 constraint shapes.

The paths are the trainer's ``regularization_path`` on ``make_correlated_regression`` data
(equicorrelated features, only the first few informative). The sweep walks every model's alpha
grid from strong to weak regularisation. The fourth panel solves a two-feature problem with the
trainer's ``Lasso`` and ``Ridge`` at the matching step: a penalised solution is also the
least-squares solution inside the ball whose radius is its own norm, so the loss contour through
it touches the diamond (L1) or the circle (L2) exactly there; the diamond's corners give zeros.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._regularization import MUTED, WITH, WITHOUT
from quizapp.demos.base import Demo, Frame, Param, Update, Values, tr
from quizapp.demos.plotting import BLUE, GREEN, ORANGE, PURPLE, RED
from quizapp.trainer import (
    ConvergenceWarning,
    ElasticNet,
    Lasso,
    Ridge,
    alpha_grid,
    make_correlated_regression,
    regularization_path,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

N_ALPHAS = 60
MODELS = ("ridge", "lasso", "elasticnet")
INFORMATIVE_COLORS = (BLUE, RED, GREEN, PURPLE, ORANGE, "#cf6a00")
THETA = np.linspace(0.0, 2.0 * np.pi, 181)


def ridge_grid(X: np.ndarray, n_alphas: int) -> np.ndarray:
    """Ridge alphas (no 1/n in its objective) from 20 x the largest eigenvalue of the centred
    X^T X (every direction shrunk to under 5 %) down to 1 % of the smallest (almost OLS)."""
    Xc = X - X.mean(axis=0)
    eig = np.linalg.eigvalsh(Xc.T @ Xc)
    return np.logspace(np.log10(20.0 * eig[-1]), np.log10(0.01 * max(eig[0], 1e-9)), n_alphas)


def ellipse(center: np.ndarray, A: np.ndarray, excess: float) -> np.ndarray:
    """Points w with (w - center)^T A (w - center) = excess: one contour of the RSS."""
    vals, vecs = np.linalg.eigh(A)
    circle = np.stack([np.cos(THETA), np.sin(THETA)])
    pts = vecs @ (circle * np.sqrt(max(excess, 0.0) / vals)[:, None])
    points: np.ndarray = (pts + center[:, None]).T
    return points


class RegularizedRegression(Demo):
    id = "regularized-regression"
    title = Text("Ridge·Lasso·ElasticNet: 계수 경로와 제약 영역",
                 "Ridge, Lasso, ElasticNet: coefficient paths and constraint shapes")
    notice = Text(
        "알파를 줄여 가며(규제가 약해지는 방향, 왼쪽에서 오른쪽) 계수를 봅니다. Lasso(L1)는 "
        "알파가 크면 계수를 정확히 0으로 만들어 특성을 고르고(처음에는 8개 중 7개가 0), "
        "Ridge(L2)는 계수를 줄이기만 할 뿐 정확히 0인 계수는 한 번도 없습니다. 서로 상관된 "
        "특성 중 Lasso는 일부만 남기지만, ElasticNet은 L2 항 덕분에 상관된 특성들을 함께 "
        "들여옵니다. 가장 작은 알파에서는 셋 다 최소제곱 해에 가깝습니다. 오른쪽 아래(특성 "
        "2개): 가는 선은 알파가 줄어드는 동안 각 해가 지나온 자취입니다. 손실 등고선이 L1 "
        "마름모의 꼭짓점에 먼저 닿는 동안 Lasso의 한 계수는 정확히 0이고(자취가 w1 축 위를 "
        "지남), L2 원에는 꼭짓점이 없어 Ridge의 자취는 축에 닿지 않습니다.",
        "Follow the coefficients as alpha decreases (regularisation weakens from left to "
        "right). Lasso (L1) sets coefficients exactly to 0 at large alpha, selecting features "
        "(at first 7 of the 8 are 0); Ridge (L2) only shrinks them and no coefficient is ever "
        "exactly 0. Among correlated features Lasso keeps a few, while ElasticNet's L2 part "
        "brings correlated features in together. At the smallest alpha all three are close to "
        "least squares. Bottom right, two features: the thin trails follow each solution as "
        "alpha shrinks. While the loss contour first touches the L1 diamond at a corner, one "
        "Lasso coefficient is exactly 0 (its trail runs along the w1 axis); the L2 circle has "
        "no corners, so Ridge's trail never touches an axis.",
    )
    params = (
        Param("correlation", Text("특성 간 상관", "Feature correlation"), "float", 0.8,
              low=0.0, high=0.98),
        Param("n_features", Text("특성 수", "Features"), "int", 8, low=4, high=12),
        Param("n_informative", Text("정보 있는 특성 수", "Informative features"), "int", 3,
              low=1, high=4),
        Param("noise", Text("잡음 표준편차", "Noise std"), "float", 1.0, low=0.1, high=3.0),
        Param("l1_ratio", Text("ElasticNet l1_ratio", "ElasticNet l1_ratio"), "float", 0.5,
              low=0.1, high=0.9),
        Param("n_samples", Text("샘플 수", "Samples"), "int", 100, low=20, high=300),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
    )
    #: a frame is one alpha of the sweep (the x-axes show alpha, not progress)
    unit = Text("알파 단계", "alpha step")
    steps = N_ALPHAS  # the whole sweep, from strong to weak regularisation

    def frames(self, values: Values) -> Iterator[Frame]:
        seed, rho = values["seed"], values["correlation"]
        X, y, coef = make_correlated_regression(
            values["n_samples"], values["n_features"], values["n_informative"],
            correlation=rho, noise=values["noise"], rng=seed)
        l1_ratio = values["l1_ratio"]
        alphas = {
            "ridge": ridge_grid(X, N_ALPHAS),
            "lasso": alpha_grid(X, y, n_alphas=N_ALPHAS, eps=1e-3),
            "elasticnet": alpha_grid(X, y, l1_ratio=l1_ratio, n_alphas=N_ALPHAS, eps=1e-3),
        }
        models = {"ridge": Ridge(), "lasso": Lasso(max_iter=5000),
                  "elasticnet": ElasticNet(l1_ratio=l1_ratio, max_iter=5000)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            paths = {name: regularization_path(models[name], X, y, alphas[name])
                     for name in MODELS}
        # the two-feature problem of the constraint panel
        X2, y2, _ = make_correlated_regression(60, 2, 2, correlation=rho,
                                                   noise=values["noise"], rng=seed + 1)
        Xc, yc = X2 - X2.mean(axis=0), y2 - y2.mean()
        A = Xc.T @ Xc
        ols = np.linalg.solve(A, Xc.T @ yc)
        alphas2 = {"lasso": alpha_grid(X2, y2, n_alphas=N_ALPHAS, eps=1e-3),
                   "ridge": ridge_grid(X2, N_ALPHAS)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            w2 = {"lasso": regularization_path(Lasso(max_iter=5000), X2, y2, alphas2["lasso"]).T,
                  "ridge": regularization_path(Ridge(), X2, y2, alphas2["ridge"]).T}
        excess = {name: np.einsum("ki,ij,kj->k", w - ols, A, w - ols) for name, w in w2.items()}
        top = float(max(e.max() for e in excess.values()))
        background = [ellipse(ols, A, level) for level in np.geomspace(top / 300, top, 6)]
        for k in range(N_ALPHAS):
            w_l, w_r = w2["lasso"][k], w2["ridge"][k]
            yield {
                "t": k + 1,
                "k": k,
                "alphas": alphas,
                "paths": paths,
                "coef": coef,
                "ols2": ols,
                "w_lasso2": w_l,
                "w_ridge2": w_r,
                "trail_lasso2": w2["lasso"][: k + 1],  # the solutions so far
                "trail_ridge2": w2["ridge"][: k + 1],
                "contour_lasso": ellipse(ols, A, float(excess["lasso"][k])),
                "contour_ridge": ellipse(ols, A, float(excess["ridge"][k])),
                "contours": background,
                "diverged": False,
            }

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        from matplotlib import rcParams
        from matplotlib.transforms import ScaledTranslation

        axes = figure.subplots(2, 2)
        path_axes: dict[str, Axes] = {"ridge": axes[0, 0], "lasso": axes[0, 1],
                                      "elasticnet": axes[1, 0]}
        shape_ax = axes[1, 1]
        n_feat, n_inf = values["n_features"], values["n_informative"]
        names = {"ridge": "Ridge (L2)", "lasso": "Lasso (L1)",
                 "elasticnet": f"ElasticNet (l1_ratio={values['l1_ratio']:g})"}
        lines: dict[str, list[Line2D]] = {}
        title_offset = ScaledTranslation(0.0, rcParams["axes.titlepad"] / 72,
                                         figure.dpi_scale_trans)
        dots, marks, titles = {}, {}, {}
        for name, ax in path_axes.items():
            ax.set_xscale("log")
            ax.grid(alpha=0.3)
            ax.axhline(0.0, color="black", lw=0.6)
            ax.tick_params(labelsize=8)
            ax.set_xlabel(tr(lang, "alpha (로그, 오른쪽일수록 규제 약함)",
                             "alpha (log; weaker regularisation to the right)"), fontsize=8)
            lines[name] = []
            for j in range(n_feat):
                informative = j < n_inf
                color = INFORMATIVE_COLORS[j % len(INFORMATIVE_COLORS)] if informative else MUTED
                label = (f"w{j + 1}" if informative
                         else (tr(lang, "잡음 특성", "noise features") if j == n_inf else None))
                (line,) = ax.plot([], [], color=color, lw=1.8 if informative else 1.0,
                                  alpha=1.0 if informative else 0.7, label=label)
                lines[name].append(line)
            (dots[name],) = ax.plot([], [], "o", color="black", ms=3.5)
            marks[name] = ax.axvline(1.0, color="black", lw=0.8, ls=":")
            # the title changes every frame: an ax.text where the title goes, so it can be blitted
            titles[name] = ax.text(0.5, 1.0, "", transform=ax.transAxes + title_offset,
                                   ha="center", va="baseline", fontsize=10)
        path_axes["ridge"].legend(loc="upper left", fontsize=7, ncol=2)

        shape_ax.set_title(tr(lang, "2개 특성: L1 마름모 vs L2 원과 손실 등고선",
                              "Two features: L1 diamond vs L2 circle, loss contours"),
                           fontsize=10)
        shape_ax.set_aspect("equal", adjustable="box")
        shape_ax.grid(alpha=0.3)
        shape_ax.axhline(0.0, color="black", lw=0.6)
        shape_ax.axvline(0.0, color="black", lw=0.6)
        shape_ax.tick_params(labelsize=8)
        shape_ax.set_xlabel("w1", fontsize=9)
        shape_ax.set_ylabel("w2", fontsize=9)
        background = [shape_ax.plot([], [], color="#bbbbbb", lw=0.7)[0] for _ in range(6)]
        (ols_dot,) = shape_ax.plot([], [], "*", color="black", ms=10, label="OLS")
        (diamond,) = shape_ax.plot([], [], color=WITHOUT, lw=1.8,
                                   label=tr(lang, "L1: |w1|+|w2| ≤ t", "L1: |w1|+|w2| ≤ t"))
        (circle,) = shape_ax.plot([], [], color=WITH, lw=1.8,
                                  label=tr(lang, "L2: w1²+w2² ≤ t²", "L2: w1²+w2² ≤ t²"))
        (touch_l,) = shape_ax.plot([], [], color=WITHOUT, lw=1.0, ls="--")
        (touch_r,) = shape_ax.plot([], [], color=WITH, lw=1.0, ls="--")
        (trail_l,) = shape_ax.plot([], [], color=WITHOUT, lw=1.5, alpha=0.8)
        (trail_r,) = shape_ax.plot([], [], color=WITH, lw=1.5, alpha=0.8)
        (sol_l,) = shape_ax.plot([], [], "o", color=WITHOUT, ms=7, label="Lasso")
        (sol_r,) = shape_ax.plot([], [], "o", color=WITH, ms=7, label="Ridge")
        # the legend and the solutions' text sit beside the square panel, off the shapes
        shape_ax.legend(loc="upper right", bbox_to_anchor=(-0.2, 1.0), fontsize=7)
        shape_text = shape_ax.text(1.04, 0.0, "", transform=shape_ax.transAxes, ha="left",
                                   va="bottom", fontsize=8,
                                   bbox={"facecolor": "white", "alpha": 0.85,
                                         "edgecolor": "#ccc"})
        unit = np.array([[1, 0], [0, 1], [-1, 0], [0, -1], [1, 0]], dtype=float)
        unit_circle = np.stack([np.cos(THETA), np.sin(THETA)], axis=1)

        changed = [*(line for name in MODELS for line in lines[name]), *dots.values(),
                   *marks.values(), *titles.values(), diamond, circle, touch_l, touch_r, trail_l,
                   trail_r, sol_l, sol_r, shape_text]

        def update(frame: Frame) -> list[Artist]:
            k = frame["k"]
            for name, ax in path_axes.items():
                alphas, path = frame["alphas"][name], frame["paths"][name]
                for j, line in enumerate(lines[name]):
                    line.set_data(alphas[: k + 1], path[j, : k + 1])
                dots[name].set_data(np.full(path.shape[0], alphas[k]), path[:, k])
                marks[name].set_xdata([alphas[k], alphas[k]])
                ax.set_xlim(alphas[0], alphas[-1])  # decreasing: strong regularisation left
                top = float(np.abs(path).max()) * 1.1 + 1e-9
                ax.set_ylim(-top, top)
                zeros = int(np.sum(path[:, k] == 0.0))
                titles[name].set_text(
                    f"{names[name]}  α={alphas[k]:.3g}  "
                    + tr(lang, f"정확히 0: {zeros}/{path.shape[0]}",
                         f"exactly 0: {zeros}/{path.shape[0]}"))
            for line, pts in zip(background, frame["contours"], strict=True):
                line.set_data(pts[:, 0], pts[:, 1])
            ols = frame["ols2"]
            ols_dot.set_data([ols[0]], [ols[1]])
            w_l, w_r = frame["w_lasso2"], frame["w_ridge2"]
            t_l, t_r = float(np.abs(w_l).sum()), float(np.linalg.norm(w_r))
            diamond.set_data(unit[:, 0] * t_l, unit[:, 1] * t_l)
            circle.set_data(unit_circle[:, 0] * t_r, unit_circle[:, 1] * t_r)
            touch_l.set_data(frame["contour_lasso"][:, 0], frame["contour_lasso"][:, 1])
            touch_r.set_data(frame["contour_ridge"][:, 0], frame["contour_ridge"][:, 1])
            trail_l.set_data(frame["trail_lasso2"][:, 0], frame["trail_lasso2"][:, 1])
            trail_r.set_data(frame["trail_ridge2"][:, 0], frame["trail_ridge2"][:, 1])
            sol_l.set_data([w_l[0]], [w_l[1]])
            sol_r.set_data([w_r[0]], [w_r[1]])
            lim = 1.25 * float(np.abs(ols).max()) + 0.1
            shape_ax.set_xlim(-lim, lim)
            shape_ax.set_ylim(-lim, lim)
            w_l, w_r = w_l + 0.0, w_r + 0.0  # print an exact zero as 0.00, not -0.00
            shape_text.set_text(f"Lasso w =\n({w_l[0]:.2f}, {w_l[1]:.2f})\n"
                                f"Ridge w =\n({w_r[0]:.2f}, {w_r[1]:.2f})")
            return changed

        return update
