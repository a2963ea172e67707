"""Gradient norms through time: a vanilla RNN and an LSTM, with and without gradient clipping.

The task has a long-range dependency: the first input of each sequence is ±1 (the class) and
the next T − 1 inputs are noise; the class is read from the last hidden state by a ``Linear``
head (``CrossEntropyLoss``). Four models train with ``SGD`` on the same batches: the trainer's
``RNN`` (tanh, W_hh = ρ·Q with Q a random orthogonal matrix, so every singular value of W_hh
is ρ) and ``LSTM`` (forget-gate bias set at init), each once plain and once with
``clip_grad_norm_``.

To read ∂L/∂h_t at every step, each layer runs one time step per call (as ``nn.RNNCell`` does
in PyTorch, where one would call ``retain_grad`` on each step's state): shallow copies of the
layer share its ``Parameter`` objects but keep their own caches, so ``backward`` of step t
returns ∂L/∂h_{t−1} and the weight gradients add up over the steps, exactly as full BPTT.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from quizapp.content.model import Text
from quizapp.demos.base import Demo, Frame, Param, Trace, Update, Values, finite, tr
from quizapp.demos.plotting import BLUE, CRIMSON, GREY, PresetLimits, fit_log_limits
from quizapp.trainer import (
    LSTM,
    RNN,
    SGD,
    CrossEntropyLoss,
    Linear,
    Parameter,
    clip_grad_norm_,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

HIDDEN = 32
BATCH = 64
NOISE = 0.5  # std of the distractor inputs after the first one
KINDS = ("rnn", "lstm")
RUNS = ("rnn", "rnn_clip", "lstm", "lstm_clip")
COLORS = {"rnn": CRIMSON, "lstm": BLUE}
LABELS = {"rnn": "RNN (tanh)", "lstm": "LSTM"}
LN2 = math.log(2.0)


def make_batch(gen: np.random.Generator, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (T, N, 1): x_1 = ±1 gives the class, x_2..x_T are N(0, NOISE²) distractors."""
    x = gen.normal(0.0, NOISE, size=(length, BATCH, 1)).astype(np.float32)
    y = gen.integers(0, 2, BATCH)
    x[0, :, 0] = 2.0 * y - 1.0
    return x, y


def make_layer(kind: str, rho: float, forget_bias: float, seed: int) -> RNN | LSTM:
    """A 1 → HIDDEN recurrent layer; the same ``seed`` gives the same weights."""
    gen = np.random.default_rng(seed)
    if kind == "rnn":
        rnn = RNN(1, HIDDEN, rng=gen)
        q, r = np.linalg.qr(gen.normal(size=(HIDDEN, HIDDEN)))
        weights = dict(rnn.named_parameters())
        weights["weight_hh_l0"].data[...] = rho * q * np.sign(np.diag(r))  # a random rotation
        return rnn
    lstm = LSTM(1, HIDDEN, rng=gen)
    weights = dict(lstm.named_parameters())
    # gates i, f, g, o: rows HIDDEN..2·HIDDEN are the forget gate; the two biases are summed
    weights["bias_ih_l0"].data[HIDDEN:2 * HIDDEN] = forget_bias
    weights["bias_hh_l0"].data[HIDDEN:2 * HIDDEN] = 0.0
    return lstm


class Unrolled:
    """A trainer ``RNN``/``LSTM`` run one time step per call, keeping ∂L/∂h_t for every t."""

    def __init__(self, layer: RNN | LSTM, length: int) -> None:
        self.layer = layer
        # shallow copies: the same Parameter objects (gradients add up), a cache of their own
        self.cells = [copy.copy(layer) for _ in range(length)]

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Run x (T, N, 1) from a zero state; return the last hidden state h_T (N, H)."""
        state: Any = None  # h (RNN) or (h, c) (LSTM)
        for t, cell in enumerate(self.cells):
            _, state = cell(x[t:t + 1], state)
        h_last: np.ndarray = (state[0] if isinstance(state, tuple) else state)[0]
        return h_last

    def backward(self, grad_h_last: np.ndarray) -> np.ndarray:
        """Backpropagate dL/dh_T through time; return ‖∂L/∂h_t‖ for t = 1..T."""
        norms = np.empty(len(self.cells))
        zeros = np.zeros((1, *grad_h_last.shape), dtype=grad_h_last.dtype)
        grad_h = grad_h_last[None]
        grad_c: np.ndarray | None = None  # the LSTM's cell state: none flows into c_T
        for t in reversed(range(len(self.cells))):
            norms[t] = float(np.linalg.norm(grad_h))
            cell = self.cells[t]
            if isinstance(cell, LSTM):
                _, (grad_h, grad_c) = cell.backward(zeros, (grad_h, grad_c))
            else:
                assert isinstance(cell, RNN)
                _, grad_h = cell.backward(zeros, grad_h)
        return norms


@dataclass
class Run:
    """One model (recurrent layer + head) with its optimizer, clipping and history."""

    net: Unrolled
    head: Linear
    lr: float
    max_norm: float | None
    capacity: int
    loss: Trace = field(init=False)
    grad_norm: Trace = field(init=False)  # global ‖g‖ before clipping
    alive: bool = True
    clipped: int = 0  # steps where clipping rescaled the gradient
    through_time: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.params: list[Parameter] = self.net.layer.parameters() + self.head.parameters()
        self.opt = SGD(self.params, lr=self.lr)
        self.loss_fn = CrossEntropyLoss()
        self.loss = Trace(self.capacity)
        self.grad_norm = Trace(self.capacity)
        self.through_time = np.full(len(self.net.cells), np.nan)

    def step(self, x: np.ndarray, y: np.ndarray) -> None:
        """One SGD step on (x, y), measuring ∂L/∂h_t and ‖g‖ first; marks a blow-up dead."""
        self.opt.zero_grad()
        loss = self.loss_fn(self.head(self.net.forward(x)), y)
        self.through_time = self.net.backward(self.head.backward(self.loss_fn.backward()))
        if self.max_norm is None:
            total = math.sqrt(sum(float(np.vdot(p.grad, p.grad)) for p in self.params))
        else:
            total = clip_grad_norm_(self.params, self.max_norm)
            self.clipped += total > self.max_norm
        self.loss.append(loss)
        self.grad_norm.append(total)
        if not finite(loss, total):
            self.alive = False
            return
        self.opt.step()


class RnnGradients(Demo):
    id = "rnn-gradients"
    title = Text("RNN의 기울기 소실·폭발과 LSTM, 기울기 클리핑",
                 "Vanishing and exploding gradients in RNNs, LSTM, gradient clipping")
    notice = Text(
        "과제는 첫 입력의 부호(±1)를 T=40 스텝 뒤에 맞히는 것이라 기울기가 첫 스텝까지 거슬러 "
        "가야 합니다. 왼쪽(로그 축): RNN은 한 스텝 거슬러 갈 때마다 diag(tanh′)·Wₕₕ를 곱하고 "
        "ρ=0.8이면 그 노름이 0.8 이하라서, 초기화 때 t=1의 ‖∂L/∂hₜ‖가 t=T의 10⁻⁴도 안 "
        "됩니다(소실). 그래서 RNN의 손실은 클리핑을 하든 안 하든 ln 2 ≈ 0.69(찍기)에 머뭅니다: "
        "클리핑은 사라진 기울기를 되살리지 못합니다. LSTM의 셀 상태 cₜ = f⊙cₜ₋₁ + i⊙g는 망각 "
        "게이트 f(망각 편향 3이면 약 0.95)만 곱해지는 덧셈 경로라 t=1에서도 t=T 기울기의 약 "
        "10분의 1이 남고, 클리핑과 함께 과제를 배웁니다(이 학습률에서 클리핑 없는 LSTM은 ln 2 "
        "근처에 머묾, 잘린 스텝은 일부뿐인데도). 망각 편향을 0으로 하면(f ≈ 0.5) LSTM의 기울기도 "
        "약 10⁻⁹로 사라집니다. ρ=2로 올리면 RNN의 기울기가 과거로 갈수록 약 1000배까지 "
        "커지고(폭발), 클리핑 없는 RNN의 손실은 ln 2보다 훨씬 위로 튀지만 클리핑한 RNN은 "
        "계속 학습해 과제를 풉니다.",
        "The task is to output the sign (±1) of the first input T = 40 steps later, so the "
        "gradient must reach back to step 1. Left (log axis): each step back multiplies the "
        "RNN's gradient by diag(tanh′)·Wₕₕ, whose norm is at most ρ = 0.8, so at init "
        "‖∂L/∂hₜ‖ at t = 1 is below 10⁻⁴ of its value at t = T: it has vanished, and the "
        "RNN's loss stays at ln 2 ≈ 0.69 (chance) with or without clipping. Clipping cannot "
        "bring back a vanished gradient. The LSTM's cell state cₜ = f⊙cₜ₋₁ + i⊙g is an "
        "additive path multiplied only by the forget gate f (about 0.95 with forget bias 3), so "
        "about a tenth of the gradient still reaches t = 1, and with clipping the LSTM learns "
        "the task (at this learning rate the unclipped LSTM stays near ln 2, although only a "
        "minority of its steps get clipped). With forget bias 0 (f ≈ 0.5) the LSTM's gradient "
        "vanishes too (about 10⁻⁹). Raise ρ to 2: the RNN's gradient now grows going back in "
        "time, about 1000-fold (exploding), the unclipped RNN's loss spikes far above ln 2, "
        "while the clipped RNN keeps training and solves the task.",
    )
    params = (
        Param("rho", Text("RNN 순환 가중치 크기 ρ (W_hh의 특잇값)",
                          "RNN recurrent scale ρ (singular values of W_hh)"),
              "float", 0.8, low=0.2, high=4.0),
        Param("forget_bias", Text("LSTM 망각 게이트 초기 편향 (b_if + b_hf)",
                                  "LSTM forget-gate bias at init (b_if + b_hf)"),
              "float", 3.0, low=-2.0, high=6.0),
        Param("seq_len", Text("시퀀스 길이 T", "Sequence length T"), "int", 40, low=5, high=60),
        Param("lr", Text("학습률 (SGD)", "Learning rate (SGD)"), "float", 0.3, low=0.01,
              high=3.0, log=True),
        Param("max_norm", Text("클리핑 max_norm", "Clipping max_norm"), "float", 1.0, low=0.05,
              high=20.0, log=True),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
    )
    unit = Text("스텝", "step")
    steps = 300  # SGD steps: the clipped LSTM has learned, the RNNs are still at ln 2

    def frames(self, values: Values) -> Iterator[Frame]:
        length, seed = int(values["seq_len"]), int(values["seed"])
        rho, forget_bias = float(values["rho"]), float(values["forget_bias"])
        runs: dict[str, Run] = {}
        for name in RUNS:
            kind = name.removesuffix("_clip")
            # the plain and the clipped copy of a kind start from the same weights
            layer_seed = seed * 2 + KINDS.index(kind)
            layer = make_layer(kind, rho, forget_bias, layer_seed)
            head = Linear(HIDDEN, 2, rng=np.random.default_rng(1000 + layer_seed))
            runs[name] = Run(Unrolled(layer, length), head, float(values["lr"]),
                             float(values["max_norm"]) if name.endswith("_clip") else None,
                             self.steps + 1)
        data = np.random.default_rng(seed + 500)
        at_init: dict[str, np.ndarray] = {}
        step = 0
        while True:
            x, y = make_batch(data, length)
            for run in runs.values():
                if run.alive:
                    run.step(x, y)
            if step == 0:
                at_init = {k: runs[k].through_time.copy() for k in KINDS}
            step += 1
            yield {
                "t": step,
                "step": step,
                "through_time": {k: runs[k + "_clip"].through_time.copy() for k in KINDS},
                "through_time_init": at_init,
                "loss": {n: r.loss.view() for n, r in runs.items()},
                "grad_norm": {n: r.grad_norm.view() for n, r in runs.items()},
                "clipped": {n: r.clipped for n, r in runs.items()},
                "alive": {n: r.alive for n, r in runs.items()},
                "diverged": not any(r.alive for r in runs.values()),
            }

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        length = int(values["seq_len"])

        def label(name: str, alive: bool) -> str:
            kind = name.removesuffix("_clip")
            text = LABELS[kind] + (tr(lang, ", 클리핑", ", clipped") if name.endswith("_clip")
                                   else tr(lang, ", 클리핑 없음", ", no clipping"))
            return text if alive else text + tr(lang, " — 발산", " — diverged")

        max_norm = float(values["max_norm"])
        time_ax, loss_ax, norm_ax = figure.subplots(1, 3, width_ratios=(1.1, 1, 1))

        # -- ‖∂L/∂h_t‖ against t ----------------------------------------------------------
        steps_t = np.arange(1, length + 1)
        now, init_lines = {}, {}
        for k in KINDS:
            (init_lines[k],) = time_ax.plot(steps_t, np.full(length, np.nan), color=COLORS[k],
                                            linestyle=":", linewidth=1.4, alpha=0.8)
            (now[k],) = time_ax.plot(steps_t, np.full(length, np.nan), color=COLORS[k],
                                     linewidth=1.9)
        time_ax.set_yscale("log")
        time_ax.set_xlim(0.5, length + 0.5)
        time_ax.set_xlabel(tr(lang, "시간 스텝 t (손실은 t = T에서)\n"
                                    "실선: 지금 (클리핑 실행) · 점선: 초기화",
                              "time step t (the loss is at t = T)\n"
                              "solid: now (clipped runs) · dotted: at init"))
        time_ax.set_ylabel(tr(lang, "‖∂L/∂hₜ‖", r"$\|\partial L/\partial h_t\|$"))
        time_title = time_ax.set_title("", fontsize=10)
        time_ax.grid(alpha=0.3, which="both")

        # -- training loss and gradient norm per step ----------------------------------------
        loss_lines, norm_lines = {}, {}
        for name in RUNS:
            kind = name.removesuffix("_clip")
            clip = name.endswith("_clip")
            style = {"color": COLORS[kind], "linewidth": 1.4 if clip else 1.1,
                     "linestyle": "-" if clip else "--", "alpha": 0.95 if clip else 0.7}
            (loss_lines[name],) = loss_ax.plot([], [], **style)
            (norm_lines[name],) = norm_ax.plot([], [], **style)
        # under the curves (zorder 2), which are blitted over them
        chance = loss_ax.axhline(LN2, color=GREY, linestyle=":", linewidth=1.4, zorder=1.8)
        threshold = norm_ax.axhline(max_norm, color="black", linewidth=1.0, zorder=1.8)
        loss_ax.set_yscale("log")
        loss_ax.set_xlabel(tr(lang, "스텝 (SGD)", "step (SGD)"))
        loss_title = loss_ax.set_title("", fontsize=10)
        # one legend for the three panels, below them; it changes only when a run diverges
        # (a full redraw then): redrawing a legend every frame would cost more than the model
        legend = figure.legend([*loss_lines.values(), chance, threshold],
                               [*(label(name, True) for name in RUNS),
                                tr(lang, "ln 2 (찍기 수준)", "ln 2 (chance)"),
                                f"max_norm = {max_norm:g}"],
                               loc="outside lower center", ncol=3, fontsize=8.5)
        legend_texts = dict(zip(RUNS, legend.get_texts()[:len(RUNS)], strict=True))
        legend.get_texts()[-1].set_fontfamily("monospace")  # clip_grad_norm_'s argument: code
        shown_alive = dict.fromkeys(RUNS, True)
        loss_ax.grid(alpha=0.3, which="both")

        norm_ax.set_yscale("log")
        norm_ax.set_xlabel(tr(lang, "스텝 (SGD)", "step (SGD)"))
        norm_ax.set_title(tr(lang, "클리핑 전 기울기 노름 ‖g‖",
                             "Gradient norm ‖g‖ before clipping"), fontsize=10)
        norm_ax.grid(alpha=0.3, which="both")

        fit_x = [PresetLimits(ax, "x", (0, self.steps), jump=2.0) for ax in (loss_ax, norm_ax)]
        fit_loss = PresetLimits(loss_ax, "y", (0.05, 2.0), log=True, floor=1e-4)
        fit_norm = PresetLimits(norm_ax, "y", (max_norm / 10, max_norm * 10), log=True,
                                floor=1e-8, ceiling=1e12)
        fitted = [False]
        changing: list[Artist] = [*init_lines.values(), *now.values(), time_title,
                                  *loss_lines.values(), loss_title, *norm_lines.values()]

        def update(frame: Frame) -> list[Artist] | None:
            top, bottom = 0.0, math.inf
            for k in KINDS:
                for line, norms in ((now[k], frame["through_time"][k]),
                                    (init_lines[k], frame["through_time_init"][k])):
                    line.set_ydata(norms)
                    good = norms[np.isfinite(norms) & (norms > 0)]
                    if len(good):
                        top, bottom = max(top, good.max()), min(bottom, good.min())
            if math.isfinite(bottom):
                fit_log_limits(time_ax, max(bottom, 1e-30), top, pad=3.0, force=not fitted[0])
                fitted[0] = True
            first = frame["through_time_init"]
            ratios = "   ".join(
                f"{LABELS[k].split()[0]}: {first[k][0] / first[k][-1]:.0e}" for k in KINDS
                if first[k][-1] > 0)
            time_title.set_text(tr(lang, f"‖∂L/∂hₜ‖ (스텝 {frame['step']})\n"
                                         f"초기화 때 t=1 / t=T: {ratios}",
                                   rf"$\|\partial L/\partial h_t\|$ (step {frame['step']})" "\n"
                                   f"at init, t=1 / t=T: {ratios}"))
            n = frame["step"]
            lows: list[float] = []
            highs: list[float] = []
            norm_lows: list[float] = []
            norm_highs: list[float] = []
            for name in RUNS:
                loss, norm = frame["loss"][name], frame["grad_norm"][name]
                x = np.arange(1, len(loss) + 1)
                loss_lines[name].set_data(x, loss)
                norm_lines[name].set_data(x, norm)
                for series, lo, hi in ((loss, lows, highs), (norm, norm_lows, norm_highs)):
                    good = series[np.isfinite(series) & (series > 0)]
                    if len(good):
                        lo.append(good.min())
                        hi.append(good.max())
            for limits in fit_x:
                limits(0, max(10, n))
            if lows:
                fit_loss(min(lows) * 0.8, max(highs) * 1.25)
            if norm_lows:
                fit_norm(min(norm_lows) * 0.8, min(max(norm_highs), 1e12) * 1.25)
            shares = ", ".join(
                f"{LABELS[k].split()[0]} {frame['clipped'][k + '_clip'] / max(1, n):.0%}"
                for k in KINDS)
            loss_title.set_text(tr(lang, f"학습 손실 (교차 엔트로피)\n클리핑된 스텝: {shares}",
                                   f"Training loss (cross-entropy)\nclipped steps: {shares}"))
            if frame["alive"] != shown_alive:  # a legend entry changes: redraw everything
                shown_alive.update(frame["alive"])
                for name in RUNS:
                    legend_texts[name].set_text(label(name, shown_alive[name]))
                return None
            return changing

        return update
