"""What a demo is: declared parameters, a generator of frames, and a renderer for a Figure.

A demo has no Qt in it. ``frames(values)`` runs the NumPy model and yields *snapshots*: each
frame holds everything needed to draw the picture at that step (the UI may skip frames to keep
up, so a renderer must never depend on having seen the previous ones). ``draw(figure, values,
lang)`` builds the axes once and returns an ``update(frame)`` that only changes artists.

``update`` returns the artists it changed (lines, images, patches, texts made with ``ax.text``),
so the live window can blit just those over a cached background: a full redraw of a figure
costs hundreds of milliseconds, a blit about ten. Returning None asks for a full redraw (do that
when something else changed, e.g. a legend's text). Axis limits that change force a full redraw
too, so grow them in jumps (the helpers in ``plotting``) rather than every frame.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

import numpy as np

from quizapp.content.model import Text

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

    from quizapp.trainer import Module, Sequential

Frame = dict[str, Any]
Values = dict[str, Any]
Update = Callable[[Frame], "Sequence[Artist] | None"]
Kind = Literal["float", "int", "choice", "bool"]
M = TypeVar("M", bound="Module")


@dataclass(frozen=True)
class Choice:
    """One option of a ``choice`` parameter: its value and its label in both languages."""

    value: str
    label: Text


@dataclass(frozen=True)
class Param:
    """A declared demo parameter; the UI turns it into a slider, spin box, combo or check box."""

    name: str
    label: Text
    kind: Kind
    default: Any
    low: float | None = None
    high: float | None = None
    log: bool = False  # slider moves on a log scale (learning rates, penalties)
    choices: tuple[Choice, ...] = ()

    def parse(self, text: str) -> Any:
        """Turn command-line text into a value of this parameter's kind (unchecked range)."""
        if self.kind == "float":
            return float(text)
        if self.kind == "int":
            return int(text)
        if self.kind == "bool":
            lowered = text.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError(f"expected true or false, got {text!r}")
        return text

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not allowed for this parameter, or None when it is."""
        if self.kind == "choice":
            allowed = [c.value for c in self.choices]
            return None if value in allowed else (
                f"{self.name}={value!r} is not one of: {', '.join(allowed)}")
        if self.kind == "bool":
            return None if isinstance(value, bool) else f"{self.name} must be true or false"
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{self.name} must be a number, got {value!r}"
        if isinstance(value, float) and not math.isfinite(value):
            return f"{self.name} must be a finite number, got {value!r}"
        if self.kind == "int" and isinstance(value, float) and not value.is_integer():
            return f"{self.name} must be a whole number, got {value!r}"
        # Compared exactly (no float conversion), so a 400-digit integer is refused, not raised.
        if self.low is not None and self.high is not None and not self.low <= value <= self.high:
            shown = repr(value) if len(repr(value)) <= 24 else f"{repr(value)[:20]}..."
            return f"{self.name}={shown} is out of range [{self.low:g}, {self.high:g}]"
        return None

    def describe(self) -> str:
        """What values are allowed, for error messages and ``--help``."""
        if self.kind == "choice":
            return "one of " + ", ".join(c.value for c in self.choices)
        if self.kind == "bool":
            return "true or false"
        return f"{self.kind} in [{self.low:g}, {self.high:g}]"


class Demo:
    """Base class of every demo. Subclasses set the class attributes and two methods.

    A run ends after ``steps`` frames (or earlier when the generator ends: converged, diverged,
    its epoch budget spent), in the live window as in a headless render, so ``steps`` should
    be where the demo has shown its point.
    """

    id: ClassVar[str]
    title: ClassVar[Text]
    notice: ClassVar[Text]  # "what to notice", shown next to the plot
    params: ClassVar[tuple[Param, ...]] = ()
    steps: ClassVar[int] = 100  # frames in a run (the live window and headless) by default
    #: What a frame's progress ``frame["t"]`` counts — the x-axis unit of the demo's main plot
    #: (epochs, iterations, ...) — so the window's counter agrees with the plot. A frame
    #: without ``"t"`` is counted by frames, in this unit.
    unit: ClassVar[Text] = Text("스텝", "step")

    @classmethod
    def max_steps(cls) -> int:
        """The most frames a headless run may ask for (``--steps``): ten times the default,
        which keeps the slowest demo under a minute."""
        return 10 * cls.steps

    def frames(self, values: Values) -> Iterator[Frame]:
        """Run the model, yielding one snapshot frame per step."""
        raise NotImplementedError

    def draw(self, figure: Figure, values: Values, lang: str) -> Update:
        """Build the axes on ``figure`` and return the function that shows a frame."""
        raise NotImplementedError

    # -- parameters -----------------------------------------------------------------------

    @classmethod
    def param(cls, name: str) -> Param | None:
        return next((p for p in cls.params if p.name == name), None)

    @classmethod
    def defaults(cls) -> Values:
        return {p.name: p.default for p in cls.params}

    @classmethod
    def problems(cls, overrides: Mapping[str, Any]) -> list[str]:
        """Every unknown name or bad value in ``overrides`` (empty when all are fine)."""
        found = []
        for name, value in overrides.items():
            param = cls.param(name)
            if param is None:
                known = ", ".join(p.name for p in cls.params) or "none"
                found.append(f"unknown parameter '{name}' (parameters: {known})")
            elif (problem := param.problem(value)) is not None:
                found.append(problem)
        return found

    @classmethod
    def resolve(cls, overrides: Mapping[str, Any]) -> Values:
        """Defaults updated with ``overrides``; raises ``ValueError`` listing any problems."""
        problems = cls.problems(overrides)
        if problems:
            raise ValueError("; ".join(problems))
        values = cls.defaults()
        for name, value in overrides.items():
            param = cls.param(name)
            assert param is not None
            if param.kind == "float":
                value = float(value)
            elif param.kind == "int":
                value = int(value)
            values[name] = value
        return values


@dataclass
class Trace:
    """A growing record of numbers for a frame snapshot: appends in place, hands out views."""

    capacity: int
    width: int = 1
    _data: np.ndarray = field(init=False, repr=False)
    _size: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self._data = np.full((self.capacity, self.width), np.nan)

    def append(self, *values: float) -> None:
        if self._size == self.capacity:  # grow geometrically; views already handed out stay valid
            self._data = np.concatenate([self._data, np.full_like(self._data, np.nan)])
            self.capacity *= 2
        self._data[self._size] = values
        self._size += 1

    def view(self) -> np.ndarray:
        """The values so far, shape (n,) for width 1 else (n, width); a copy-free snapshot."""
        data = self._data[: self._size]
        return data[:, 0] if self.width == 1 else data

    def __len__(self) -> int:
        return self._size


def finite(*arrays: Any) -> bool:
    """True when every number in ``arrays`` is finite (no NaN, no overflow)."""
    return all(bool(np.all(np.isfinite(np.asarray(a, dtype=float)))) for a in arrays)


def tr(lang: str, ko: str, en: str) -> str:
    """Plot text in the requested language (``ko`` for "ko", else ``en``, as ``Text.get``)."""
    return ko if lang == "ko" else en


def layer_at(net: Sequential, index: int, kind: type[M]) -> M:
    """``net[index]``, checked to be a ``kind`` (so its weights and buffers are typed)."""
    layer = net[index]
    if not isinstance(layer, kind):
        raise TypeError(f"layer {index} is a {type(layer).__name__}, not a {kind.__name__}")
    return layer
