"""Decoding a language model: temperature, top-k, top-p (nucleus) and greedy vs sampling.

A character-level language model (the trainer's ``Embedding`` → ``LSTM`` → ``Linear``) trains
on a short built-in story with ``Adam``, then continues a prompt character by character, once
greedily (arg-max) and once by sampling. The sampling distribution is built as Hugging Face's
samplers do, in this order: softmax(z/T) (temperature), keep the k most probable characters
(top-k; exactly k, ties broken by order) and renormalise, then keep the smallest set of the
most probable ones whose probability adds up to at least p (top-p) and renormalise again.

Progress ``t`` counts steps: an Adam step per frame, then a generated character per frame. The
left panel follows the training loss, then the mean −ln p (under the model, T = 1) of each
continuation so far: the same cross-entropy, measured on the model's own text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._networks import draw_order
from quizapp.demos.base import Choice, Demo, Frame, Param, Trace, Update, Values, finite, tr
from quizapp.demos.plotting import BLUE, GREEN, GREY, ORANGE, PresetLimits, plain_log_formatter
from quizapp.trainer import LSTM, Adam, CrossEntropyLoss, Embedding, Linear, clip_grad_norm_
from quizapp.trainer import softmax as softmax_rows

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

# Written for this app (MIT, like the rest of it): a plain story with many repeated phrases,
# so that a small model learns it in a few seconds.
CORPUS = """
in a small town by a slow river there lived a baker, a cat and a dog. every morning the baker
baked bread, the cat sat on the mat and the dog sat by the door. the baker said good morning to
the cat, and the baker said good morning to the dog. the cat said nothing at all. the dog wagged
its tail. one day the baker baked a big loaf of bread and put it on the table by the window. the
cat looked at the bread. the dog looked at the bread. the baker looked at the cat and the dog and
said, this bread is not for you. the cat sat on the mat. the dog sat by the door. the bread sat
on the table. then the wind came in through the window. the wind was cold and the wind was
strong. it took the hat of the baker and it took the cloth from the table. the bread fell from
the table to the floor. the dog ran to the bread. the cat ran to the bread. the baker ran to the
bread. the bread did not run at all. the dog said the bread is mine, because i was at the door.
the cat said the bread is mine, because i was on the mat. the baker said the bread is mine,
because i baked it. they sat on the floor and they looked at the bread for a long time. at last
the baker cut the bread in three. one piece for the dog, one piece for the cat and one piece for
the baker. the dog ate the bread by the door. the cat ate the bread on the mat. the baker ate
the bread at the table. the wind went back to the river, and the town was quiet again. the next
morning the baker baked bread, the cat sat on the mat and the dog sat by the door. the baker
closed the window. the cat said nothing at all, and the dog wagged its tail.
"""
TEXT = " ".join(CORPUS.split())
CHARS = sorted(set(TEXT))
INDEX = {c: i for i, c in enumerate(CHARS)}
VOCAB = len(CHARS)
DATA = np.array([INDEX[c] for c in TEXT])
PROMPTS = ("the cat sat on the ", "one day the ", "the dog said ")

EMBED, HIDDEN = 16, 48
WINDOW, BATCH, LR = 32, 32, 5e-3
TRAIN_STEPS = 300  # frames of training (one Adam step each), then one character per frame
GENERATE = 160  # characters generated after the prompt
MIN_LOOP = 30  # a repeat counts as a loop when it covers at least this many characters
CUT_K, CUT_P = "#d0d7de", "#f6d28b"  # bars of characters cut by top-k, by top-p


def shown(char: str) -> str:
    """A character as a bar label: the space as ␣."""
    return "␣" if char == " " else char


@dataclass(frozen=True)
class Decoded:
    """One next-character distribution, step by step through the sampler."""

    p_temp: np.ndarray  # softmax(z / T)
    keep_k: np.ndarray  # bool: among the top k (all True when top-k is off)
    p_k: np.ndarray  # p_temp restricted to the top k, renormalised
    keep: np.ndarray  # bool: also in the top-p nucleus of p_k
    final: np.ndarray  # what is sampled from: p_k restricted to ``keep``, renormalised


def decode_distribution(logits: np.ndarray, temperature: float, top_k: int,
                        top_p: float) -> Decoded:
    """Temperature, then top-k (``top_k`` 0 = off), then top-p (``top_p`` 1 = off)."""
    p_temp = softmax_rows(logits.astype(np.float64) / temperature)
    order = np.argsort(-p_temp, kind="stable")
    keep_k = np.ones(len(p_temp), dtype=bool)
    if 0 < top_k < len(p_temp):
        keep_k[order[top_k:]] = False
    p_k = np.where(keep_k, p_temp, 0.0)
    p_k /= p_k.sum()
    # the smallest prefix of the sorted p_k whose mass reaches top_p (at least one character);
    # the tolerance keeps 0.5 + 0.3 "reaching" 0.8 despite rounding
    mass = np.cumsum(p_k[order])
    size = min(int(np.searchsorted(mass, top_p - 1e-9)) + 1, int(keep_k.sum()))
    keep = np.zeros(len(p_temp), dtype=bool)
    keep[order[:size]] = True
    final = np.where(keep, p_k, 0.0)
    return Decoded(p_temp, keep_k, p_k, keep, final / final.sum())


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """ln softmax(z) at T = 1, in float64."""
    z = logits.astype(np.float64)
    shifted: np.ndarray = z - z.max()
    result: np.ndarray = shifted - np.log(np.exp(shifted).sum())
    return result


def loop_period(text: str) -> tuple[int, int] | None:
    """The shortest period P with which the end of ``text`` repeats, and how many characters
    the repetition covers (at least 2P and MIN_LOOP); None when the end does not repeat."""
    for period in range(1, len(text) // 2 + 1):
        span = period
        while span < len(text) and text[-span - 1] == text[-span - 1 + period]:
            span += 1
        if span >= max(2 * period, MIN_LOOP):
            return period, span
    return None


class CharModel:
    """Embedding → LSTM → Linear over characters, trained on random windows of the story."""

    def __init__(self, seed: int = 0) -> None:
        gen = np.random.default_rng(seed)
        self.embed = Embedding(VOCAB, EMBED, rng=gen)
        self.lstm = LSTM(EMBED, HIDDEN, batch_first=True, rng=gen)
        self.head = Linear(HIDDEN, VOCAB, rng=gen)
        self.params = self.embed.parameters() + self.lstm.parameters() + self.head.parameters()
        self.opt = Adam(self.params, lr=LR)
        self.loss_fn = CrossEntropyLoss()
        self.data = np.random.default_rng(seed + 1)

    def train_step(self) -> float:
        """One Adam step on BATCH windows: predict every next character (gradient clipped)."""
        starts = self.data.integers(0, len(DATA) - WINDOW - 1, BATCH)
        rows = starts[:, None] + np.arange(WINDOW + 1)
        x, y = DATA[rows[:, :-1]], DATA[rows[:, 1:]]
        self.opt.zero_grad()
        out, _ = self.lstm(self.embed(x))
        logits = self.head(out)
        loss = self.loss_fn(logits.reshape(-1, VOCAB), y.reshape(-1))
        grad_out, _ = self.lstm.backward(
            self.head.backward(self.loss_fn.backward().reshape(logits.shape)))
        self.embed.backward(grad_out)
        clip_grad_norm_(self.params, 1.0)
        self.opt.step()
        return loss

    def read(self, text: str, state: tuple[np.ndarray, np.ndarray] | None = None,
             ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """Feed ``text`` from ``state``: the logits for the next character and the new state."""
        out, state = self.lstm(self.embed(np.array([[INDEX[c] for c in text]])), state)
        return self.head(out[0, -1]), state


class Decoding(Demo):
    id = "decoding"
    title = Text("디코딩: 온도, top-k, top-p, 탐욕 vs 샘플링",
                 "Decoding: temperature, top-k, top-p, greedy vs sampling")
    notice = Text(
        "먼저 작은 문자 단위 LSTM이 짧은 이야기를 학습하고(300스텝 동안 손실 3.3 → 0.5), 이어서 "
        "프롬프트 뒤를 한 스텝에 한 글자씩 잇습니다. 막대는 다음 글자의 분포 softmax(z/T)이고 "
        "테두리는 T=1입니다. T를 0 쪽으로 낮추면 확률이 최댓값(argmax) 하나로 몰려 샘플링이 탐욕 "
        "디코딩과 같아지고, T를 키우면 분포가 평평해집니다. top-k는 확률이 큰 글자를 정확히 "
        "k개만 남기고, top-p(뉴클리어스)는 확률 순으로 더해 합이 처음 p 이상이 되는 가장 작은 "
        "집합만 남깁니다(오른쪽 누적 그래프). 남은 글자에서 다시 정규화해 뽑습니다. 탐욕 "
        "디코딩은 매번 가장 그럴듯한 글자만 고르므로 같은 구절을 되풀이하는 고리에 빠지고, "
        "샘플링은 그 고리를 벗어납니다. 왼쪽, 300스텝 뒤: 모델(T=1)이 본 각 이어 쓰기의 평균 −ln "
        "p입니다. 기본 설정에서는 탐욕 디코딩의 글이 더 그럴듯한데도(0.26, 샘플은 0.40) 고리에 "
        "빠집니다. 온도나 top-k·top-p를 바꾸면 샘플의 값도 달라집니다.",
        "First a small character-level LSTM learns a short story (the loss falls from 3.3 to 0.5 "
        "in 300 steps), then it continues the prompt one character a step. The bars are the "
        "next-character distribution softmax(z/T); outlines show T = 1. Lower T towards 0 and "
        "the probability piles onto the arg-max, so sampling becomes greedy decoding; raise T "
        "and the distribution flattens. Top-k keeps exactly the k most probable characters; "
        "top-p (nucleus) keeps the smallest set of most probable characters whose probability "
        "adds up to at least p (right: cumulative mass). Sampling renormalises over what is "
        "kept. Greedy decoding always takes the single most likely character, so it falls into a "
        "loop that repeats the same phrase; sampling breaks out of it. Left, after step 300: the "
        "mean −ln p of each continuation under the model (T = 1): the greedy text is the more "
        "probable one (at the default settings, 0.26 against the sample's 0.40), and yet it "
        "loops; other temperatures, top-k or top-p change the sample's value.",
    )
    params = (
        Param("temperature", Text("온도 T", "Temperature T"), "float", 0.7, low=0.01,
              high=5.0, log=True),
        Param("top_k", Text(f"top-k (0 = 끄기, 최대 {VOCAB})", f"top-k (0 = off, at most {VOCAB})"),
              "int", 8, low=0, high=VOCAB),
        Param("top_p", Text("top-p (1 = 끄기)", "top-p (1 = off)"), "float", 0.9, low=0.05,
              high=1.0),
        Param("prompt", Text("프롬프트", "Prompt"), "choice", PROMPTS[0],
              choices=tuple(Choice(p, Text(f"“{p.strip()} …”", f"“{p.strip()} …”"))
                            for p in PROMPTS)),
        Param("seed", Text("샘플링 시드", "Sampling seed"), "int", 0, low=0, high=99),
    )
    unit = Text("스텝", "step")  # an Adam step, then a generated character
    steps = TRAIN_STEPS + GENERATE

    def frames(self, values: Values) -> Iterator[Frame]:
        temperature, top_k = float(values["temperature"]), int(values["top_k"])
        top_p, prompt = float(values["top_p"]), str(values["prompt"])
        model = CharModel()
        losses = Trace(TRAIN_STEPS)
        surprisal = Trace(GENERATE, 2)  # −ln p (T = 1) of each character: sampled, greedy

        def frame(step: int, context: str, logits: np.ndarray, greedy: str, sampled: str,
                  chosen: int | None) -> Frame:
            return {
                "t": step,
                "step": step,
                "loss": losses.view(),
                "surprisal": surprisal.view(),
                "context": context,
                "logits": logits,
                "decoded": decode_distribution(logits, temperature, top_k, top_p),
                "chosen": chosen,
                "greedy": greedy,
                "sampled": sampled,
                "diverged": not finite(logits),
            }

        for step in range(1, TRAIN_STEPS + 1):
            losses.append(model.train_step())
            yield frame(step, prompt, model.read(prompt)[0], "", "", None)
        sampler = np.random.default_rng(int(values["seed"]))
        logits, state = model.read(prompt)
        greedy_logits, greedy_state = logits, state
        greedy = sampled = ""
        for step in range(TRAIN_STEPS + 1, TRAIN_STEPS + GENERATE + 1):
            decoded = decode_distribution(logits, temperature, top_k, top_p)
            chosen = int(sampler.choice(VOCAB, p=decoded.final))
            best = int(np.argmax(greedy_logits))
            context = prompt + sampled
            surprisal.append(-float(log_softmax(logits)[chosen]),
                             -float(log_softmax(greedy_logits)[best]))
            greedy += CHARS[best]
            sampled += CHARS[chosen]
            yield frame(step, context, logits, greedy, sampled, chosen)
            logits, state = model.read(CHARS[chosen], state)
            greedy_logits, greedy_state = model.read(CHARS[best], greedy_state)

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        from matplotlib.patches import Patch

        temperature, top_k = float(values["temperature"]), int(values["top_k"])
        top_p, prompt = float(values["top_p"]), str(values["prompt"])
        grid = figure.add_gridspec(2, 3, width_ratios=(0.8, 2.2, 0.9), height_ratios=(1.9, 1))
        loss_ax, bar_ax, mass_ax = (figure.add_subplot(grid[0, i]) for i in range(3))
        text_ax = figure.add_subplot(grid[1, :])

        # -- training loss -----------------------------------------------------------------
        (loss_line,) = loss_ax.plot([], [], color=BLUE, linewidth=1.2,
                                    label=tr(lang, "학습 (배치)", "training (batch)"))
        (sampled_line,) = loss_ax.plot([], [], color=GREEN, linewidth=1.6,
                                       label=tr(lang, "샘플링한 글", "sampled text"))
        (greedy_line,) = loss_ax.plot([], [], color="black", linewidth=1.6, linestyle="--",
                                      label=tr(lang, "탐욕 디코딩 글", "greedy text"))
        loss_ax.axvline(TRAIN_STEPS + 0.5, color=GREY, linestyle=":", linewidth=1.0)
        loss_ax.set_yscale("log")
        loss_ax.yaxis.set_major_formatter(plain_log_formatter())
        loss_ax.yaxis.set_minor_formatter(plain_log_formatter(label_only_base=False))
        loss_ax.set_title(tr(lang, "교차 엔트로피: 학습 손실,\n이어서 생성한 글의 평균 −ln p",
                             "Cross-entropy: training loss,\nthen mean −ln p of the text"),
                          fontsize=10)
        loss_ax.set_xlabel(tr(lang, f"스텝 (Adam, {TRAIN_STEPS} 뒤로는\n생성한 글자당 하나)",
                              f"step (Adam; after {TRAIN_STEPS},\none per generated character)"))
        loss_ax.grid(alpha=0.3, which="both")
        loss_ax.legend(loc="upper right", fontsize=7)
        fit_loss = PresetLimits(loss_ax, "y", (0.15, 4.0), log=True, floor=1e-3)
        loss_ax.set_xlim(0, TRAIN_STEPS + GENERATE)  # the whole run

        # -- the next-character distribution --------------------------------------------------
        xs = np.arange(VOCAB)
        bars = bar_ax.bar(xs, np.zeros(VOCAB), width=0.62, color=BLUE)
        outline = bar_ax.bar(xs, np.zeros(VOCAB), width=0.8, fill=False, edgecolor=GREY,
                             linewidth=1.0, zorder=2.5)
        (marker,) = bar_ax.plot([], [], "v", color=GREEN, markersize=9)
        legend = bar_ax.legend(
            [outline[0], bars[0], Patch(color=CUT_K), Patch(color=CUT_P), marker],
            ["softmax(z) (T = 1)", tr(lang, f"softmax(z/T), T = {temperature:g}: 남음",
                                      f"softmax(z/T), T = {temperature:g}: kept"),
             tr(lang, "top-k로 제외", "cut by top-k"), tr(lang, "top-p로 제외", "cut by top-p"),
             tr(lang, "뽑힌 글자", "sampled character")],
            loc="upper center", fontsize=8, ncol=3)
        bar_ax.set_xticks(xs, [shown(c) for c in CHARS], fontsize=9)
        bar_ax.set_xlim(-0.6, VOCAB - 0.4)
        bar_ax.set_ylim(0, 1.3)  # room above 1 for the legend
        bar_ax.set_yticks(np.linspace(0, 1, 6))
        bar_ax.set_ylabel(tr(lang, "확률", "probability"))
        bar_title = bar_ax.set_title("", fontsize=10)
        bar_ax.grid(alpha=0.3, axis="y")

        # -- cumulative mass of the sorted (top-k) distribution ---------------------------------
        ranks = np.arange(1, VOCAB + 1)
        (mass_line,) = mass_ax.step(ranks, np.zeros(VOCAB), where="mid", color=BLUE,
                                    linewidth=1.5)
        (kept_dots,) = mass_ax.plot([], [], "o", color=BLUE, markersize=4)
        mass_ax.axhline(top_p, color=ORANGE, linestyle="--", linewidth=1.2)
        mass_ax.text(VOCAB, top_p - 0.02, f"p = {top_p:g}", ha="right", va="top", fontsize=8,
                     color=ORANGE)
        if 0 < top_k < VOCAB:
            mass_ax.axvline(top_k + 0.5, color=GREY, linestyle=":", linewidth=1.2)
            mass_ax.text(top_k + 0.7, 0.04, f"k = {top_k}", fontsize=8, color=GREY)
        mass_ax.set_xlim(0.5, VOCAB + 0.5)
        mass_ax.set_ylim(0, 1.04)
        mass_ax.set_xlabel(tr(lang, "순위", "rank"))
        mass_ax.set_title(tr(lang, "누적 확률\n(top-k 뒤, 확률 순)",
                             "Cumulative mass\n(after top-k, sorted)"), fontsize=10)
        mass_ax.grid(alpha=0.3)

        # -- the continuations -----------------------------------------------------------------
        text_ax.set_axis_off()
        text_ax.set_xlim(0, 1)
        text_ax.set_ylim(0, 1)
        setting = f"T = {temperature:g}, top-k = {top_k or tr(lang, '끔', 'off')}, " \
                  f"top-p = {top_p:g}"
        text_ax.text(0.0, 0.97, tr(lang, "탐욕 (argmax):", "greedy (arg-max):"), fontsize=9,
                     va="top", fontweight="bold")
        text_ax.text(0.0, 0.47, tr(lang, f"샘플링 ({setting}):", f"sampling ({setting}):"),
                     fontsize=9, va="top", fontweight="bold")
        greedy_text, sampled_text = (
            text_ax.text(0.0, y, "", family="monospace", fontsize=8.5, va="top",
                         linespacing=1.35) for y in (0.82, 0.32))
        loop_text = text_ax.text(1.0, 0.97, "", fontsize=9, va="top", ha="right", color=ORANGE)

        changing = draw_order([loss_line, sampled_line, greedy_line, *loss_ax.spines.values(),
                               *outline, *bars, marker, bar_title, legend, mass_line, kept_dots,
                               greedy_text, sampled_text, loop_text])
        width = 96  # characters per line of the continuations

        def wrap(text: str) -> str:
            body = prompt + text
            return "\n".join(body[i:i + width] for i in range(0, len(body), width))

        def update(frame: Frame) -> list[Artist]:
            loss = frame["loss"]
            loss_line.set_data(np.arange(1, len(loss) + 1), loss)
            surprisal = frame["surprisal"]  # (characters so far, 2)
            count = np.arange(1, len(surprisal) + 1)
            mean_so_far = np.cumsum(surprisal, axis=0) / count[:, None]
            sampled_line.set_data(TRAIN_STEPS + count, mean_so_far[:, 0])
            greedy_line.set_data(TRAIN_STEPS + count, mean_so_far[:, 1])
            both = np.concatenate([loss, mean_so_far.ravel()])
            good = both[np.isfinite(both) & (both > 0)]
            if len(good):
                fit_loss(good.min() * 0.8, good.max() * 1.2)
            decoded: Decoded = frame["decoded"]
            p1 = softmax_rows(frame["logits"].astype(np.float64))
            for i in range(VOCAB):
                outline[i].set_height(p1[i])
                bars[i].set_height(decoded.p_temp[i])
                bars[i].set_color(BLUE if decoded.keep[i] else
                                  CUT_P if decoded.keep_k[i] else CUT_K)
            chosen = frame["chosen"]
            if chosen is None:
                marker.set_data([], [])
            else:
                marker.set_data([chosen], [min(float(decoded.p_temp[chosen]) + 0.06, 1.03)])
            kept = int(decoded.keep.sum())
            tail = frame["context"][-24:]
            bar_title.set_text(tr(
                lang, f"'…{tail}' 다음 글자 (스텝 {frame['step']}) · 남은 글자 {kept}개",
                f"Next character after '…{tail}' (step {frame['step']}) · {kept} kept"))
            order = np.argsort(-decoded.p_k, kind="stable")
            mass = np.cumsum(decoded.p_k[order])
            mass_line.set_ydata(mass)
            kept_dots.set_data(ranks[:kept], mass[:kept])
            greedy_text.set_text(wrap(frame["greedy"]))
            sampled_text.set_text(wrap(frame["sampled"]))
            loop = loop_period(frame["greedy"])
            loop_text.set_text("" if loop is None else tr(
                lang, f"탐욕 디코딩이 {loop[0]}글자마다 되풀이됨 (마지막 {loop[1]}글자)",
                f"greedy repeats every {loop[0]} characters (last {loop[1]})"))
            return changing

        return update
