"""Adam's bias correction on and off: the first steps.

Two copies of the same problem are stepped by the trainer's ``Adam``, one with
``bias_correction=True`` (PyTorch's Adam) and one with ``bias_correction=False``. Both see the
same gradients at step 1 (and, on the constant-gradient problem, at every step). Per step the
frame records the actual update size |Δθ| / lr, one coordinate's m, m̂ = m / (1 - β1^t),
√v and √v̂ = √(v / (1 - β2^t)) from the optimizer state, and the distance travelled.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._optimization import PALETTE, mlp
from quizapp.demos.base import (
    Choice,
    Demo,
    Frame,
    Param,
    Trace,
    Update,
    Values,
    finite,
    layer_at,
    tr,
)
from quizapp.demos.digits import split_digits
from quizapp.demos.plotting import PresetLimits
from quizapp.trainer import Adam, CrossEntropyLoss, DataLoader, Linear, Parameter, StepMetrics, fit

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

ON, OFF = "on", "off"
COLORS = {ON: PALETTE[3], OFF: PALETTE[1]}
SLOPE = np.array([1.0, 0.01])  # constant gradient of the linear loss L(θ) = SLOPE · θ
HORIZON = 10_000  # theory curves are pre-computed this far


def uncorrected_ratio(t: np.ndarray | int, beta1: float, beta2: float) -> np.ndarray:
    """|Δθ| / lr at step t without bias correction, for a constant gradient (eps ignored).

    m_t = (1 - β1^t) g and v_t = (1 - β2^t) g², so m_t / √v_t = (1 - β1^t) / √(1 - β2^t);
    at t = 1 this is (1 - β1) / √(1 - β2). With correction the ratio is exactly 1.
    """
    t = np.asarray(t, dtype=np.float64)
    return (1.0 - beta1**t) / np.sqrt(1.0 - beta2**t)


class _Run:
    """One problem stepped by one Adam; ``step()`` returns the update Δθ of the watched tensor."""

    def __init__(self, values: Values, correct: bool) -> None:
        betas = (values["beta1"], values["beta2"])
        seed = int(values["seed"])
        self.fit = None
        if values["problem"] == "constant":
            self.watched = Parameter(np.zeros(2), dtype=np.float64)
            self.opt = Adam([self.watched], lr=values["lr"], betas=betas,
                            bias_correction=correct)
            self.index = 0
        else:
            X, y, _, _ = split_digits(500, seed, size=14, flatten=True, n_train=1000)
            model = mlp(X.shape[1], 32, 10, seed)  # identical for both runs
            self.opt = Adam(model.parameters(), lr=values["lr"], betas=betas,
                            bias_correction=correct)
            self.watched = layer_at(model, 2, Linear).weight  # the output layer: no dead inputs
            self.index = [id(p) for p in self.opt.params].index(id(self.watched))
            loader = DataLoader(X, y, batch_size=32, shuffle=True, rng=seed)
            self.fit = fit(model, CrossEntropyLoss(), self.opt, loader, epochs=10**9,
                           per_parameter_norms=False)
        self.start = self.watched.data.copy()

    def step(self) -> np.ndarray:
        before = self.watched.data.copy()
        if self.fit is None:
            self.opt.zero_grad()
            self.watched.grad += SLOPE
            self.opt.step()
        else:
            while not isinstance(next(self.fit), StepMetrics):
                pass
        return self.watched.data - before

    def moments(self, coord: tuple[int, ...]) -> tuple[float, float, float]:
        """(g, m, v) of one coordinate after the last step."""
        buffers = self.opt.state[self.index].buffers
        return (float(self.watched.grad[coord]), float(buffers["exp_avg"][coord]),
                float(buffers["exp_avg_sq"][coord]))


class AdamBiasCorrection(Demo):
    id = "adam-bias-correction"
    title = Text("Adam의 편향 보정: 켜기와 끄기, 처음 몇 스텝",
                 "Adam's bias correction on and off: the first steps")
    notice = Text(
        "m과 v는 0에서 시작하므로 초반에는 0 쪽으로 치우칩니다: 첫 스텝에 m = (1−β1)g, "
        "v = (1−β2)g². 보정하면 m̂ = g, √v̂ = |g|라서 첫 스텝 크기가 정확히 lr입니다. "
        "보정을 끄면 첫 스텝은 lr·(1−β1)/√(1−β2)이고, 기본값 β=(0.9, 0.999)에서는 "
        "작아지는 게 아니라 3.16배로 커집니다(v가 m보다 더 치우침). 기울기가 일정하면 "
        "t≈12에서 약 6.6배까지 커지고, t=100에서도 아직 3.2배이며, 수천 스텝이 지나야 "
        "1배로 돌아옵니다. β2를 0.9로 낮추면 반대로 첫 스텝이 0.32배로 작아집니다.",
        "m and v start at 0, so early on they are biased towards 0: at step 1 m = (1−β1)g and "
        "v = (1−β2)g². With correction m̂ = g and √v̂ = |g|, so the first step is exactly lr. "
        "Without it the first step is lr·(1−β1)/√(1−β2): with the default β = (0.9, 0.999) "
        "that is not tiny but 3.16 times too large (v is biased more than m). For a constant "
        "gradient it grows to about 6.6·lr near t ≈ 12, is still 3.2·lr at t = 100 and "
        "settles to lr only after thousands of steps. Lower β2 to 0.9 and the first step "
        "shrinks to 0.32·lr instead.",
    )
    params = (
        Param("problem", Text("문제", "Problem"), "choice", "constant", choices=(
            Choice("constant", Text("일정한 기울기 (선형 손실)",
                                    "Constant gradient (linear loss)")),
            Choice("digits", Text("숫자 MLP (미니배치 32)", "Digits MLP (mini-batch 32)")),
        )),
        Param("lr", Text("학습률", "Learning rate"), "float", 1e-3, low=1e-5, high=0.1,
              log=True),
        Param("beta1", Text("β1 (m의 감쇠율)", "β1 (decay of m)"), "float", 0.9,
              low=0.0, high=0.999),
        Param("beta2", Text("β2 (v의 감쇠율)", "β2 (decay of v)"), "float", 0.999,
              low=0.5, high=0.9999),
        Param("seed", Text("시드 (숫자 MLP)", "Seed (digits MLP)"), "int", 0, low=0, high=999),
    )
    unit = Text("스텝", "step")
    steps = 100  # past the peak near t = 12 and far into the slow return

    def frames(self, values: Values) -> Iterator[Frame]:
        lr = values["lr"]
        runs = {ON: _Run(values, correct=True), OFF: _Run(values, correct=False)}
        ratio = {k: Trace(256) for k in runs}
        travelled = {k: Trace(256) for k in runs}
        moments = Trace(256, 5)  # g, m, m̂, √v, √v̂ of the watched coordinate (corrected run)
        b1, b2 = values["beta1"], values["beta2"]
        coord: tuple[int, ...] | None = None
        t = 0
        while True:
            t += 1
            for key, run in runs.items():
                delta = run.step()
                if not finite(delta):
                    raise FloatingPointError("Adam step is not finite")
                ratio[key].append(float(np.sqrt(np.mean(delta**2))) / lr)
                moved = run.watched.data - run.start
                travelled[key].append(float(np.sqrt(np.mean(moved**2))) / lr)
            if coord is None:  # the coordinate with the largest first gradient
                grad = runs[ON].watched.grad
                coord = tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(grad)),
                                                                grad.shape))
            g, m, v = runs[ON].moments(coord)
            moments.append(g, m, m / (1.0 - b1**t), math.sqrt(v),
                           math.sqrt(v / (1.0 - b2**t)))
            yield {
                "t": t,
                "step": t,
                "ratio": {k: tr_.view() for k, tr_ in ratio.items()},
                "travelled": {k: tr_.view() for k, tr_ in travelled.items()},
                "moments": moments.view(),
                "coord": coord,
                "diverged": False,
            }

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        b1, b2 = values["beta1"], values["beta2"]
        step_ax, mom_ax, dist_ax = figure.subplots(1, 3)
        label_on = tr(lang, "보정 켬 (PyTorch)", "correction on (PyTorch)")
        label_off = tr(lang, "보정 끔", "correction off")
        t_all = np.arange(1, HORIZON + 1)
        theory_off = uncorrected_ratio(t_all, b1, b2)

        step_ax.set_title(tr(lang, "스텝마다 실제 이동 크기\nRMS(Δθ) / lr",
                             "Size of each step\nRMS(Δθ) / lr"))
        step_ax.plot(t_all, np.ones_like(theory_off), color=COLORS[ON], ls="--", lw=1,
                     alpha=0.7)
        step_ax.plot(t_all, theory_off, color=COLORS[OFF], ls="--", lw=1, alpha=0.7,
                     label=tr(lang, "이론 (일정한 기울기)", "theory (constant gradient)"))
        (ratio_on,) = step_ax.plot([], [], "o-", ms=3, color=COLORS[ON], label=label_on)
        (ratio_off,) = step_ax.plot([], [], "o-", ms=3, color=COLORS[OFF], label=label_off)
        first = uncorrected_ratio(1, b1, b2)
        step_ax.text(0.97, 0.68, tr(lang, "t=1, 보정 끔:\n", "t=1, correction off:\n")
                     + f"(1−β1)/√(1−β2) = {float(first):.3g}", transform=step_ax.transAxes,
                     ha="right", va="top", fontsize=9, color=COLORS[OFF])
        step_ax.legend(loc="upper right", fontsize=8)

        mom_ax.set_title(tr(lang, "가중치 하나의 m, v\n(보정 켠 실행)",
                            "m and v of one weight\n(corrected run)"))
        names = ("g", "m", "m̂", "√v", "√v̂")
        styles = ((PALETTE[0], ".", 0.0), (PALETTE[2], "-", 1.0), (PALETTE[2], "--", 1.8),
                  (PALETTE[4], "-", 1.0), (PALETTE[4], "--", 1.8))
        mom_lines = []
        for name, (color, style, width) in zip(names, styles, strict=True):
            (line,) = mom_ax.plot([], [], style, color=color, lw=width, ms=4, label=name)
            mom_lines.append(line)
        mom_ax.axhline(0.0, color="black", lw=0.6)
        mom_ax.legend(loc="lower right", fontsize=9, ncols=2)

        dist_ax.set_title(tr(lang, "출발점에서 이동한 거리\n", "Distance from the start\n")
                          + r"RMS$(\theta_t - \theta_0)$ / lr")
        (dist_on,) = dist_ax.plot([], [], color=COLORS[ON], lw=1.8, label=label_on)
        (dist_off,) = dist_ax.plot([], [], color=COLORS[OFF], lw=1.8, label=label_off)
        dist_ax.legend(loc="upper left", fontsize=8)
        for ax in (step_ax, mom_ax, dist_ax):
            ax.set_xlabel(tr(lang, "스텝 t", "step t"))
            ax.grid(alpha=0.3)

        # start with room for a default-length run, from the constant-gradient theory: the
        # corrected run moves lr per step, the uncorrected one lr·ratio(t)
        horizon = self.steps
        fit_x = [PresetLimits(ax, "x", (0.5, horizon + 0.5), jump=2.0)
                 for ax in (step_ax, mom_ax, dist_ax)]
        fit_step = PresetLimits(
            step_ax, "y", (0.0, max(1.0, float(theory_off[:horizon].max())) * 1.25), jump=1.3)
        fit_mom = PresetLimits(mom_ax, "y", jump=1.3)
        far = max(float(horizon), float(theory_off[:horizon].sum()))
        fit_dist = PresetLimits(dist_ax, "y", (0.0, far * 1.1))
        changed: list[Artist] = [ratio_on, ratio_off, *mom_lines, dist_on, dist_off]

        def update(frame: Frame) -> list[Artist]:
            t = frame["step"]
            steps = np.arange(1, t + 1)
            ratio_on.set_data(steps, frame["ratio"][ON])
            ratio_off.set_data(steps, frame["ratio"][OFF])
            moments = frame["moments"]
            for i, line in enumerate(mom_lines):
                line.set_data(steps, moments[:, i])
            dist_on.set_data(steps, frame["travelled"][ON])
            dist_off.set_data(steps, frame["travelled"][OFF])
            for limits in fit_x:
                limits(0.5, max(20, t) + 0.5)
            shown = theory_off[: int(step_ax.get_xlim()[1])]  # the theory curve in view
            top = max(1.0, float(shown.max()), *(float(frame["ratio"][k].max())
                                                 for k in (ON, OFF)))
            fit_step(0.0, top * 1.25)
            low = min(0.0, float(np.nanmin(moments)))
            high = max(0.0, float(np.nanmax(moments)))
            pad = 0.1 * (high - low or 1.0)
            fit_mom(low - pad, high + pad)
            far = max(float(frame["travelled"][k].max()) for k in (ON, OFF))
            fit_dist(0.0, max(1.0, far) * 1.1)
            return changed

        return update
