"""Small demos for the live-run tests: importable by a worker process (no Qt, no pytest)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from quizapp.content.model import Text
from quizapp.demos.base import Demo, Frame, Param, Update, Values

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class Walk(Demo):
    """A seeded random walk; ``t`` counts in twos, so frame count and counter differ."""

    id = "test-walk"
    title = Text("걷기", "Walk")
    notice = Text("테스트", "test")
    params = (Param("seed", Text("시드", "Seed"), "int", 0, low=0, high=99),
              Param("sleep", Text("대기", "Sleep"), "float", 0.0, low=0.0, high=2.0))
    steps: ClassVar[int] = 40
    unit = Text("걸음", "pace")

    def frames(self, values: Values) -> Iterator[Frame]:
        rng = np.random.default_rng(int(values["seed"]))
        position = np.zeros(2)
        path = [position.copy()]
        for i in range(10**6):
            if values["sleep"]:
                time.sleep(values["sleep"])
            position = position + rng.normal(size=2)
            path.append(position.copy())
            yield {"t": 2 * (i + 1), "path": np.array(path), "position": position.copy(),
                   "label": f"t={2 * (i + 1)}"}

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        ax = figure.add_subplot()
        (line,) = ax.plot([], [])
        label = ax.text(0.02, 0.95, "", transform=ax.transAxes)
        ax.set_xlim(-30, 30)
        ax.set_ylim(-30, 30)

        def update(frame: Frame) -> list:
            line.set_data(frame["path"][:, 0], frame["path"][:, 1])
            label.set_text(frame["label"])
            return [line, label]

        return update


class Blowup(Walk):
    """Raises a float error at frame 6: the run ends as diverged, with no frame for it."""

    id = "test-blowup"

    def frames(self, values: Values) -> Iterator[Frame]:
        for number, frame in enumerate(super().frames(values), 1):
            if number == 6:
                raise FloatingPointError("overflow")
            yield frame


class Short(Walk):
    """Its generator stops after 7 frames, before ``steps``."""

    id = "test-short"

    def frames(self, values: Values) -> Iterator[Frame]:
        for number, frame in enumerate(super().frames(values), 1):
            yield frame
            if number == 7:
                return


class Buggy(Walk):
    """A bug at frame 3 (not a numeric blow-up)."""

    id = "test-buggy"

    def frames(self, values: Values) -> Iterator[Frame]:
        for number, frame in enumerate(super().frames(values), 1):
            if number == 3:
                raise KeyError("a bug")
            yield frame
