"""Input normalisation: gradient descent on raw vs standardised features.

A 2-feature linear regression whose second feature is ``scale`` times larger than the first.
Two copies of ``Linear(2, 1, bias=False)`` (start at w = 0) are trained by full-batch gradient
descent (the trainer's ``SGD`` through ``fit`` with one batch of all samples and ``MSELoss``):
one on the raw features, one on features standardised with ``StandardScaler``. Each run's rate
is ``lr_mult / λ_max`` of its own loss Hessian H = 2 XᵀX / n, so both are compared at the same
relative rate; stability needs lr_mult < 2.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._optimization import PALETTE
from quizapp.demos.base import Demo, Frame, Param, Trace, Update, Values, tr
from quizapp.demos.plotting import PresetLimits
from quizapp.trainer import (
    SGD,
    DataLoader,
    Linear,
    MSELoss,
    StandardScaler,
    StepMetrics,
    evaluate,
    fit,
    init,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

RAW, STD = "raw", "standardised"
COLORS = {RAW: PALETTE[1], STD: PALETTE[3]}
N_SAMPLES = 200
TRUE_COEF = (2.0, -1.5)  # per unit-variance feature
TOL = 1e-6  # converged: (L - L*) <= TOL * (L_0 - L*)


def make_data(scale: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Centred features with standard deviations about 1 and ``scale``; centred targets."""
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((N_SAMPLES, 2))
    Z -= Z.mean(axis=0)
    y = Z @ np.array(TRUE_COEF) + rng.normal(0.0, 0.5, N_SAMPLES)
    X = Z * np.array([1.0, scale])
    return X, (y - y.mean())[:, None]


class _Problem:
    """One feature set: its quadratic loss (for contours), optimum, rate and training run."""

    def __init__(self, X: np.ndarray, y: np.ndarray, lr_mult: float) -> None:
        self.X, self.y = X, y
        n = len(X)
        self.A = X.T @ X / n  # L(w) = wᵀAw - 2bᵀw + c, Hessian H = 2A
        self.b = (X.T @ y / n)[:, 0]
        self.c = float(np.mean(y**2))
        self.w_star = np.linalg.solve(self.A, self.b)
        self.best = self.loss(self.w_star)
        eig = np.linalg.eigvalsh(2.0 * self.A)
        self.lam_min, self.lam_max = float(eig[0]), float(eig[-1])
        self.lr = lr_mult / self.lam_max
        self.model = Linear(2, 1, bias=False)
        self.model.double()  # casts in place
        init.zeros_(self.model.weight)
        self.loss_fn = MSELoss()
        loader = DataLoader(X, y, batch_size=n)  # one batch: full-batch gradient descent
        self.fit = fit(self.model, self.loss_fn, SGD(self.model.parameters(), lr=self.lr),
                       loader, epochs=10**9, per_parameter_norms=False)

    def loss(self, w: np.ndarray) -> np.ndarray:
        """MSE at weights ``w`` (..., 2)."""
        quad = np.einsum("...i,ij,...j->...", w, self.A, w)
        mse: np.ndarray = quad - 2.0 * (w @ self.b) + self.c
        return mse

    def predicted_steps(self) -> float:
        """Steps for the excess loss to shrink by TOL, from the slowest factor |1 - ηλ|."""
        rho = max(abs(1.0 - self.lr * self.lam_min), abs(1.0 - self.lr * self.lam_max))
        if rho >= 1.0:
            return math.inf
        if rho <= 1e-12:
            return 1.0
        return math.log(TOL) / (2.0 * math.log(rho))

    def step(self) -> np.ndarray:
        while not isinstance(next(self.fit), StepMetrics):
            pass
        weights: np.ndarray = self.model.weight.data[0].copy()
        return weights


class InputNormalization(Demo):
    id = "input-normalization"
    title = Text("입력 정규화: 원시 특성 vs 표준화 특성",
                 "Input normalisation: raw vs standardised features")
    notice = Text(
        "두 번째 특성이 첫 번째보다 10배 크면 원시 특성의 손실 등고선은 가늘고 긴 타원이 "
        "됩니다: 헤시안 고유값 비 κ = λₘₐₓ/λₘᵢₙ이 106으로 약 스케일²입니다. 안정적인 학습률은 "
        "가파른 방향이 정하므로(η < 2/λₘₐₓ) 완만한 방향으로는 스텝마다 조금씩만 움직여, 원시 "
        "실행은 수렴(초과 손실이 처음의 10⁻⁶ 아래)에 709 스텝이 걸립니다. 표준화하면 κ = 1.1로 "
        "등고선이 거의 원이 되어 같은 상대 학습률로 4 스텝 만에 수렴합니다. 고정 학습률의 "
        "최적값은 2/(λₘₐₓ+λₘᵢₙ), 즉 η·λₘₐₓ = 2κ/(κ+1)입니다: 원시 문제는 약 1.98(그러면 약 "
        "370 스텝), 표준화 문제는 약 1.05이고, 표준화 문제는 η·λₘₐₓ = 1.9에서 이미 최솟값을 "
        "넘나들며 진동합니다. 2를 넘으면 둘 다 발산합니다.",
        "The second feature is 10 times larger than the first, so the raw loss contours are "
        "long thin ellipses: the Hessian's eigenvalue ratio κ = λₘₐₓ/λₘᵢₙ is 106, about "
        "scale². The steep direction sets the stable rate (η < 2/λₘₐₓ), so along the flat "
        "direction each step moves only a little and the raw run needs 709 steps to converge "
        "(excess loss below 10⁻⁶ of the start). Standardised, κ = 1.1: the contours are nearly "
        "circles and the same relative rate converges in 4 steps. The best fixed rate is "
        "2/(λₘₐₓ+λₘᵢₙ), i.e. η·λₘₐₓ = 2κ/(κ+1): about 1.98 for the raw problem (then about "
        "370 steps) but about 1.05 for the standardised one, which at η·λₘₐₓ = 1.9 already "
        "jumps back and forth across the minimum. Above 2 both diverge.",
    )
    params = (
        Param("scale", Text("두 번째 특성의 스케일", "Scale of feature 2"), "float", 10.0,
              low=1.0, high=100.0, log=True),
        Param("lr_mult", Text("학습률 η·λ_max (각 문제 기준, 2 미만이 안정)",
                              "Learning rate η·λ_max (per problem, stable below 2)"),
              "float", 1.0, low=0.05, high=2.5),
        Param("per_frame", Text("프레임당 스텝", "Steps per frame"), "int", 4, low=1, high=50),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=999),
    )
    unit = Text("스텝", "step")
    # frames of ``per_frame`` steps; a run ends by itself once both problems have converged
    # (the default raw one after 709 steps, frame 178)
    steps = 250

    @staticmethod
    def setups(values: Values) -> dict[str, _Problem]:
        X, y = make_data(values["scale"], int(values["seed"]))
        Z = StandardScaler().fit_transform(X)
        return {RAW: _Problem(X, y, values["lr_mult"]), STD: _Problem(Z, y, values["lr_mult"])}

    def frames(self, values: Values) -> Iterator[Frame]:
        probs = self.setups(values)
        paths = {k: Trace(512, 2) for k in probs}
        excess = {k: Trace(512) for k in probs}
        start = {k: p.loss(np.zeros(2)) - p.best for k, p in probs.items()}
        converged: dict[str, int | None] = dict.fromkeys(probs)
        for k in probs:
            paths[k].append(0.0, 0.0)
            excess[k].append(1.0)
        step, blown = 0, False
        while True:
            yield {
                "t": step,
                "step": step,
                "paths": {k: t.view() for k, t in paths.items()},
                "excess": {k: t.view() for k, t in excess.items()},
                "converged": dict(converged),
                "lr": {k: p.lr for k, p in probs.items()},
                "diverged": blown,
            }
            if all(done is not None for done in converged.values()):
                return
            for _ in range(int(values["per_frame"])):
                step += 1
                for k, p in probs.items():
                    w = p.step()
                    loss = evaluate(p.model, p.loss_fn, p.X, p.y)[0]
                    rel = (loss - p.best) / start[k]
                    if not math.isfinite(rel) or rel > 1e12:
                        blown = True
                    paths[k].append(*w)
                    excess[k].append(max(rel, 1e-18))
                    if converged[k] is None and rel <= TOL:
                        converged[k] = step

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        probs = self.setups(values)
        # the two loss surfaces stacked on the left, wide; the loss curves on the right, tall
        mosaic = figure.subplot_mosaic([[RAW, "loss"], [STD, "loss"]], width_ratios=(1.3, 1))
        raw_ax, std_ax, loss_ax = mosaic[RAW], mosaic[STD], mosaic["loss"]
        titles = {RAW: tr(lang, f"원시 특성 (x2 스케일 ×{values['scale']:g})",
                          f"Raw features (x2 scale ×{values['scale']:g})"),
                  STD: tr(lang, "표준화 특성", "Standardised features")}
        names = {RAW: tr(lang, "원시", "raw"), STD: tr(lang, "표준화", "standardised")}
        lines, heads = {}, {}
        for ax, key in ((raw_ax, RAW), (std_ax, STD)):
            p = probs[key]
            w_star = p.w_star
            # the view: the start (0, 0) and the optimum with a margin, on equal scales; the
            # narrower range is widened to fill the axes (data limits adjust, the box stays),
            # so the contours are drawn over a wide grid
            corners = np.array([[0.0, 0.0], w_star])
            low, high = corners.min(axis=0), corners.max(axis=0)
            pad = 0.25 * max(float(np.ptp(corners, axis=0).max()), 0.5)
            xs = np.linspace(low[0] - 6 * pad, high[0] + 6 * pad, 400)
            ys = np.linspace(low[1] - 6 * pad, high[1] + 6 * pad, 400)
            grid = np.stack(np.meshgrid(xs, ys), axis=-1)
            excess0 = p.loss(np.zeros(2)) - p.best
            ax.contour(xs, ys, p.loss(grid) - p.best,
                       levels=excess0 * np.geomspace(1e-3, 3.0, 12), cmap="Greys",
                       linewidths=0.6)
            ax.set_aspect("equal", adjustable="datalim")
            ax.dataLim.set_points(np.array([low - pad, high + pad]))  # not the contour grid
            ax.margins(0.0)
            ax.autoscale_view()
            ax.plot(*w_star, "*", color="black", ms=11)
            ax.plot(0, 0, "s", color=COLORS[key], ms=5)
            ax.set_title(titles[key], fontsize=11)
            ax.set_xlabel("w₁" if lang == "ko" else "$w_1$", labelpad=1)
            ax.set_ylabel("w₂" if lang == "ko" else "$w_2$", labelpad=1)
            (lines[key],) = ax.plot([], [], "-", color=COLORS[key], lw=1.3)
            (heads[key],) = ax.plot([], [], "o", color=COLORS[key], ms=5)
            kappa = p.lam_max / p.lam_min
            ax.text(0.02, 0.96, tr(lang, f"κ = λₘₐₓ/λₘᵢₙ = {kappa:.3g}",
                                   rf"$\kappa = \lambda_{{\max}}/\lambda_{{\min}}$ = {kappa:.3g}"),
                    transform=ax.transAxes, va="top", fontsize=9,
                    bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"})
        loss_ax.set_title(tr(lang, "상대 초과 손실\n(L − L*) / (L₀ − L*)",
                             "Relative excess loss\n(L − L*) / (L₀ − L*)"), fontsize=11)
        loss_ax.set_yscale("log")
        loss_ax.set_xscale("symlog", linthresh=1.0)  # the standardised run is done in a few
        loss_ax.axhline(TOL, color="black", ls=":", lw=1)
        loss_ax.set_xlabel(tr(lang, "스텝 (로그 축)", "step (log axis)"))
        loss_ax.grid(alpha=0.3)
        curves = {}
        for key in (RAW, STD):
            (curves[key],) = loss_ax.plot([], [], color=COLORS[key], lw=1.8, label=names[key])
        loss_ax.legend(loc="upper right", fontsize=9)
        status = loss_ax.text(0.97, 0.03, "", transform=loss_ax.transAxes, fontsize=9,
                              va="bottom", ha="right",
                              bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"})
        predicted = {k: p.predicted_steps() for k, p in probs.items()}

        def describe(frame: Frame, key: str) -> str:
            done = frame["converged"][key]
            guess = predicted[key]
            if done is not None:
                return tr(lang, f"{names[key]}: {done} 스텝에 수렴",
                          f"{names[key]}: converged in {done} steps")
            if math.isinf(guess):
                return tr(lang, f"{names[key]}: 수렴 안 함 (η ≥ 2/λₘₐₓ)",
                          f"{names[key]}: " + r"does not converge ($\eta \geq 2/\lambda_{\max}$)")
            return tr(lang, f"{names[key]}: 아직 (예상 ≈ {guess:.0f} 스텝)",
                      f"{names[key]}: not yet (expected ≈ {guess:.0f} steps)")

        # start with room for a default-length run; the excess starts at 1 and bottoms out
        # at the floor TOL·1e-3
        # (to where the slower problem is expected to converge, else to the run's length)
        longest = (self.steps - 1) * int(values["per_frame"])
        expected = max(predicted.values())
        fit_steps = PresetLimits(loss_ax, "x", (0, min(longest, 1.2 * expected) if
                                               math.isfinite(expected) else longest), jump=2.0)
        fit_loss = PresetLimits(loss_ax, "y", (TOL * 1e-3, 3.0), log=True, floor=TOL * 1e-3)
        # the status text changes only when a run converges: it stays in the background (text
        # is slow to draw on every blit) and those rare frames ask for a full redraw
        changed: list[Artist] = [*lines.values(), *heads.values(), *curves.values()]

        def update(frame: Frame) -> list[Artist] | None:
            for key in (RAW, STD):
                path = frame["paths"][key]
                lines[key].set_data(path[:, 0], path[:, 1])
                heads[key].set_data(path[-1:, 0], path[-1:, 1])
                curve = frame["excess"][key]
                curves[key].set_data(np.arange(len(curve)), curve)
            text = (tr(lang, f"수렴 기준: {TOL:g}\n", f"converged: below {TOL:g}\n")
                    + "\n".join(describe(frame, k) for k in (RAW, STD)))
            fit_steps(0, max(10, frame["step"]))
            every = np.concatenate([frame["excess"][k] for k in (RAW, STD)])
            every = every[np.isfinite(every)]
            fit_loss(max(float(every.min()) * 0.3, TOL * 1e-3),
                     max(float(every.max()), 1.0) * 3)
            if text != status.get_text():
                status.set_text(text)
                return None
            return changed

        return update
