"""Optimizers' packed storage: flat parameter, gradient and state arrays, updated chunk by chunk.

The updates are checked against PyTorch's rules written out per parameter in float64 (the
``reference_*`` functions), on several parameters with chunks cut through them, with the
learning rate changed between steps as a scheduler does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import quizapp.trainer.optim as optim
from quizapp.trainer import (
    SGD,
    Adagrad,
    Adam,
    AdamW,
    Linear,
    Optimizer,
    Parameter,
    ReLU,
    RMSprop,
    Sequential,
    StepLR,
)

SHAPES = [(5, 7), (7,), (3, 5), (3,)]
STEPS = 5
Grads = list[list[np.ndarray]]


@pytest.fixture
def tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 10 float64 elements: chunk boundaries fall inside every parameter."""
    monkeypatch.setattr(optim, "CHUNK_BYTES", 80)


def parameters() -> list[Parameter]:
    gen = np.random.default_rng(0)
    return [Parameter(gen.standard_normal(shape), dtype=np.float64) for shape in SHAPES]


def gradients() -> Grads:
    gen = np.random.default_rng(1)
    return [[gen.standard_normal(shape) for shape in SHAPES] for _ in range(STEPS)]


def train(opt: Optimizer, params: list[Parameter], grads: Grads, lrs: list[float]) -> None:
    """Steps with the given gradients; the learning rate changes between steps."""
    for step_grads, lr in zip(grads, lrs, strict=True):
        opt.lr = lr
        opt.zero_grad()
        for p, g in zip(params, step_grads, strict=True):
            p.grad[...] = g
        opt.step()


def reference_sgd(
    p: np.ndarray, grads: list[np.ndarray], lrs: list[float], momentum: float,
    dampening: float, nesterov: bool, weight_decay: float,
) -> np.ndarray:  # fmt: skip
    buf: np.ndarray | None = None
    for g, lr in zip(grads, lrs, strict=True):
        g = g + weight_decay * p
        if momentum:
            buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        p = p - lr * g
    return p


def reference_adam(
    p: np.ndarray, grads: list[np.ndarray], lrs: list[float], weight_decay: float,
    decoupled: bool, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    b1, b2 = betas
    m = v = np.zeros_like(p)
    for t, (g, lr) in enumerate(zip(grads, lrs, strict=True), start=1):
        if decoupled:
            p = p * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        p = p - lr / (1 - b1**t) * m / (np.sqrt(v) / np.sqrt(1 - b2**t) + eps)
    return p, m, v


LRS = [0.1, 0.1, 0.05, 0.05, 0.01]


@pytest.mark.usefixtures("tiny_chunks")
@pytest.mark.parametrize(
    "kwargs",
    [
        {"momentum": 0.0, "dampening": 0.0, "nesterov": False, "weight_decay": 0.0},
        {"momentum": 0.9, "dampening": 0.0, "nesterov": False, "weight_decay": 0.01},
        {"momentum": 0.9, "dampening": 0.3, "nesterov": False, "weight_decay": 0.0},
        {"momentum": 0.9, "dampening": 0.0, "nesterov": True, "weight_decay": 0.01},
    ],
    ids=["plain", "momentum_wd", "dampening", "nesterov_wd"],
)
def test_sgd_matches_the_reference_across_chunks(kwargs: dict[str, Any]) -> None:
    params, grads = parameters(), gradients()
    start = [p.data.copy() for p in params]
    train(SGD(params, lr=LRS[0], **kwargs), params, grads, LRS)
    for i, p in enumerate(params):
        expected = reference_sgd(start[i], [g[i] for g in grads], LRS, **kwargs)
        np.testing.assert_allclose(p.data, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.usefixtures("tiny_chunks")
@pytest.mark.parametrize(("factory", "decoupled"), [(Adam, False), (AdamW, True)])
def test_adam_matches_the_reference_across_chunks(factory: type[Adam], decoupled: bool) -> None:
    params, grads = parameters(), gradients()
    start = [p.data.copy() for p in params]
    opt = factory(params, lr=LRS[0], weight_decay=0.1)
    train(opt, params, grads, LRS)
    for i, p in enumerate(params):
        expected, m, v = reference_adam(start[i], [g[i] for g in grads], LRS, 0.1, decoupled)
        np.testing.assert_allclose(p.data, expected, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(opt.state[i].buffers["exp_avg"], m, rtol=1e-12)
        np.testing.assert_allclose(opt.state[i].buffers["exp_avg_sq"], v, rtol=1e-12)
        assert opt.state[i].step == STEPS


OPTIMIZERS: list[Callable[[list[Parameter]], Optimizer]] = [
    lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    lambda ps: Adagrad(ps, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.5),
    lambda ps: RMSprop(ps, lr=0.01, momentum=0.5, centered=True, weight_decay=0.01),
    lambda ps: Adam(ps, lr=0.01, weight_decay=0.01),
    lambda ps: AdamW(ps, lr=0.01),
]


@pytest.mark.parametrize("make", OPTIMIZERS, ids=["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"])
def test_chunking_does_not_change_any_update(
    make: Callable[[list[Parameter]], Optimizer], monkeypatch: pytest.MonkeyPatch
) -> None:
    results = []
    for chunk_bytes in (80, optim.CHUNK_BYTES):
        monkeypatch.setattr(optim, "CHUNK_BYTES", chunk_bytes)
        params = parameters()
        train(make(params), params, gradients(), LRS)
        results.append([p.data.copy() for p in params])
    for chunked, whole in zip(*results, strict=True):
        np.testing.assert_array_equal(chunked, whole)


def test_parameters_become_views_that_the_layers_write_into() -> None:
    gen = np.random.default_rng(0)
    model = Sequential(Linear(3, 4, rng=gen), ReLU(), Linear(4, 2, rng=gen))
    params = model.parameters()
    values = [p.data.copy() for p in params]
    opt = SGD(params, lr=0.5)
    arrays = [(p.data, p.grad) for p in params]
    for p, value in zip(params, values, strict=True):
        np.testing.assert_array_equal(p.data, value)  # packing keeps the values
    # every parameter's data is a slice of one flat array, and so is every grad
    assert len({id(p.data.base) for p in params}) == len({id(p.grad.base) for p in params}) == 1
    x = gen.standard_normal((6, 3)).astype(np.float32)
    for _ in range(3):
        before = [p.data.copy() for p in params]
        opt.zero_grad()
        model(x)
        model.backward(np.ones((6, 2), dtype=np.float32))
        opt.step()
        for p, b in zip(params, before, strict=True):
            assert p.grad.any()
            np.testing.assert_allclose(p.data, b - 0.5 * p.grad, rtol=1e-6)
    assert all(p.data is d and p.grad is g for p, (d, g) in zip(params, arrays, strict=True))


def test_a_scheduler_changes_the_rate_of_the_packed_update() -> None:
    p = Parameter(np.zeros(3), dtype=np.float64)
    opt = SGD([p], lr=1.0)
    sched = StepLR(opt, step_size=1, gamma=0.5)
    for _ in range(3):  # steps of 1, 0.5 and 0.25 with gradient 1
        opt.zero_grad()
        p.grad[...] = 1.0
        opt.step()
        sched.step()
    np.testing.assert_allclose(p.data, -1.75)


def test_a_zeroed_gradient_that_no_backward_wrote_counts_as_zero() -> None:
    used, unused = Parameter(np.ones(2), dtype=np.float64), Parameter(np.ones(2), np.float64)
    opt = SGD([used, unused], lr=0.1)
    used.grad[...] = unused.grad[...] = 5.0
    opt.step()
    opt.zero_grad()
    used.grad[...] = 1.0  # only `used` gets a gradient this time
    opt.step()
    np.testing.assert_allclose(used.data, 1.0 - 0.5 - 0.1)
    np.testing.assert_allclose(unused.data, 1.0 - 0.5)
    np.testing.assert_array_equal(unused.grad, 0.0)


def test_parameters_of_different_dtypes_are_packed_separately() -> None:
    p32 = Parameter(np.ones(3), dtype=np.float32)
    p64 = Parameter(np.ones(2), dtype=np.float64)
    opt = Adam([p32, p64], lr=0.1)
    for p in (p32, p64):
        p.grad[...] = 2.0
    opt.step()
    assert p32.data.dtype == np.float32 and p64.data.dtype == np.float64
    first_step = 1.0 - 0.1 * 2.0 / (2.0 + 1e-8)  # Adam's first step: lr * g / (|g| + eps)
    np.testing.assert_allclose(p32.data, first_step, rtol=1e-6)
    np.testing.assert_allclose(p64.data, first_step, rtol=1e-12)
    assert opt.state[0].buffers["exp_avg"].dtype == np.float32
    assert opt.state[1].buffers["exp_avg"].dtype == np.float64


def test_a_parameter_given_a_new_array_is_packed_again_with_its_values() -> None:
    p = Parameter(np.zeros(2), dtype=np.float64)
    opt = SGD([p], lr=1.0, momentum=0.5)
    p.grad[...] = 1.0
    opt.step()  # p = -1, buffer 1
    p.data = np.array([10.0, 20.0])  # e.g. a user resetting the weights
    p.grad[...] = 1.0
    opt.step()  # buffer 0.5 * 1 + 1 = 1.5
    np.testing.assert_allclose(p.data, [8.5, 18.5])
    np.testing.assert_allclose(opt.state[0].buffers["momentum_buffer"], 1.5)


def test_two_optimizers_sharing_a_parameter_both_see_its_current_values() -> None:
    p = Parameter(np.zeros(2), dtype=np.float64)
    first, second = SGD([p], lr=1.0), SGD([p], lr=0.5)
    for opt in (first, second, first):
        opt.zero_grad()
        p.grad[...] = 1.0
        opt.step()
    np.testing.assert_allclose(p.data, -2.5)


def test_casting_is_allowed_until_the_first_step() -> None:
    layer = Linear(2, 2, rng=0)
    opt = Adam(layer.parameters())
    layer.double()  # before the first step: the optimizer packs the float64 arrays
    layer(np.ones((1, 2)))
    layer.backward(np.ones((1, 2)))
    opt.step()
    assert layer.weight.data.dtype == opt.state[0].buffers["exp_avg"].dtype == np.float64
    layer.float()
    with pytest.raises(RuntimeError, match="first step"):
        opt.step()


def test_a_parameter_given_twice_is_rejected() -> None:
    p = Parameter(np.zeros(2))
    with pytest.raises(ValueError, match="more than once"):
        SGD([p, p], lr=0.1)
