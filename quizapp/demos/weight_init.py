"""Weight initialisation: activations layer by layer in a deep MLP (forward pass only).

One batch of N(0, 1) inputs goes through the same stack of ``Linear`` layers (biases 0) four
times, once per initialisation (``quizapp.trainer.init``): zeros, 0.01·N(0, 1), Xavier
normal and He (Kaiming) normal. Each frame adds one layer, so the histograms grow downwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._networks import draw_order
from quizapp.demos.base import Choice, Demo, Frame, Param, Update, Values, tr
from quizapp.demos.plotting import BLUE, GREEN, GREY, ORANGE, grow_limit
from quizapp.trainer import Linear, Module, ReLU, Tanh, init

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

INITS: dict[str, tuple[Text, str]] = {
    "zero": (Text("0으로 초기화", "zeros"), GREY),
    "small": (Text("작은 난수 0.01·N(0,1)", "small random 0.01·N(0,1)"), ORANGE),
    "xavier": (Text("Xavier N(0, 2/(n_in+n_out))", "Xavier N(0, 2/(n_in+n_out))"), BLUE),
    "he": (Text("He N(0, 2/n_in)", "He N(0, 2/n_in)"), GREEN),
}
#: The labels on the plot: math text (which has no Hangul, so Korean titles use Unicode)
PLOT_LABELS: dict[str, Text] = {
    "zero": INITS["zero"][0],
    "small": INITS["small"][0],
    "xavier": Text("Xavier N(0, 2/(nᵢₙ+nₒᵤₜ))",
                   r"Xavier $N(0,\ 2/(n_{\mathrm{in}}+n_{\mathrm{out}}))$"),
    "he": Text("He N(0, 2/nᵢₙ)", r"He $N(0,\ 2/n_{\mathrm{in}})$"),
}
N_SAMPLES = 1000
BINS = 60


def initialise(layer: Linear, kind: str, rng: np.random.Generator) -> None:
    """Fill ``layer.weight`` with the named scheme (trainer's init functions); bias 0."""
    if kind == "zero":
        init.zeros_(layer.weight)
    elif kind == "small":
        init.normal_(layer.weight, 0.0, 0.01, rng=rng)
    elif kind == "xavier":
        init.xavier_normal_(layer.weight, rng=rng)
    elif kind == "he":
        init.kaiming_normal_(layer.weight, nonlinearity="relu", rng=rng)
    else:
        raise ValueError(f"unknown init {kind!r}")
    assert layer.bias is not None
    init.zeros_(layer.bias)


def small_init_std(activation: str, width: int, layer: int) -> float:
    """The std the small 0.01·N(0, 1) init should give at ``layer`` (variance propagation).

    tanh is linear at such small values: each layer multiplies the std by 0.01·√width. A ReLU
    layer halves E[h²] and its output's std is √(v/2 − v/2π) for pre-activation variance v.
    Floored where float32 underflows (the demo then measures std 0, which is not plotted).
    """
    gain = 1e-4 * width
    if activation == "tanh":
        std: float = gain ** (layer / 2)
    else:
        variance = gain * (gain / 2) ** (layer - 1)
        std = float(np.sqrt(variance * (0.5 - 0.5 / np.pi)))
    return max(std, 3e-23)


def hist_range(activation: str) -> tuple[float, float]:
    return (-1.0, 1.0) if activation == "tanh" else (0.0, 4.0)


def histogram(a: np.ndarray, activation: str) -> tuple[np.ndarray, float]:
    """Counts over the fixed bins (ReLU: the non-zero values) and the fraction of exact zeros."""
    values = a.ravel()
    zeros = float(np.mean(values == 0))
    if activation == "relu":
        values = values[values != 0]
    counts, _ = np.histogram(values, bins=BINS, range=hist_range(activation))
    return counts.astype(float), zeros


class WeightInit(Demo):
    id = "weight-init"
    title = Text("가중치 초기화: 층별 활성값 분포", "Weight initialisation: activations per layer")
    notice = Text(
        "작은 난수(0.01·N(0,1))로 초기화하면 층마다 활성값의 표준편차가 약 0.01·√n배(너비 "
        "256이면 0.16배)로 줄어, 1층의 0.16에서 10층의 10⁻⁸까지 0으로 붕괴합니다. 0으로 "
        "초기화하면 한 층의 모든 유닛이 똑같은 값을 내므로 같은 기울기를 받아 대칭이 깨지지 "
        "않습니다. Xavier는 tanh에서 분포를 유지하지만(표준편차 1층 0.63, 10층에도 0.23) "
        "ReLU에서는 층마다 분산이 절반으로(표준편차는 약 0.71배로) 줄고, He(분산 2/nᵢₙ)는 "
        "ReLU의 표준편차를 층마다 거의 일정하게 유지합니다.",
        "With small random weights (0.01·N(0,1)) the activation std shrinks by about "
        "0.01·√n per layer (0.16 for width 256) and collapses towards 0: 0.16 at layer 1, "
        "10⁻⁸ at layer 10. With zeros every unit of a layer outputs the same value, so they "
        "all get the same gradient and the symmetry is never broken. Xavier keeps tanh "
        "activations spread out (std 0.63 at layer 1, still 0.23 at layer 10) but halves the "
        "variance per layer with ReLU (the std shrinks about 0.71× per layer); He (variance "
        "2/nᵢₙ) keeps the ReLU std nearly constant from layer to layer.",
    )
    params = (
        Param("activation", Text("활성화 함수", "Activation"), "choice", "tanh",
              choices=(Choice("tanh", Text("tanh", "tanh")),
                       Choice("relu", Text("ReLU", "ReLU")))),
        Param("init", Text("히스토그램에 보일 초기화", "Initialisation in the histograms"),
              "choice", "small",
              choices=tuple(Choice(k, label) for k, (label, _) in INITS.items())),
        Param("depth", Text("층 수", "Layers"), "int", 10, low=2, high=20),
        Param("width", Text("층의 너비 (유닛 수)", "Layer width (units)"), "int", 256,
              low=16, high=1024),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
    )
    unit = Text("층", "layer")
    steps = 20  # one layer per frame; the run ends at the last layer (``depth`` ≤ 20)

    def frames(self, values: Values) -> Iterator[Frame]:
        activation = values["activation"]
        chosen = values["init"]
        depth, width = int(values["depth"]), int(values["width"])
        rng = np.random.default_rng(int(values["seed"]))
        x0 = rng.standard_normal((N_SAMPLES, width)).astype(np.float32)
        acts = dict.fromkeys(INITS, x0)
        stds: dict[str, list[float]] = {k: [] for k in INITS}
        spreads: dict[str, list[float]] = {k: [] for k in INITS}
        hists: list[np.ndarray] = []
        zeros: list[float] = []
        for _layer in range(depth):
            for kind in INITS:
                linear = Linear(width, width, rng=rng)
                initialise(linear, kind, rng)
                nonlinearity: Module = Tanh() if activation == "tanh" else ReLU()
                a = nonlinearity(linear(acts[kind]))
                acts[kind] = a
                stds[kind].append(float(a.std()))
                # identical units: every unit gives the same value on every example
                spreads[kind].append(float(np.max(a.max(axis=1) - a.min(axis=1))))
                if kind == chosen:
                    counts, zero_frac = histogram(a, activation)
                    hists.append(counts)
                    zeros.append(zero_frac)
            yield {
                "t": len(hists),
                "layers": len(hists),
                "stds": {k: np.array(v) for k, v in stds.items()},
                "spreads": {k: np.array(v) for k, v in spreads.items()},
                "hists": list(hists),
                "zeros": list(zeros),
            }

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        activation, chosen = values["activation"], values["init"]
        depth = int(values["depth"])
        act_label = "tanh" if activation == "tanh" else "ReLU"
        hist_ax, std_ax = figure.subplots(1, 2, width_ratios=(1.1, 1))
        low, high = hist_range(activation)
        edges = np.linspace(low, high, BINS + 1)
        xs = np.repeat(edges, 2)[1:-1]  # step outline
        color = INITS[chosen][1]
        ridges, notes = [], []
        for layer in range(1, depth + 1):
            hist_ax.axhline(layer, color="black", linewidth=0.4, alpha=0.4)
            (ridge,) = hist_ax.plot([], [], color=color, linewidth=1.3)
            ridges.append(ridge)
            notes.append(hist_ax.text(high + 0.02 * (high - low), layer - 0.15, "",
                                      fontsize=7.5, va="center", ha="left", clip_on=False))
        hist_ax.set_ylim(depth + 0.6, 0.1)
        hist_ax.set_xlim(low, high)
        hist_ax.set_yticks(range(1, depth + 1) if depth <= 12 else range(1, depth + 1, 2))
        hist_ax.set_ylabel(tr(lang, "층", "layer"))
        hist_ax.set_xlabel(tr(lang, f"{act_label} 출력값", f"{act_label} output")
                           + (tr(lang, " (0인 값 제외)", " (zeros left out)")
                              if activation == "relu" else ""))
        hist_ax.set_title(tr(lang, f"층별 히스토그램: {PLOT_LABELS[chosen].ko}",
                             f"Histogram per layer: {PLOT_LABELS[chosen].en}"), fontsize=11)
        hist_ax.spines[["right", "top"]].set_visible(False)

        lines = {}
        for kind, (_, c) in INITS.items():
            # no Hangul in the legend's math labels, so they are math in both languages
            math = kind in ("xavier", "he")
            label = PLOT_LABELS[kind].en if math else PLOT_LABELS[kind].get(lang)
            text = label + (" (std = 0)" if kind == "zero" else "")
            (lines[kind],) = std_ax.plot([], [], marker="o", markersize=3.5, color=c,
                                         linewidth=2.6 if kind == chosen else 1.3, label=text)
        std_ax.set_yscale("log")
        std_ax.set_xlim(0.5, depth + 0.5)
        std_ax.set_xlabel(tr(lang, "층", "layer"))
        std_ax.set_ylabel(tr(lang, "활성값 표준편차 (로그)", "activation std (log)"))
        std_ax.set_title(tr(lang, f"층별 표준편차 ({act_label}, 입력 std = 1)",
                            f"Std per layer ({act_label}, input std = 1)"), fontsize=11)
        std_ax.legend(loc="lower left", fontsize=8)
        std_ax.grid(alpha=0.3, which="both")
        # the small init's std shrinks geometrically: fix the log range for the whole depth up
        # front (a frame whose data leaves it widens it), so frames only blit
        std_ax.set_ylim(small_init_std(activation, int(values["width"]), depth) / 4, 2.0)
        # spines over the ridges' ends and the legend over the lines are redrawn after them
        changing = draw_order([*ridges, *hist_ax.spines.values(), *notes, *lines.values(),
                               std_ax.get_legend()])

        def update(frame: Frame) -> list[Artist]:
            for i, (ridge, note) in enumerate(zip(ridges, notes, strict=True)):
                if i >= frame["layers"]:
                    ridge.set_data([], [])
                    note.set_text("")
                    continue
                counts = frame["hists"][i]
                height = counts / counts.max() if counts.max() > 0 else counts
                ridge.set_data(xs, i + 1 - 0.85 * np.repeat(height, 2))
                std = frame["stds"][chosen][i]
                extra = (f"\n0: {frame['zeros'][i]:.0%}" if activation == "relu" else "")
                note.set_text(f"std {std:.1e}{extra}" if std else f"std 0{extra}")
            positive = np.concatenate([s[s > 0] for s in frame["stds"].values()])
            for kind, line in lines.items():
                s = frame["stds"][kind]
                line.set_data(np.arange(1, len(s) + 1), np.where(s > 0, s, np.nan))
            if len(positive):
                low, _ = std_ax.get_ylim()
                if positive.min() / 2 < low:
                    std_ax.set_ylim(positive.min() / 4, std_ax.get_ylim()[1])
                grow_limit(std_ax, positive.max() * 2, "y")
            return changing

        return update
