"""Attention weights of a tiny Transformer learning a task whose attention pattern is known.

The model is the trainer's layers: ``Embedding`` for the digits, a positional encoding (a
learned ``Embedding`` of the positions, the fixed sinusoids of "Attention is all you need", or
none), one self-attention ``MultiheadAttention`` with a residual connection and ``LayerNorm``
(post-LN, as the original Transformer), and a ``Linear`` head that predicts a digit at every
position. It trains with ``Adam`` on fresh random sequences. To reverse a sequence, output
position i needs the token at input position L − 1 − i: the right attention pattern is the
anti-diagonal; to shift it by one, the diagonal above the main one (wrapping around).

The heatmaps are the attention weights averaged over a fixed probe batch of 256 sequences, so
they show the positional pattern rather than one example's contents.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._networks import draw_order
from quizapp.demos.base import Choice, Demo, Frame, Param, Trace, Update, Values, finite, tr
from quizapp.demos.plotting import BLUE, GREEN, GREY, ORANGE, RED, PresetLimits
from quizapp.trainer import (
    Adam,
    CrossEntropyLoss,
    Embedding,
    LayerNorm,
    Linear,
    MultiheadAttention,
    Parameter,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

VOCAB = 10  # the digits 0-9
EMBED = 32
BATCH = 64
PROBE = 256
HEADS = ("1", "2", "4", "8")


def sinusoidal_encoding(length: int, dim: int) -> np.ndarray:
    """PE[pos, 2i] = sin(pos / 10000^(2i/dim)), PE[pos, 2i+1] = cos(the same), float32."""
    angle = np.arange(length)[:, None] / 10000.0 ** (np.arange(0, dim, 2)[None, :] / dim)
    pe = np.empty((length, dim), dtype=np.float32)
    pe[:, 0::2], pe[:, 1::2] = np.sin(angle), np.cos(angle)
    return pe


def source_positions(task: str, length: int) -> np.ndarray:
    """For each output position i, the input position whose token it must output."""
    if task == "reverse":
        return np.arange(length)[::-1].copy()
    return (np.arange(length) + 1) % length  # shift: y_i = x_{i+1}, wrapping around


class TinyTransformer:
    """Embedding + positional encoding → self-attention + residual → LayerNorm → Linear."""

    def __init__(self, length: int, heads: int, positional: str, seed: int) -> None:
        gen = np.random.default_rng(seed)
        self.length = length
        self.tokens = Embedding(VOCAB, EMBED, rng=gen)
        self.positions = Embedding(length, EMBED, rng=gen) if positional == "learned" else None
        self.fixed = (sinusoidal_encoding(length, EMBED) if positional == "sinusoidal"
                      else np.zeros((length, EMBED), dtype=np.float32))
        self.attention = MultiheadAttention(EMBED, heads, batch_first=True, rng=gen)
        self.norm = LayerNorm(EMBED)
        self.head = Linear(EMBED, VOCAB, rng=gen)

    def parameters(self) -> list[Parameter]:
        modules = [self.tokens, self.attention, self.norm, self.head]
        if self.positions is not None:
            modules.append(self.positions)
        return [p for m in modules for p in m.parameters()]

    def forward(self, tokens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Logits (N, L, VOCAB) and the per-head attention weights (N, heads, L, L)."""
        x = self.tokens(tokens) + self.fixed
        if self.positions is not None:
            x = x + self.positions(np.arange(self.length))
        attended, weights = self.attention(x, x, x, average_attn_weights=False)
        assert weights is not None
        return self.head(self.norm(x + attended)), weights

    def backward(self, grad_logits: np.ndarray) -> None:
        grad_sum = self.norm.backward(self.head.backward(grad_logits))
        grad_q, grad_k, grad_v = self.attention.backward(grad_sum)
        grad_x = grad_sum + grad_q + grad_k + grad_v  # residual + query, key and value paths
        self.tokens.backward(grad_x)
        if self.positions is not None:
            self.positions.backward(grad_x.sum(axis=0))  # the same rows for every sequence


class AttentionWeights(Demo):
    id = "attention-weights"
    title = Text("어텐션 가중치: 작은 트랜스포머가 배우는 패턴",
                 "Attention weights: the pattern a tiny Transformer learns")
    notice = Text(
        "시퀀스 뒤집기에서 출력 위치 i는 입력 위치 L−1−i의 토큰이 필요하므로, 올바른 어텐션은 "
        "반대 대각선입니다(빨간 네모). 처음에는 정답 키도 다른 키와 다를 바 없이 평균 1/L 정도를 "
        "받지만, 학습하면서 각 쿼리가 정답 키로 모여 300 스텝 뒤에는 가중치의 90 % 넘게 정답 키에 "
        "실리고 정확도는 100 %에 이릅니다. 어텐션 자체는 순서를 모르는(순열에 대해 등변인) "
        "연산이라 위치 인코딩을 끄면 쿼리와 키가 토큰 내용만으로 정해져, 어떤 위치를 봐야 하는지 "
        "알 수 없습니다: 가중치 지도는 균등에 가깝게 남고 정확도는 낮게 머뭅니다(약 30 %: 위치 "
        "없이 보이는 숫자들 중에서 고를 수밖에 없음). 헤드별 지도에서는 헤드마다 다른 패턴을 볼 "
        "수 있고, 큰 지도는 그 평균입니다.",
        "To reverse a sequence, output position i needs the token at input position L−1−i, so the "
        "right attention pattern is the anti-diagonal (red squares). At first the correct key "
        "gets no more weight than any other, about 1/L on average; as the model trains each query "
        "concentrates on its correct key: after 300 steps more than 90 % of the weight is on it "
        "and accuracy is 100 %. Attention itself does not know the order (it is "
        "permutation-equivariant): switch the positional encoding off and queries and keys depend "
        "on token contents only, so nothing tells a query which position to look at: the map "
        "stays close to uniform and accuracy stays low (about 30 %: without positions it can only "
        "pick among the digits it sees). The per-head maps show what each head does; the big map "
        "is their average.",
    )
    params = (
        Param("heads", Text("헤드 수", "Number of heads"), "choice", "2",
              choices=tuple(Choice(h, Text(h, h)) for h in HEADS)),
        Param("seq_len", Text("시퀀스 길이 L", "Sequence length L"), "int", 8, low=3, high=12),
        Param("positional", Text("위치 인코딩", "Positional encoding"), "choice", "learned",
              choices=(Choice("learned", Text("학습되는 위치 임베딩", "learned embedding")),
                       Choice("sinusoidal", Text("사인파 (고정)", "sinusoidal (fixed)")),
                       Choice("none", Text("없음", "none")))),
        Param("task", Text("과제", "Task"), "choice", "reverse",
              choices=(Choice("reverse", Text("뒤집기 (y_i = x_{L−1−i})",
                                              "reverse (y_i = x_{L−1−i})")),
                       Choice("shift", Text("한 칸 밀기 (y_i = x_{i+1})",
                                            "shift by one (y_i = x_{i+1})")))),
        Param("lr", Text("학습률 (Adam)", "Learning rate (Adam)"), "float", 1e-3, low=1e-4,
              high=0.1, log=True),
        Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
    )
    unit = Text("스텝", "step")
    steps = 301  # steps 0 .. 300: the map has settled on the pattern

    def frames(self, values: Values) -> Iterator[Frame]:
        length, seed = int(values["seq_len"]), int(values["seed"])
        model = TinyTransformer(length, int(values["heads"]), values["positional"], seed)
        source = source_positions(values["task"], length)
        queries = np.arange(length)
        opt = Adam(model.parameters(), lr=float(values["lr"]))
        loss_fn = CrossEntropyLoss()
        data = np.random.default_rng(seed + 1)
        probe = np.random.default_rng(seed + 2).integers(0, VOCAB, (PROBE, length))
        losses, accuracy, on_target = Trace(self.steps), Trace(self.steps), Trace(self.steps)
        step = 0
        while True:
            logits, weights = model.forward(probe)
            heads_map = weights.mean(axis=0)  # (heads, L, L), averaged over the probe batch
            mean_map = heads_map.mean(axis=0)
            accuracy.append(float((logits.argmax(axis=-1) == probe[:, source]).mean()))
            on_target.append(float(mean_map[queries, source].mean()))
            yield {
                "t": step,
                "step": step,
                "map": mean_map,
                "head_maps": heads_map,
                "loss": losses.view(),
                "accuracy": accuracy.view(),
                "on_target": on_target.view(),
                "diverged": not finite(mean_map),
            }
            step += 1
            tokens = data.integers(0, VOCAB, (BATCH, length))
            opt.zero_grad()
            logits, _ = model.forward(tokens)
            losses.append(loss_fn(logits.reshape(-1, VOCAB), tokens[:, source].reshape(-1)))
            model.backward(loss_fn.backward().reshape(logits.shape))
            opt.step()

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        length, heads = int(values["seq_len"]), int(values["heads"])
        source = source_positions(values["task"], length)
        grid = figure.add_gridspec(2, 3, width_ratios=(1.25, 0.75, 1.0))
        map_ax = figure.add_subplot(grid[:, 0])
        loss_ax, acc_ax = figure.add_subplot(grid[0, 2]), figure.add_subplot(grid[1, 2])
        rows = {1: 1, 2: 2, 4: 2, 8: 4}[heads]
        head_grid = grid[:, 1].subgridspec(rows, heads // rows)
        head_axes = [figure.add_subplot(head_grid[i // (heads // rows), i % (heads // rows)])
                     for i in range(heads)]

        # -- the head-averaged map ---------------------------------------------------------
        blank = np.full((length, length), 1.0 / length)
        image = map_ax.imshow(blank, cmap="viridis", vmin=0.0, vmax=1.0)
        figure.colorbar(image, ax=map_ax, shrink=0.7, pad=0.02)
        targets = map_ax.scatter(source, np.arange(length), marker="s", s=(150 / length) ** 2,
                                 facecolors="none", edgecolors=RED, linewidths=1.4)
        ticks = np.arange(length)
        map_ax.set_xticks(ticks)
        map_ax.set_yticks(ticks)
        map_ax.set_xlabel(tr(lang, "키 위치 j (입력)", "key position j (input)"))
        map_ax.set_ylabel(tr(lang, "쿼리 위치 i (출력)", "query position i (output)"))
        map_title = map_ax.set_title("", fontsize=10)

        head_images = []
        for k, ax in enumerate(head_axes):
            head_images.append(ax.imshow(blank, cmap="viridis", vmin=0.0, vmax=1.0))
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(tr(lang, f"헤드 {k + 1}", f"head {k + 1}"), fontsize=8, pad=2)

        # -- learning curves ---------------------------------------------------------------
        (loss_line,) = loss_ax.plot([], [], color=BLUE, linewidth=1.5)
        loss_ax.set_yscale("log")
        loss_ax.set_title(tr(lang, "학습 손실 (교차 엔트로피)", "Training loss (cross-entropy)"),
                          fontsize=10)
        loss_ax.axhline(math.log(VOCAB), color=GREY, linestyle=":", linewidth=1.2)
        loss_ax.text(0.98, math.log(VOCAB) * 1.1, tr(lang, "ln 10 (찍기)", "ln 10 (chance)"),
                     ha="right", va="bottom", color=GREY, fontsize=8,
                     transform=loss_ax.get_yaxis_transform())
        loss_ax.grid(alpha=0.3, which="both")
        (acc_line,) = acc_ax.plot([], [], color=GREEN, linewidth=1.6,
                                  label=tr(lang, "정확도 (토큰별)", "accuracy (per token)"))
        (target_line,) = acc_ax.plot([], [], color=ORANGE, linewidth=1.6,
                                     label=tr(lang, "정답 키의 어텐션 가중치",
                                              "attention weight on the correct key"))
        acc_ax.axhline(1.0 / length, color=GREY, linestyle=":", linewidth=1.2,
                       label=tr(lang, f"균등한 어텐션 1/L = {1 / length:.3g}",
                                f"uniform attention 1/L = {1 / length:.3g}"))
        acc_ax.set_ylim(0.0, 1.02)
        acc_ax.set_xlabel(tr(lang, "스텝 (Adam)", "step (Adam)"))
        legend = acc_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=7.5)
        acc_ax.grid(alpha=0.3)
        # the whole run (steps 0 .. steps - 1); grows in jumps past it
        fit_x = [PresetLimits(ax, "x", (0, self.steps - 1), jump=2.0)
                 for ax in (loss_ax, acc_ax)]
        fit_loss = PresetLimits(loss_ax, "y", (0.01, 4.0), log=True, floor=1e-6)
        setting = {"learned": tr(lang, "학습 위치 임베딩", "learned positions"),
                   "sinusoidal": tr(lang, "사인파 위치 인코딩", "sinusoidal positions"),
                   "none": tr(lang, "위치 인코딩 없음", "no positional encoding")}
        changing = draw_order([image, targets, map_title, *head_images, loss_line,
                               *loss_ax.spines.values(), acc_line, target_line,
                               *acc_ax.spines.values(), legend])

        def update(frame: Frame) -> list[Artist]:
            image.set_data(frame["map"])
            for k, head_image in enumerate(head_images):
                head_image.set_data(frame["head_maps"][k])
            on_target = frame["on_target"][-1]
            map_title.set_text(tr(
                lang, f"어텐션 가중치, 헤드 평균 (스텝 {frame['step']})\n"
                      f"{setting[values['positional']]} · 정답 키 가중치 {on_target:.2f}",
                f"Attention weights, mean over heads (step {frame['step']})\n"
                f"{setting[values['positional']]} · weight on correct key {on_target:.2f}"))
            loss = frame["loss"]
            loss_line.set_data(np.arange(1, len(loss) + 1), loss)
            metrics = frame["accuracy"]
            acc_line.set_data(np.arange(len(metrics)), metrics)
            target_line.set_data(np.arange(len(metrics)), frame["on_target"])
            for limits in fit_x:
                limits(0, max(10, frame["step"]))
            good = loss[np.isfinite(loss) & (loss > 0)]
            if len(good):
                fit_loss(good.min() * 0.8, max(good.max(), 2.5) * 1.2)
            return changing

        return update
