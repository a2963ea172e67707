"""Optimizer race: SGD, momentum, Nesterov, AdaGrad, RMSprop and Adam on 2-D loss surfaces.

Each optimizer is the trainer's own (``quizapp.trainer.optim``) stepping a 2-vector
``Parameter`` whose gradient is the surface's exact gradient.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from quizapp.content.model import Text
from quizapp.demos.base import Choice, Demo, Frame, Param, Trace, Update, Values, finite, tr
from quizapp.demos.plotting import BLUE, GREEN, GREY, ORANGE, PURPLE, RED, grow_limit
from quizapp.trainer import SGD, Adagrad, Adam, Optimizer, Parameter, RMSprop

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

Vec = NDArray[np.float64]
#: A coordinate: one point (floats) or a grid of points (arrays), for ``LossFn``.
C = TypeVar("C", float, Vec)
ESCAPED = 1e6  # a coordinate beyond this means the optimizer has diverged


class LossFn(Protocol):
    """A loss surface f(x, y), at one point or at every point of a grid."""

    def __call__(self, x: C, y: C, /) -> C: ...


@dataclass(frozen=True)
class Surface:
    """A 2-D loss function with its exact gradient, a start point and a view window."""

    label: Text
    f: LossFn
    grad: Callable[[Vec], Vec]
    start: tuple[float, float]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    minimum: tuple[float, float]


def _ravine_f(x: C, y: C) -> C:
    return 0.5 * (x**2 + 20.0 * y**2)


def _rosenbrock_f(x: C, y: C) -> C:
    return (1 - x) ** 2 + 100.0 * (y - x**2) ** 2


def _saddle_f(x: C, y: C) -> C:
    return 0.5 * x**2 - 0.5 * y**2 + 0.125 * y**4


def _beale_f(x: C, y: C) -> C:
    return ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2
            + (2.625 - x + x * y**3) ** 2)


def _beale_grad(p: Vec) -> Vec:
    x, y = p
    a, b, c = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
    return np.array([
        2 * a * (y - 1) + 2 * b * (y**2 - 1) + 2 * c * (y**3 - 1),
        2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y**2,
    ])


SURFACES: dict[str, Surface] = {
    "ravine": Surface(
        Text("좁은 골짜기 (조건수 20인 이차식)", "Ravine (quadratic, condition number 20)"),
        _ravine_f, lambda p: np.array([p[0], 20.0 * p[1]]),
        start=(-4.0, 1.0), xlim=(-4.5, 4.5), ylim=(-1.6, 1.6), minimum=(0.0, 0.0)),
    "rosenbrock": Surface(
        Text("로젠브록 (굽은 골짜기)", "Rosenbrock (curved valley)"),
        _rosenbrock_f,
        lambda p: np.array([-2 * (1 - p[0]) - 400.0 * p[0] * (p[1] - p[0] ** 2),
                            200.0 * (p[1] - p[0] ** 2)]),
        start=(-1.5, 2.0), xlim=(-2.0, 2.0), ylim=(-1.0, 3.0), minimum=(1.0, 1.0)),
    "saddle": Surface(
        Text("안장점", "Saddle point"),
        _saddle_f, lambda p: np.array([p[0], -p[1] + 0.5 * p[1] ** 3]),
        start=(2.5, 0.01), xlim=(-3.0, 3.0), ylim=(-2.5, 2.5), minimum=(0.0, np.sqrt(2.0))),
    "beale": Surface(
        Text("빌 함수 (평평한 고원)", "Beale (flat plateaus)"),
        _beale_f, _beale_grad,
        start=(1.0, 1.4), xlim=(-1.0, 4.0), ylim=(-1.5, 2.0), minimum=(3.0, 0.5)),
}

OPTIMIZERS = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam")
COLORS = dict(zip(OPTIMIZERS, (GREY, RED, PURPLE, ORANGE, GREEN, BLUE), strict=True))


def make_optimizer(name: str, p: Parameter, lr: float, adaptive_lr: float,
                   momentum: float) -> Optimizer:
    """The trainer optimizer for one racer (SGD-family share ``lr``, adaptive ones theirs)."""
    if name == "SGD":
        return SGD([p], lr=lr)
    if name == "Momentum":
        return SGD([p], lr=lr, momentum=momentum)
    if name == "Nesterov":
        # PyTorch refuses nesterov=True without momentum; at μ = 0 Nesterov is plain SGD.
        return SGD([p], lr=lr, momentum=momentum, nesterov=momentum > 0)
    if name == "AdaGrad":
        return Adagrad([p], lr=adaptive_lr)
    if name == "RMSprop":
        return RMSprop([p], lr=adaptive_lr)
    if name == "Adam":
        return Adam([p], lr=adaptive_lr)
    raise ValueError(f"unknown optimizer {name!r}")


class OptimizerRace(Demo):
    id = "optimizer-race"
    title = Text("옵티마이저 경주: 2차원 손실 지형", "Optimizer race on 2-D loss surfaces")
    notice = Text(
        "기본값에서 모든 방법은 y 방향이 x 방향보다 20배 가파른 골짜기의 (−4, 1)에서 출발합니다. "
        "모멘텀은 최솟값을 크게 지나쳤다가(x ≈ 2까지) 돌아오고(오버슈팅), 네스테로프는 미리 "
        "내다본 위치의 기울기를 쓰기 때문에 덜 지나칩니다(x ≈ 1.4). AdaGrad·RMSprop·Adam은 "
        "좌표마다 그 좌표의 기울기 크기로 보폭을 나누므로 첫 스텝이 x와 y로 같은 길이입니다: "
        "SGD처럼 가파른 y 방향으로 곧장 내려가지 않고 대각선으로 출발합니다. AdaGrad는 기울기 "
        "제곱이 계속 쌓여 점점 느려지고, 150 스텝 뒤에도 최솟값에서 멉니다. SGD 학습률을 0.09로 "
        "올리면 SGD가 가파른 y 방향으로 크게 지그재그하고(스텝마다 y의 부호가 바뀌고 80%가 "
        "남음), 안정한 학습률 범위가 더 좁은 네스테로프는 발산합니다.",
        "With the defaults every method starts at (−4, 1) in a ravine 20 times steeper in y "
        "than in x. Momentum swings far past the minimum (to x ≈ 2) and back (overshooting), "
        "while Nesterov, which takes the gradient at the look-ahead point, overshoots less "
        "(x ≈ 1.4). AdaGrad, RMSprop and Adam divide each coordinate's step by that "
        "coordinate's gradient size, so their first step is as long in x as in y: they set off "
        "diagonally instead of straight down the steep y slope like SGD. AdaGrad keeps slowing "
        "down as squared gradients pile up and is still far from the minimum after 150 steps. "
        "Raise the SGD learning rate to 0.09: SGD zig-zags hard across the steep y direction "
        "(every step flips y and keeps 80 % of it), and Nesterov, whose stable range of "
        "learning rates is narrower, diverges.",
    )
    params = (
        Param("surface", Text("손실 지형", "Surface"), "choice", "ravine",
              choices=tuple(Choice(k, s.label) for k, s in SURFACES.items())),
        Param("lr", Text("학습률 (SGD 계열)", "Learning rate (SGD family)"), "float", 0.06,
              low=1e-4, high=0.2, log=True),
        Param("adaptive_lr", Text("학습률 (적응형)", "Learning rate (adaptive)"), "float", 0.1,
              low=1e-3, high=2.0, log=True),
        Param("momentum", Text("모멘텀 μ", "Momentum μ"), "float", 0.9, low=0.0, high=0.99),
        Param("start_x", Text("시작점 x (0 = 기본)", "Start x (0 = default)"), "float", 0.0,
              low=-4.5, high=4.5),
        Param("start_y", Text("시작점 y (0 = 기본)", "Start y (0 = default)"), "float", 0.0,
              low=-3.0, high=3.0),
    )
    unit = Text("스텝", "step")
    steps = 151  # steps 0 .. 150: every racer but AdaGrad has reached the minimum

    @staticmethod
    def start_point(values: Values) -> tuple[float, float]:
        surface = SURFACES[values["surface"]]
        if values["start_x"] == 0.0 and values["start_y"] == 0.0:
            return surface.start
        return (values["start_x"], values["start_y"])

    def frames(self, values: Values) -> Iterator[Frame]:
        surface = SURFACES[values["surface"]]
        start = np.array(self.start_point(values), dtype=np.float64)
        racers = {}
        for name in OPTIMIZERS:
            p = Parameter(start.copy(), dtype=np.float64)
            racers[name] = (p, make_optimizer(name, p, values["lr"], values["adaptive_lr"],
                                              values["momentum"]))
        paths = {name: Trace(256, 2) for name in OPTIMIZERS}
        losses = {name: Trace(256) for name in OPTIMIZERS}
        alive = dict.fromkeys(OPTIMIZERS, True)
        for name, (p, _) in racers.items():
            paths[name].append(*p.data)
            losses[name].append(float(surface.f(*p.data)))
        step = 0
        while True:
            yield {
                "t": step,
                "step": step,
                "paths": {n: t.view() for n, t in paths.items()},
                "losses": {n: t.view() for n, t in losses.items()},
                "alive": dict(alive),
                "diverged": not any(alive.values()),
            }
            step += 1
            for name, (p, opt) in racers.items():
                if not alive[name]:
                    continue
                opt.zero_grad()
                p.grad += surface.grad(p.data)
                opt.step()
                if not finite(p.data) or np.abs(p.data).max() > ESCAPED:
                    alive[name] = False
                    continue
                paths[name].append(*p.data)
                losses[name].append(float(surface.f(*p.data)))

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        surface = SURFACES[values["surface"]]
        contour_ax, loss_ax = figure.subplots(1, 2, width_ratios=(1.4, 1))
        xs = np.linspace(*surface.xlim, 240)
        ys = np.linspace(*surface.ylim, 240)
        X, Y = np.meshgrid(xs, ys)
        Z = surface.f(X, Y)
        levels = np.quantile(Z, np.linspace(0.0, 0.95, 25) ** 2.5)
        contour_ax.contour(X, Y, Z, levels=np.unique(levels), cmap="Greys", linewidths=0.6)
        contour_ax.plot(*surface.minimum, marker="*", color="black", markersize=12)
        contour_ax.set_xlim(surface.xlim)
        contour_ax.set_ylim(surface.ylim)
        contour_ax.set_title(surface.label.get(lang))
        loss_ax.set_title(tr(lang, "손실", "Loss"))
        loss_ax.set_xlabel(tr(lang, "스텝", "step"))
        loss_ax.set_yscale("symlog", linthresh=1e-3)
        loss_ax.grid(alpha=0.3)
        lines, heads, curves = {}, {}, {}
        for name in OPTIMIZERS:
            color = COLORS[name]
            (lines[name],) = contour_ax.plot([], [], color=color, linewidth=1.4, label=name)
            (heads[name],) = contour_ax.plot([], [], "o", color=color, markersize=5)
            (curves[name],) = loss_ax.plot([], [], color=color, linewidth=1.4, label=name)
        legend = loss_ax.legend(loc="center right", fontsize=8)
        texts = dict(zip(OPTIMIZERS, legend.get_texts(), strict=True))
        start_loss = float(surface.f(*self.start_point(values)))
        low = min(0.0, float(Z.min()))
        loss_ax.set_xlim(0, self.steps - 1)  # the whole run; grows in jumps past it
        loss_ax.set_ylim(low, max(start_loss, 1e-3) * 3)
        shown_alive: dict[str, bool] = dict.fromkeys(OPTIMIZERS, True)
        diverged_label = tr(lang, " (발산)", " (diverged)")

        def update(frame: Frame) -> list[Artist] | None:
            for name in OPTIMIZERS:
                path = frame["paths"][name]
                loss = frame["losses"][name]
                lines[name].set_data(path[:, 0], path[:, 1])
                heads[name].set_data(path[-1:, 0], path[-1:, 1])
                curves[name].set_data(np.arange(len(loss)), loss)
                if len(loss):
                    grow_limit(loss_ax, float(np.nanmax(loss)), "y")
            grow_limit(loss_ax, frame["step"])
            if frame["alive"] != shown_alive:  # a legend entry changes: redraw everything
                shown_alive.update(frame["alive"])
                for name, text in texts.items():
                    text.set_text(name + ("" if shown_alive[name] else diverged_label))
                return None
            return [*lines.values(), *heads.values(), *curves.values()]

        return update
