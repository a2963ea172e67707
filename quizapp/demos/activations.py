"""Activation functions, vanishing gradients in a deep sigmoid net, and dying ReLUs.

The curves are the trainer's activation modules (``forward`` for f, ``backward`` of ones for
f'). Deep nets of each activation train with ``fit`` on two moons; their per-layer gradient
norms are ``StepMetrics.grad_norms``. Two small ReLU nets (a safe and a large learning rate)
count the hidden units that output 0 for every training example ("dead").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._networks import draw_order, steps_only
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
from quizapp.demos.plotting import BLUE, CRIMSON, GREY, ORANGE, fit_log_limits, grow_limit
from quizapp.trainer import (
    GELU,
    SGD,
    CrossEntropyLoss,
    DataLoader,
    LeakyReLU,
    Linear,
    Mish,
    Module,
    ReLU,
    Sequential,
    Sigmoid,
    SiLU,
    StandardScaler,
    Tanh,
    fit,
    init,
    make_moons,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

ACTIVATIONS: dict[str, tuple[str, type[Module]]] = {
    "sigmoid": ("sigmoid", Sigmoid),
    "tanh": ("tanh", Tanh),
    "relu": ("ReLU", ReLU),
    "leaky_relu": ("LeakyReLU(0.01)", LeakyReLU),
    "gelu": ("GELU", GELU),
    "silu": ("SiLU", SiLU),
    "mish": ("Mish", Mish),
}
SATURATING = ("sigmoid", "tanh")
DEEP_WIDTH = 64
DEEP_LR = 0.1
SAFE_LR = 0.1
DYING_WIDTH = 64
CURVE_X = np.linspace(-5.0, 5.0, 401)


def curves() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """f(x) and f'(x) of every activation, from the trainer's forward and backward."""
    out = {}
    for key, (_, cls) in ACTIVATIONS.items():
        module = cls()
        f = module(CURVE_X)
        out[key] = (f, module.backward(np.ones_like(CURVE_X)))
    return out


def moons() -> tuple[np.ndarray, np.ndarray]:
    X, y = make_moons(400, noise=0.2, rng=0)
    return StandardScaler().fit_transform(X).astype(np.float32), y


def deep_net(key: str, depth: int, init_kind: str, seed: int) -> Sequential:
    """``depth`` Linear layers (width 64) with ``key`` between them; He/Xavier or PyTorch init."""
    rng = np.random.default_rng(seed)
    layers: list[Module] = []
    width_in = 2
    for i in range(depth):
        last = i == depth - 1
        layer = Linear(width_in, 2 if last else DEEP_WIDTH, rng=rng)
        if init_kind == "matched":
            if key in SATURATING:
                init.xavier_normal_(layer.weight, rng=rng)
            else:
                init.kaiming_normal_(layer.weight, nonlinearity="relu", rng=rng)
            assert layer.bias is not None
            init.zeros_(layer.bias)
        layers.append(layer)
        if not last:
            layers.append(ACTIVATIONS[key][1]())
        width_in = DEEP_WIDTH
    return Sequential(*layers)


def dying_net(bias_shift: float, seed: int) -> Sequential:
    """2 → 64 → 64 → 2 ReLU net (PyTorch init) with every hidden bias shifted."""
    rng = np.random.default_rng(seed + 1000)
    net = Sequential(Linear(2, DYING_WIDTH, rng=rng), ReLU(),
                     Linear(DYING_WIDTH, DYING_WIDTH, rng=rng), ReLU(),
                     Linear(DYING_WIDTH, 2, rng=rng))
    for index in (0, 2):
        bias = layer_at(net, index, Linear).bias
        assert bias is not None
        bias.data += np.float32(bias_shift)
    return net


def dead_mask(net: Sequential, X: np.ndarray) -> np.ndarray:
    """Per hidden unit: True when its pre-activation is ≤ 0 on every training example."""
    h1 = net[:1](X)
    h2 = net[:3](X)
    return np.concatenate([(h1 <= 0).all(axis=0), (h2 <= 0).all(axis=0)])


def _per_layer(mask: np.ndarray) -> tuple[float, float]:
    """The share of dead units in each of the two hidden layers."""
    return float(mask[:DYING_WIDTH].mean()), float(mask[DYING_WIDTH:].mean())


def dead_units_grad(net: Sequential, mask: np.ndarray) -> float:
    """Largest |gradient| of the incoming weights and bias of the units in ``mask``."""
    biggest = 0.0
    for k, index in enumerate((0, 2)):
        layer = layer_at(net, index, Linear)
        assert layer.bias is not None
        rows = mask[k * DYING_WIDTH:(k + 1) * DYING_WIDTH]
        if rows.any():
            biggest = max(biggest, float(np.abs(layer.weight.grad[rows]).max()),
                          float(np.abs(layer.bias.grad[rows]).max()))
    return biggest


class Activations(Demo):
    id = "activations"
    title = Text("활성화 함수, 기울기 소실, 죽은 ReLU",
                 "Activation functions, vanishing gradients, dying ReLUs")
    notice = Text(
        "시그모이드의 도함수는 최대 0.25라서, 깊은 시그모이드 망에서는 층을 거슬러 갈수록 작은 "
        "값이 곱해집니다: 초기화 직후(점선) 첫 층의 기울기 노름이 마지막 층보다 약 백만 배 "
        "작고(로그 축), 시그모이드 망은 배우지 못해 손실이 두 클래스의 찍기 수준인 "
        "ln 2 ≈ 0.69에 머뭅니다. ReLU는 양수 구간의 도함수가 1이라 He 초기화와 함께 기울기가 "
        "층마다 약 10배 안에서 유지되고, ReLU 망은 학습됩니다(손실 0.06). 대신 학습률이 "
        "크거나(여기서는 3: 유닛의 약 40%) 편향이 크게 음수로 밀리면(−1.5: 85%) 모든 입력에서 0을 "
        "내는 '죽은' 유닛이 생깁니다. 그 유닛의 가중치는 기울기가 정확히 0이라 스스로 살아날 "
        "수 없습니다: 입력이 변하지 않는 첫 층의 죽은 유닛은 영영 죽은 채로 남고, 더 깊은 층의 "
        "유닛은 아래 층이 입력을 바꿔 줄 때만 돌아올 수 있습니다.",
        "The sigmoid's derivative is at most 0.25, so in a deep sigmoid net the backward pass "
        "multiplies small factors layer after layer: at initialisation (dotted) the first "
        "layer's gradient norm is about a million times below the last layer's (log axis), and "
        "the sigmoid net does not learn: its loss stays at ln 2 ≈ 0.69, chance for two "
        "classes. ReLU's derivative is 1 for positive inputs, so with He init the gradient "
        "stays within a factor of about 10 from layer to layer and the ReLU net learns (loss "
        "0.06). But a large learning rate (3 here: about 40 % of the units) or a strongly negative "
        "bias shift (−1.5: 85 %) makes 'dead' units that output 0 for every input. Their own "
        "weights get exactly zero gradient, so they cannot revive themselves: a dead unit of "
        "the first layer, whose inputs never change, stays dead for good; a deeper one comes "
        "back only if the layers below change its inputs.",
    )
    params = (
        Param("activation", Text("곡선과 비교할 활성화 함수", "Activation to plot and compare"),
              "choice", "sigmoid",
              choices=tuple(Choice(k, Text(label, label)) for k, (label, _) in
                            ACTIVATIONS.items())),
        Param("depth", Text("깊은 망의 층 수", "Layers in the deep net"), "int", 10,
              low=3, high=20),
        Param("init", Text("초기화", "Initialisation"), "choice", "matched",
              choices=(Choice("matched", Text("Xavier(시그모이드·tanh) / He(ReLU류)",
                                              "Xavier (sigmoid, tanh) / He (ReLU family)")),
                       Choice("pytorch", Text("PyTorch 기본값 (U(±1/√fan_in))",
                                              "PyTorch default (U(±1/√fan_in))")))),
        Param("dying_lr", Text("죽은 ReLU: 큰 학습률", "Dying ReLU: large learning rate"),
              "float", 3.0, low=0.01, high=10.0, log=True),
        Param("bias_shift", Text("죽은 ReLU: 은닉층 편향 이동", "Dying ReLU: hidden bias shift"),
              "float", 0.0, low=-3.0, high=1.0),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
    )
    unit = Text("스텝", "step")
    steps = 201  # steps 0 .. 200: the ReLU net has learned, the sigmoid net is still at ln 2

    @staticmethod
    def compared(values: Values) -> tuple[str, ...]:
        """The deep nets that train: sigmoid, ReLU and the chosen activation."""
        return tuple(dict.fromkeys(("sigmoid", "relu", values["activation"])))

    def frames(self, values: Values) -> Iterator[Frame]:
        X, y = moons()
        seed = int(values["seed"])
        shapes = curves()
        deep = {key: deep_net(key, int(values["depth"]), values["init"], seed)
                for key in self.compared(values)}
        deep_runs = {
            key: steps_only(fit(net, CrossEntropyLoss(), SGD(net.parameters(), lr=DEEP_LR),
                                DataLoader(X, y, batch_size=len(X)), epochs=10**6))
            for key, net in deep.items()}
        names = {key: [f"{i}.weight" for i, m in enumerate(net) if isinstance(m, Linear)]
                 for key, net in deep.items()}
        deep_loss = dict.fromkeys(deep, float("nan"))
        deep_norms = {key: np.full(len(names[key]), np.nan) for key in deep}
        first_norms = dict(deep_norms)  # the gradients at initialisation (step 1)
        lrs = {"safe": SAFE_LR, "large": float(values["dying_lr"])}
        dying = {k: dying_net(float(values["bias_shift"]), seed) for k in lrs}
        dying_runs = {
            k: steps_only(fit(net, CrossEntropyLoss(), SGD(net.parameters(), lr=lrs[k]),
                              DataLoader(X, y, batch_size=len(X)), epochs=10**6,
                              per_parameter_norms=False))
            for k, net in dying.items()}
        masks = {k: dead_mask(net, X) for k, net in dying.items()}
        dead = {k: Trace(256) for k in lrs}
        dead_layers = {k: Trace(256, 2) for k in lrs}  # the share per hidden layer
        for k in lrs:
            dead[k].append(float(masks[k].mean()))
            dead_layers[k].append(*_per_layer(masks[k]))
        dying_loss = dict.fromkeys(lrs, float("nan"))
        alive = dict.fromkeys(lrs, True)
        dead_grad = 0.0
        step = 0
        while True:
            yield {
                "t": step,
                "step": step,
                "curves": shapes,
                "deep_norms": dict(deep_norms),
                "first_norms": dict(first_norms),
                "deep_loss": dict(deep_loss),
                "dead": {k: tr.view() for k, tr in dead.items()},
                "dead_layers": {k: tr.view() for k, tr in dead_layers.items()},
                "dying_loss": dict(dying_loss),
                "dying_alive": dict(alive),
                "dead_units_grad": dead_grad,
                "diverged": not finite(*deep_norms.values()) and step > 0,
            }
            step += 1
            for key, run in deep_runs.items():
                metrics = next(run)
                deep_loss[key] = metrics.loss
                deep_norms[key] = np.array([metrics.grad_norms[n] for n in names[key]])
                if step == 1:
                    first_norms[key] = deep_norms[key]
            for k, run in dying_runs.items():
                if not alive[k]:
                    continue
                metrics = next(run)
                # the gradients just used came from the forward pass with the previous weights
                dead_grad = max(dead_grad, dead_units_grad(dying[k], masks[k]))
                masks[k] = dead_mask(dying[k], X)
                if not finite(metrics.loss, layer_at(dying[k], 0, Linear).weight.data):
                    alive[k] = False
                    continue
                dying_loss[k] = metrics.loss
                dead[k].append(float(masks[k].mean()))
                dead_layers[k].append(*_per_layer(masks[k]))

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        key = values["activation"]
        label = ACTIVATIONS[key][0]
        curve_ax, grad_ax, dead_ax = figure.subplots(1, 3, width_ratios=(1, 1.15, 1))

        # -- f and f' (static, from the trainer's modules) -----------------------------------
        f, df = curves()[key]
        curve_ax.plot(CURVE_X, f, color=BLUE, linewidth=1.8, label=f"f = {label}")
        curve_ax.plot(CURVE_X, df, color=CRIMSON, linewidth=1.8, linestyle="--", label="f′")
        curve_ax.axhline(0.25, color=GREY, linestyle=":", linewidth=1.2)
        curve_ax.text(-4.9, 0.27, tr(lang, "σ′의 최댓값 0.25", "max σ′ = 0.25"), color=GREY,
                      fontsize=8)
        curve_ax.axhline(0, color="black", linewidth=0.5)
        curve_ax.axvline(0, color="black", linewidth=0.5)
        curve_ax.set_ylim(min(-0.1, float(f.min()) - 0.1), max(1.1, float(f.max()) * 0.4 + 0.1))
        curve_ax.set_xlim(-5, 5)
        curve_ax.set_title(tr(lang, "함수와 도함수", "Function and derivative"))
        curve_ax.set_xlabel("x")
        curve_ax.legend(loc="upper left", fontsize=8)
        curve_ax.grid(alpha=0.3)

        # -- gradient norm per layer ----------------------------------------------------------
        depth = int(values["depth"])
        layers = np.arange(1, depth + 1)
        colors = {"sigmoid": CRIMSON, "relu": BLUE}
        lines, first_lines = {}, {}
        for k in self.compared(values):
            (first_lines[k],) = grad_ax.plot(layers, np.full(depth, np.nan), linestyle=":",
                                             linewidth=1.2, color=colors.get(k, ORANGE),
                                             alpha=0.7)
            (lines[k],) = grad_ax.plot(layers, np.full(depth, np.nan), marker="o",
                                       markersize=4, color=colors.get(k, ORANGE),
                                       linestyle="-" if k in colors else "--",
                                       label=ACTIVATIONS[k][0])
        grad_ax.set_yscale("log")
        grad_ax.set_xlim(0.5, depth + 0.5)
        grad_ax.set_xticks(layers if depth <= 12 else layers[::2])
        grad_ax.set_xlabel(tr(lang, "층 (1 = 입력 쪽)   · · · 점선: 초기화 직후 (스텝 1)",
                              "layer (1 = input side)   · · · dotted: at init (step 1)"))
        grad_ax.set_ylabel(tr(lang, "가중치 기울기 노름 ‖∂L/∂W‖", "weight gradient norm ‖∂L/∂W‖"))
        grad_title = grad_ax.set_title("")
        legend = grad_ax.legend(loc="lower right", fontsize=8)
        legend_texts = dict(zip(lines, legend.get_texts(), strict=True))
        grad_ax.grid(alpha=0.3, which="both")

        # -- dead ReLU units --------------------------------------------------------------
        dead_lines = {
            "safe": dead_ax.plot([], [], color=GREY, linewidth=1.6)[0],
            "large": dead_ax.plot([], [], color=CRIMSON, linewidth=1.8)[0],
        }
        dead_legend = dead_ax.legend(list(dead_lines.values()), ["", ""], loc="upper left",
                                     fontsize=8)
        dead_ax.set_ylim(0, 1.02)
        dead_ax.set_xlim(0, self.steps - 1)  # the whole run; grows in jumps past it
        dead_ax.set_xlabel(tr(lang, "스텝 (전체 배치 SGD)", "step (full-batch SGD)"))
        dead_ax.set_ylabel(tr(lang, "죽은 유닛 비율", "fraction of dead units"))
        dead_ax.set_title(tr(lang, "죽은 ReLU (모든 입력에서 0)", "Dead ReLUs (0 on every input)"))
        dead_ax.grid(alpha=0.3)
        lr_text = {"safe": SAFE_LR, "large": float(values["dying_lr"])}
        dead_texts = dict(zip(dead_lines, dead_legend.get_texts(), strict=True))
        # the legends' texts change every frame, so the legends are redrawn with the lines
        changing = draw_order([*lines.values(), *first_lines.values(), legend, grad_title,
                               *dead_lines.values(), *dead_ax.spines.values(), dead_legend])
        fitted = [False]  # the gradient axis got its limits from data (first frame with norms)

        def update(frame: Frame) -> list[Artist]:
            top, bottom = 1e-12, np.inf
            for k, line in lines.items():
                norms = frame["deep_norms"][k]
                line.set_ydata(norms)
                first_lines[k].set_ydata(frame["first_norms"][k])
                norms = np.concatenate([norms, frame["first_norms"][k]])
                loss = frame["deep_loss"][k]
                loss_word = tr(lang, "손실", "loss")
                loss_text = f" ({loss_word} {loss:.3f})" if np.isfinite(loss) else ""
                legend_texts[k].set_text(ACTIVATIONS[k][0] + loss_text)
                positive = norms[np.isfinite(norms) & (norms > 0)]
                if len(positive):
                    top, bottom = max(top, positive.max()), min(bottom, positive.min())
            if np.isfinite(bottom):  # limits move only when the norms leave them
                fit_log_limits(grad_ax, bottom, top, pad=5.0, force=not fitted[0])
                fitted[0] = True
            grad_title.set_text(tr(lang, f"층별 기울기 노름 (스텝 {frame['step']})",
                                   f"Gradient norm per layer (step {frame['step']})"))
            longest = 10
            for k, line in dead_lines.items():
                series = frame["dead"][k]
                line.set_data(np.arange(len(series)), series)
                longest = max(longest, len(series))
                state = ("" if frame["dying_alive"][k]
                         else tr(lang, " (발산)", " (diverged)"))
                final = series[-1] if len(series) else float("nan")
                dead_texts[k].set_text(f"lr = {lr_text[k]:g}: {final:.0%}{state}")
            grow_limit(dead_ax, longest - 1, "x")  # the last x is the length - 1
            return changing

        return update
