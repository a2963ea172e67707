"""A declared parameter range is safe end to end: every demo runs and draws at each bound (and at
random values inside), and every value outside is refused in words, never raised."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from quizapp.demos import DEMOS, Demo, Param
from quizapp.demos.runner import DemoRun


def bound_values(param: Param) -> list[object]:
    if param.kind == "choice":
        return [c.value for c in param.choices]
    if param.kind == "bool":
        return [True, False]
    assert param.low is not None and param.high is not None
    if param.kind == "int":
        return [int(param.low), int(param.high)]
    return [param.low, param.high]


CASES = [(demo_id, param.name, value) for demo_id, demo in DEMOS.items()
         for param in demo.params for value in bound_values(param)]


def run_and_draw(demo: type[Demo], overrides: dict[str, object], frames: int) -> DemoRun:
    values = demo.resolve(overrides)
    instance = demo()
    run = DemoRun(instance, values)
    last = run.run(frames)
    figure = Figure(figsize=(10, 6), dpi=30, layout="constrained")
    FigureCanvasAgg(figure)
    update = instance.draw(figure, values, "en")
    if last is not None:
        update(last)
    figure.canvas.draw()
    return run


@pytest.mark.slow
@pytest.mark.parametrize(("demo_id", "name", "value"), CASES,
                         ids=[f"{d}-{n}={v}" for d, n, v in CASES])
def test_every_demo_runs_and_draws_at_each_declared_bound(demo_id: str, name: str,
                                                          value: object) -> None:
    demo = DEMOS[demo_id]
    assert demo.problems({name: value}) == []
    run = run_and_draw(demo, {name: value}, frames=8)
    assert run.count >= 1  # it ran (diverging is allowed: it is shown as "diverged")


def values_inside(demo: type[Demo]) -> st.SearchStrategy[dict[str, object]]:
    fields: dict[str, st.SearchStrategy[object]] = {}
    for param in demo.params:
        if param.kind == "choice":
            fields[param.name] = st.sampled_from([c.value for c in param.choices])
        elif param.kind == "bool":
            fields[param.name] = st.booleans()
        elif param.kind == "int":
            fields[param.name] = st.integers(int(param.low or 0), int(param.high or 0))
        else:
            fields[param.name] = st.floats(param.low or 0.0, param.high or 0.0)
    return st.fixed_dictionaries(fields)


@pytest.mark.parametrize("demo_id", list(DEMOS))
def test_random_values_inside_the_ranges_run(demo_id: str) -> None:
    demo = DEMOS[demo_id]

    @settings(max_examples=4, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(values_inside(demo))
    def check(overrides: dict[str, object]) -> None:
        assert demo.problems(overrides) == []
        DemoRun(demo(), demo.resolve(overrides)).run(3)

    check()


def _first_numeric(demo: type[Demo]) -> Param | None:
    return next((p for p in demo.params if p.kind in ("int", "float")), None)


@pytest.mark.parametrize("demo_id", [d for d, demo in DEMOS.items() if _first_numeric(demo)])
@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, 10**400, -(10**400), "3", None])
def test_values_outside_are_refused_in_words(demo_id: str, bad: object) -> None:
    demo = DEMOS[demo_id]
    param = _first_numeric(demo)
    assert param is not None
    problems = demo.problems({param.name: bad})
    assert len(problems) == 1 and param.name in problems[0]
    with pytest.raises(ValueError, match=param.name):
        demo.resolve({param.name: bad})
