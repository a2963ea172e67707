"""Every demo by id, and the check that a card's demo reference is valid."""

from __future__ import annotations

from quizapp.content.model import DemoRef
from quizapp.demos.base import Demo
from quizapp.demos.optimizer_race import OptimizerRace

#: The catalogue, in the order ``demo --list`` and the gallery show it.
DEMOS: dict[str, type[Demo]] = {demo.id: demo for demo in (
    OptimizerRace,
    # -- optimization group --
    # -- regularization & normalization group --
    # -- networks group --
)}


def get_demo(demo_id: str) -> type[Demo]:
    """The demo class for ``demo_id``; ``KeyError`` with the known ids when there is none."""
    try:
        return DEMOS[demo_id]
    except KeyError:
        raise KeyError(f"unknown demo '{demo_id}' (demos: {', '.join(DEMOS)})") from None


def demo_ref_problems(ref: DemoRef) -> list[str]:
    """What is wrong with a card's ``[demo]`` table: unknown id, parameter or value."""
    demo = DEMOS.get(ref.id)
    if demo is None:
        return [f"unknown demo id (demos: {', '.join(DEMOS)})"]
    return demo.problems(ref.params)
