"""CNN vs MLP on the digits (downsampled to 14×14): parameter counts and accuracy.

Both models are the trainer's (``Conv2d``/``MaxPool2d`` via im2col, ``Linear``), trained with
``fit`` and ``Adam`` on the same mini-batches. Parameter counts are read from the models'
``parameters()``; the multiply-adds per image show how often each weight is reused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._networks import draw_order, steps_only
from quizapp.demos.base import Demo, Frame, Param, Trace, Update, Values, finite, tr
from quizapp.demos.digits import split_digits
from quizapp.demos.plotting import BLUE, ORANGE, grow_limit
from quizapp.trainer import (
    Adam,
    Conv2d,
    CrossEntropyLoss,
    DataLoader,
    Flatten,
    Linear,
    MaxPool2d,
    Module,
    ReLU,
    Sequential,
    fit,
    no_grad,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

SIZE = 14
EVAL_EVERY = 5  # steps per frame, each frame ending with an evaluation (keeps frames short)
N_EVAL = 500  # test images used for the accuracy curves (the full 1000 at the end is slower)


@dataclass(frozen=True)
class LayerCount:
    """One layer with parameters: its name, parameter count, formula and multiply-adds."""

    model: str
    name: str
    params: int
    formula: str
    macs: int  # multiply-adds per image: how many times the weights are used


def make_cnn(c1: int, c2: int, seed: int) -> Sequential:
    rng = np.random.default_rng(seed)
    side = SIZE // 2 // 2
    return Sequential(Conv2d(1, c1, 3, padding=1, rng=rng), ReLU(), MaxPool2d(2),
                      Conv2d(c1, c2, 3, padding=1, rng=rng), ReLU(), MaxPool2d(2),
                      Flatten(), Linear(c2 * side * side, 10, rng=rng))


def make_mlp(hidden: int, seed: int) -> Sequential:
    rng = np.random.default_rng(seed)
    return Sequential(Flatten(), Linear(SIZE * SIZE, hidden, rng=rng), ReLU(),
                      Linear(hidden, 10, rng=rng))


def count_layers(model: Sequential, tag: str) -> list[LayerCount]:
    """Per-layer parameter counts (from the arrays) with the formula and multiply-adds."""
    x = np.zeros((1, 1, SIZE, SIZE), dtype=np.float32)
    out: list[LayerCount] = []
    conv = fc = 0
    for layer in model:
        y = layer(x)
        count = sum(p.size for p in layer.parameters())
        if isinstance(layer, Conv2d):
            conv += 1
            k = layer.kernel_size[0]
            formula = (f"{k}·{k}·{layer.in_channels}·{layer.out_channels}"
                       f" + {layer.out_channels}")
            macs = int(np.prod(y.shape[1:])) * k * k * layer.in_channels
            out.append(LayerCount(tag, f"conv{conv}", count, formula, macs))
        elif isinstance(layer, Linear):
            fc += 1
            formula = f"{layer.in_features}·{layer.out_features} + {layer.out_features}"
            out.append(LayerCount(tag, f"fc{fc}", count, formula,
                                  layer.in_features * layer.out_features))
        x = y
    return out


def n_params(model: Module) -> int:
    return sum(p.size for p in model.parameters())


class CnnVsMlp(Demo):
    id = "cnn-vs-mlp"
    title = Text("CNN vs MLP: 파라미터 수와 정확도 (14×14 숫자)",
                 "CNN vs MLP: parameters and accuracy (14×14 digits)")
    notice = Text(
        "합성곱 층의 파라미터는 k·k·Cᵢₙ·Cₒᵤₜ + Cₒᵤₜ뿐입니다. 같은 3×3 필터를 모든 위치에서 "
        "공유하고(파라미터 공유), 각 출력은 3×3 이웃만 봅니다(희소 연결). 그래서 CNN은 MLP보다 "
        "파라미터가 7분의 1 남짓(2,698 대 20,710)인데도, 처음엔 더 느리게 배우지만 300 스텝 "
        "뒤에는 정확도가 비슷합니다(둘 다 약 92%). 왼쪽 막대의 연한 부분은 이미지 한 장당 "
        "곱셈-덧셈 수입니다: 합성곱 가중치는 출력 위치마다 한 번씩, 한 장에서 conv1은 196번"
        "(14×14), conv2는 49번(7×7) 쓰이고, MLP 가중치는 한 번만 쓰입니다.",
        "A convolution has only k·k·Cᵢₙ·Cₒᵤₜ + Cₒᵤₜ parameters: the same 3×3 filter is "
        "shared by every position (parameter sharing) and each output sees only a 3×3 "
        "neighbourhood (sparse connections). So the CNN has about 7 times fewer parameters "
        "than the MLP (2,698 vs 20,710) and, although it learns more slowly at first, after "
        "300 steps it is about as accurate (both about 92 %). The light bars on the left count "
        "multiply-adds per image: a conv weight is used once per output position, 196 times "
        "per image in conv1 (14×14) and 49 times in conv2 (7×7), an MLP weight only once.",
    )
    params = (
        Param("conv1", Text("CNN 1층 채널 수", "CNN channels, layer 1"), "int", 8, low=1,
              high=32),
        Param("conv2", Text("CNN 2층 채널 수", "CNN channels, layer 2"), "int", 16, low=1,
              high=64),
        Param("hidden", Text("MLP 은닉 유닛 수", "MLP hidden units"), "int", 100, low=8,
              high=512),
        Param("lr", Text("학습률 (Adam)", "Learning rate (Adam)"), "float", 3e-3, low=1e-4,
              high=0.1, log=True),
        Param("batch_size", Text("배치 크기", "Batch size"), "int", 32, low=4, high=256),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
    )
    unit = Text("스텝", "step")
    steps = 61  # frames of EVAL_EVERY steps: 300 steps, both models near 92 %

    def frames(self, values: Values) -> Iterator[Frame]:
        X_train, y_train, X_test, y_test = split_digits(1000, 0, size=SIZE)
        X_eval, y_eval = X_test[:N_EVAL], y_test[:N_EVAL]
        seed = int(values["seed"])
        models = {"cnn": make_cnn(int(values["conv1"]), int(values["conv2"]), seed),
                  "mlp": make_mlp(int(values["hidden"]), seed)}
        counts = {k: count_layers(m, k) for k, m in models.items()}
        totals = {k: n_params(m) for k, m in models.items()}
        runs = {
            k: steps_only(fit(m, CrossEntropyLoss(), Adam(m.parameters(), lr=values["lr"]),
                              DataLoader(X_train, y_train, batch_size=int(values["batch_size"]),
                                         shuffle=True, rng=seed),
                              epochs=10**6, per_parameter_norms=False))
            for k, m in models.items()}
        history = Trace(64, 3)  # step, CNN test accuracy, MLP test accuracy
        losses = {"cnn": float("nan"), "mlp": float("nan")}
        step = 0
        while True:
            acc = {}
            for k, m in models.items():
                m.eval()
                with no_grad():  # keeps none of the test images' activations (16 MB)
                    acc[k] = float(np.mean(m(X_eval).argmax(axis=1) == y_eval))
                m.train()
            history.append(step, acc["cnn"], acc["mlp"])
            yield {
                "t": step,
                "step": step,
                "history": history.view(),
                "counts": counts,
                "totals": totals,
                "losses": dict(losses),
                "diverged": step > 0 and not finite(*losses.values()),
            }
            for _ in range(EVAL_EVERY):
                step += 1
                for k, run in runs.items():
                    losses[k] = next(run).loss

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        bar_ax, acc_ax = figure.subplots(1, 2, width_ratios=(1.25, 1))
        cnn = make_cnn(int(values["conv1"]), int(values["conv2"]), 0)
        mlp = make_mlp(int(values["hidden"]), 0)
        rows = count_layers(cnn, "cnn") + count_layers(mlp, "mlp")
        colors = {"cnn": BLUE, "mlp": ORANGE}
        ys = np.arange(len(rows))[::-1].astype(float)
        ys[: len(count_layers(cnn, "cnn"))] += 0.6  # a gap between the two models
        bar_ax.barh(ys, [r.macs for r in rows], height=0.7, color=[colors[r.model] for r in rows],
                    alpha=0.25, label=tr(lang, "이미지당 곱셈-덧셈", "multiply-adds per image"))
        bar_ax.barh(ys, [r.params for r in rows], height=0.7,
                    color=[colors[r.model] for r in rows],
                    label=tr(lang, "파라미터 수", "parameters"))
        for y, r in zip(ys, rows, strict=True):
            bar_ax.text(1.3, y, f"{r.formula} = {r.params:,}", va="center", fontsize=8.5,
                        bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none",
                              "pad": 1.5})
        # the general formulas, in the gap between the two models' bars
        n_cnn = len(count_layers(cnn, "cnn"))
        formulas = (r"conv: $k \cdot k \cdot C_{\mathrm{in}} \cdot C_{\mathrm{out}}"
                    r" + C_{\mathrm{out}}$" "\n"
                    r"fc: $n_{\mathrm{in}} \cdot n_{\mathrm{out}} + n_{\mathrm{out}}$")
        bar_ax.text(0.98, (ys[n_cnn - 1] + ys[n_cnn]) / 2, formulas, ha="right", va="center",
                    transform=bar_ax.get_yaxis_transform(), fontsize=9.5)
        bar_ax.set_xscale("log")
        bar_ax.set_xlim(1, max(r.macs for r in rows) * 3)
        bar_ax.set_yticks(ys, [f"{r.model.upper()} {r.name}" for r in rows])
        totals = {"cnn": n_params(cnn), "mlp": n_params(mlp)}
        bar_ax.set_title(tr(lang, f"파라미터: CNN {totals['cnn']:,} vs MLP {totals['mlp']:,}",
                            f"Parameters: CNN {totals['cnn']:,} vs MLP {totals['mlp']:,}"),
                         fontsize=10.5)
        bar_ax.set_xlabel(tr(lang, "개수 (로그)", "count (log)"))
        bar_ax.legend(loc="lower right", fontsize=8)
        bar_ax.grid(alpha=0.3, axis="x", which="major")

        arch = {"cnn": f"CNN: conv3×3({values['conv1']})-pool-conv3×3({values['conv2']})-pool-fc",
                "mlp": f"MLP: 196-{values['hidden']}-10"}
        lines = {k: acc_ax.plot([], [], color=colors[k], linewidth=1.8, label=arch[k])[0]
                 for k in ("cnn", "mlp")}
        chance = acc_ax.axhline(0.1, color="black", linestyle=":", linewidth=1)
        acc_ax.set_ylim(0, 1)
        acc_ax.set_xlim(0, (self.steps - 1) * EVAL_EVERY)  # the whole run; grows past it
        acc_ax.set_xlabel(tr(lang, "스텝 (Adam, 같은 미니배치)", "step (Adam, same mini-batches)"))
        acc_ax.set_ylabel(tr(lang, f"테스트 정확도 ({N_EVAL}장)",
                             f"test accuracy ({N_EVAL} images)"))
        acc_title = acc_ax.set_title("", fontsize=10.5)
        acc_ax.legend(loc="lower right", fontsize=8)
        acc_ax.grid(alpha=0.3)
        # the chance line, the spines and the legend lie on top of the curves: redrawn after
        changing = draw_order([*lines.values(), chance, *acc_ax.spines.values(),
                               acc_ax.get_legend(), acc_title])

        def update(frame: Frame) -> list[Artist]:
            hist = frame["history"]
            lines["cnn"].set_data(hist[:, 0], hist[:, 1])
            lines["mlp"].set_data(hist[:, 0], hist[:, 2])
            grow_limit(acc_ax, frame["step"], "x")
            acc_title.set_text(tr(
                lang, f"스텝 {hist[-1, 0]:.0f}: CNN {hist[-1, 1]:.1%}, MLP {hist[-1, 2]:.1%}",
                f"Step {hist[-1, 0]:.0f}: CNN {hist[-1, 1]:.1%}, MLP {hist[-1, 2]:.1%}"))
            return changing

        return update
