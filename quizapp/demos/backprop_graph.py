"""Backpropagation on a computation graph: f = (x·y + z)·σ(w), one node per frame.

Forward values are computed node by node; then the backward pass starts from ∂f/∂f = 1 and
applies each node's local derivative (the chain rule). The sigmoid node is the trainer's
``Sigmoid`` module (its ``backward`` gives σ'(w)), and every gradient is checked against a
central difference from the trainer's ``numerical_gradient``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from quizapp.content.model import Text
from quizapp.demos._networks import draw_order
from quizapp.demos.base import Demo, Frame, Param, Update, Values, tr
from quizapp.demos.plotting import CRIMSON, GREEN, GREY
from quizapp.trainer import Sigmoid, numerical_gradient, sigmoid

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

INPUTS = ("x", "y", "z", "w")
FORWARD = ("a", "b", "c", "f")
BACKWARD = ("f", "b", "c", "a", "z", "w", "x", "y")
NODES = INPUTS + FORWARD
LABEL = {"x": "x", "y": "y", "z": "z", "w": "w", "a": "a = x·y", "b": "b = a + z",
         "c": "c = σ(w)", "f": "f = b·c"}
POSITION = {"x": (0.0, 3.6), "y": (0.0, 2.4), "z": (0.0, 1.2), "w": (0.0, 0.0),
            "a": (2.3, 3.0), "b": (4.6, 2.1), "c": (2.3, 0.0), "f": (6.9, 1.05)}
EDGES = (("x", "a"), ("y", "a"), ("a", "b"), ("z", "b"), ("w", "c"), ("b", "f"), ("c", "f"))


def evaluate(inputs: dict[str, float], override: dict[str, float] | None = None
             ) -> dict[str, float]:
    """Every node's value; ``override`` pins a node (to differentiate with respect to it)."""
    pin = override or {}
    v = {k: pin.get(k, inputs[k]) for k in INPUTS}
    v["a"] = pin.get("a", v["x"] * v["y"])
    v["b"] = pin.get("b", v["a"] + v["z"])
    v["c"] = pin.get("c", float(sigmoid(np.array(v["w"], dtype=np.float64))))
    v["f"] = pin.get("f", v["b"] * v["c"])
    return v


def backward(v: dict[str, float]) -> tuple[dict[str, float], dict[str, str]]:
    """∂f/∂node for every node (chain rule, in BACKWARD order) and how each was obtained."""
    g: dict[str, float] = {"f": 1.0}
    how = {"f": "∂f/∂f = 1"}
    g["b"] = g["f"] * v["c"]
    how["b"] = f"∂f/∂b = ∂f/∂f · c = 1 × {v['c']:.4f}"
    g["c"] = g["f"] * v["b"]
    how["c"] = f"∂f/∂c = ∂f/∂f · b = 1 × {v['b']:.4f}"
    g["a"] = g["b"] * 1.0
    how["a"] = f"∂f/∂a = ∂f/∂b · 1 = {g['b']:.4f}"
    g["z"] = g["b"] * 1.0
    how["z"] = f"∂f/∂z = ∂f/∂b · 1 = {g['b']:.4f}"
    gate = Sigmoid()
    gate(np.array([v["w"]]))
    dsig = float(gate.backward(np.ones(1))[0])  # σ'(w) = σ(w)(1 − σ(w))
    g["w"] = g["c"] * dsig
    how["w"] = f"∂f/∂w = ∂f/∂c · σ′(w) = {g['c']:.4f} × {dsig:.4f}"
    g["x"] = g["a"] * v["y"]
    how["x"] = f"∂f/∂x = ∂f/∂a · y = {g['a']:.4f} × {v['y']:.4f}"
    g["y"] = g["a"] * v["x"]
    how["y"] = f"∂f/∂y = ∂f/∂a · x = {g['a']:.4f} × {v['x']:.4f}"
    return g, how


def numeric(inputs: dict[str, float], h: float) -> dict[str, float]:
    """Central-difference ∂f/∂node: perturb the node, recompute everything downstream."""
    out = {}
    base = evaluate(inputs)
    for node in NODES:
        cell = np.array([base[node]], dtype=np.float64)

        def f(node: str = node, cell: np.ndarray = cell) -> float:
            return evaluate(inputs, {node: float(cell[0])})["f"]

        out[node] = float(numerical_gradient(f, cell, h=h)[0])
    return out


class BackpropGraph(Demo):
    id = "backprop-graph"
    title = Text("계산 그래프에서의 역전파: f = (x·y + z)·σ(w)",
                 "Backpropagation on a computation graph: f = (x·y + z)·σ(w)")
    notice = Text(
        "순전파는 입력에서 출력으로 노드 값을 계산하고, 역전파는 ∂f/∂f = 1에서 시작해 각 노드의 "
        "국소 미분을 곱해 갑니다(연쇄 법칙). 덧셈 노드는 기울기를 그대로 나눠 주고, 곱셈 노드는 "
        "상대 입력값을 곱해 주며, 시그모이드는 σ(w)(1−σ(w))를 곱합니다. 마지막에 중앙 차분 "
        "(f(v+h) − f(v−h))/2h과 비교하면 모든 기울기가 소수점 아래 열 자리 가까이 일치합니다"
        "(h = 10⁻⁵에서 차이 10⁻¹⁰ 미만).",
        "The forward pass computes node values from inputs to output; the backward pass starts "
        "at ∂f/∂f = 1 and multiplies each node's local derivative (the chain rule). An add node "
        "passes the gradient through unchanged, a multiply node scales it by the other input, "
        "and the sigmoid multiplies by σ(w)(1−σ(w)). At the end every gradient is compared with "
        "the central difference (f(v+h) − f(v−h))/2h and agrees to about ten decimal places "
        "(differences below 10⁻¹⁰ with h = 10⁻⁵).",
    )
    params = (
        Param("x", Text("입력 x", "Input x"), "float", 3.0, low=-5.0, high=5.0),
        Param("y", Text("입력 y", "Input y"), "float", -2.0, low=-5.0, high=5.0),
        Param("z", Text("입력 z", "Input z"), "float", 4.0, low=-5.0, high=5.0),
        Param("w", Text("입력 w", "Input w"), "float", 0.5, low=-5.0, high=5.0),
        Param("h", Text("수치 미분 간격 h", "Numerical step h"), "float", 1e-5, low=1e-9,
              high=0.5, log=True),
    )
    #: a frame is one stage: the inputs, one node forward, one node backward, the check
    unit = Text("단계", "stage")
    steps = 14  # 1 + 4 forward + 8 backward + 1 check: the generator ends there

    def frames(self, values: Values) -> Iterator[Frame]:
        inputs = {k: float(values[k]) for k in INPUTS}
        v = evaluate(inputs)
        g, how = backward(v)
        num = numeric(inputs, float(values["h"]))
        shown_v = {k: v[k] for k in INPUTS}
        shown_g: dict[str, float] = {}
        common = {"analytic": g, "numeric": num, "values": v}
        log: list[str] = []
        stage = [0]

        def frame(phase: str, current: str | None, note: str) -> Frame:
            if note:
                log.append(note)
            stage[0] += 1
            return {**common, "t": stage[0], "phase": phase, "current": current, "note": note,
                    "log": list(log), "shown_values": dict(shown_v),
                    "shown_grads": dict(shown_g)}

        yield frame("start", None, "")
        for node in FORWARD:
            shown_v[node] = v[node]
            yield frame("forward", node, f"{LABEL[node]} = {v[node]:.4f}")
        log.clear()
        for node in BACKWARD:
            shown_g[node] = g[node]
            yield frame("backward", node, how[node])
        yield frame("check", None, "")

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        from matplotlib.patches import FancyBboxPatch

        graph_ax, text_ax = figure.subplots(1, 2, width_ratios=(1.75, 1))
        graph_ax.set_xlim(-0.9, 7.9)
        graph_ax.set_ylim(-0.9, 4.4)
        graph_ax.axis("off")
        text_ax.axis("off")
        w_box, h_box = 1.45, 0.62
        arrows = [graph_ax.annotate("", xy=(x1 - w_box / 2, y1), xytext=(x0 + w_box / 2, y0),
                                    arrowprops={"arrowstyle": "-|>", "color": GREY, "lw": 1.2})
                  for (x0, y0), (x1, y1) in ((POSITION[s], POSITION[d]) for s, d in EDGES)]
        boxes, names, value_texts, grad_texts = {}, {}, {}, {}
        for node, (x, y) in POSITION.items():
            box = FancyBboxPatch((x - w_box / 2, y - h_box / 2), w_box, h_box,
                                 boxstyle="round,pad=0.05", facecolor="white",
                                 edgecolor="black", linewidth=1.2)
            graph_ax.add_patch(box)
            boxes[node] = box
            names[node] = graph_ax.text(x, y, LABEL[node], ha="center", va="center",
                                        fontsize=10.5)
            value_texts[node] = graph_ax.text(x, y + h_box / 2 + 0.1, "", ha="center",
                                              va="bottom", fontsize=9.5, color=GREEN)
            grad_texts[node] = graph_ax.text(x, y - h_box / 2 - 0.1, "", ha="center",
                                             va="top", fontsize=9.5, color=CRIMSON)
        graph_ax.text(-0.9, 4.4, tr(lang, "초록: 순전파 값   빨강: 역전파 기울기 ∂f/∂·",
                                    "green: forward value   red: backward gradient ∂f/∂·"),
                      fontsize=9, va="top")
        title = graph_ax.set_title("", fontsize=11)
        note = text_ax.text(0.0, 0.98, "", va="top", ha="left", fontsize=9.5,
                            linespacing=1.6, transform=text_ax.transAxes)
        header = ["", tr(lang, "역전파", "backprop"), tr(lang, "수치 미분", "numeric"), "|diff|"]
        order = BACKWARD[::-1]
        table = text_ax.table(cellText=[header] + [[n, "", "", ""] for n in order],
                              colWidths=(0.12, 0.31, 0.31, 0.26), cellLoc="right",
                              bbox=(0.0, 0.05, 1.0, 0.62))
        table.auto_set_font_size(False)
        table.set_fontsize(9)
        table.set_visible(False)
        cells = table.get_celld()
        h = float(values["h"])
        phase_title = {
            "start": tr(lang, "입력값", "Inputs"),
            "forward": tr(lang, "순전파 (입력 → 출력)", "Forward pass (inputs → output)"),
            "backward": tr(lang, "역전파 (출력 → 입력)", "Backward pass (output → inputs)"),
            "check": tr(lang, "수치 기울기로 검산", "Numerical gradient check"),
        }
        # the node names and the arrow heads lie on top of the boxes whose colour changes, so
        # they are redrawn after them
        changing = draw_order([*boxes.values(), *arrows, *names.values(), *value_texts.values(),
                               *grad_texts.values(), title, note, table])

        def update(frame: Frame) -> list[Artist]:
            for node in NODES:
                boxes[node].set_facecolor("#fff3b0" if node == frame["current"] else "white")
                value = frame["shown_values"].get(node)
                value_texts[node].set_text("" if value is None else f"{value:.4f}")
                grad = frame["shown_grads"].get(node)
                grad_texts[node].set_text("" if grad is None else f"{grad:.4f}")
            title.set_text(phase_title[frame["phase"]])
            note.set_text("\n".join(frame["log"]))
            table.set_visible(frame["phase"] == "check")
            if frame["phase"] != "check":
                return changing
            note.set_text(tr(lang, f"중앙 차분 (f(v+h) − f(v−h)) / 2h,\nh = {h:.0e}",
                             f"central difference (f(v+h) − f(v−h)) / 2h,\nh = {h:.0e}"))
            for row, node in enumerate(order, start=1):
                a, n = frame["analytic"][node], frame["numeric"][node]
                cells[row, 1].get_text().set_text(f"{a:.6f}")
                cells[row, 2].get_text().set_text(f"{n:.6f}")
                cells[row, 3].get_text().set_text(f"{abs(a - n):.1e}")
            return changing

        return update
