"""Optimizers against updates computed by hand (PyTorch's rules), on a single scalar parameter.

Each test sets ``p.grad`` directly, so the arithmetic can be followed step by step.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest

from quizapp.trainer import (
    SGD,
    Adagrad,
    Adam,
    AdamW,
    Linear,
    Optimizer,
    Parameter,
    RMSprop,
)


def run(
    opt_factory: type[Optimizer], grads: Sequence[float], p0: float = 1.0, **kw: object
) -> list[float]:
    """Take one step per gradient on a float64 scalar parameter; return the values after each."""
    p = Parameter(np.array([p0]), dtype=np.float64)
    opt = opt_factory([p], **kw)  # type: ignore[arg-type]
    values = []
    for g in grads:
        opt.zero_grad()
        p.grad[:] = g
        opt.step()
        values.append(float(p.data[0]))
    return values


def test_sgd_plain_and_weight_decay() -> None:
    # p = 1 - 0.1 * 1 = 0.9; with weight_decay 0.1: g = 1 + 0.1 * 1 = 1.1, p = 1 - 0.11 = 0.89
    assert run(SGD, [1.0], lr=0.1) == pytest.approx([0.9])
    assert run(SGD, [1.0], lr=0.1, weight_decay=0.1) == pytest.approx([0.89])


def test_sgd_momentum_is_pytorch_form_not_ema() -> None:
    # b1 = g1 = 1            -> p = 1 - 0.1 * 1 = 0.9
    # b2 = 0.9 * 1 + 2 = 2.9 -> p = 0.9 - 0.1 * 2.9 = 0.61
    # (the EMA form v = 0.9 v + 0.1 g would give 0.99 and 0.971 instead)
    assert run(SGD, [1.0, 2.0], lr=0.1, momentum=0.9) == pytest.approx([0.9, 0.61])


def test_sgd_dampening_does_not_apply_to_the_first_buffer() -> None:
    # b1 = g1 = 1 (no dampening on initialisation!)  -> p = 0.9
    # b2 = 0.9 * 1 + (1 - 0.5) * 2 = 1.9             -> p = 0.9 - 0.19 = 0.71
    assert run(SGD, [1.0, 2.0], lr=0.1, momentum=0.9, dampening=0.5) == pytest.approx([0.9, 0.71])


def test_sgd_nesterov() -> None:
    # b1 = 1;   d1 = g1 + 0.9 * b1 = 1.9   -> p = 1 - 0.19 = 0.81
    # b2 = 0.9 * 1 + 2 = 2.9; d2 = 2 + 0.9 * 2.9 = 4.61 -> p = 0.81 - 0.461 = 0.349
    assert run(SGD, [1.0, 2.0], lr=0.1, momentum=0.9, nesterov=True) == pytest.approx([0.81, 0.349])
    with pytest.raises(ValueError):
        SGD([Parameter(np.zeros(1))], lr=0.1, nesterov=True)


def test_adagrad_with_lr_decay_and_initial_accumulator() -> None:
    # step 1: clr = 0.1 / (1 + 0 * 0.5) = 0.1;  s = 1 + 1^2 = 2;  p = 1 - 0.1 * 1 / sqrt(2)
    # step 2: clr = 0.1 / (1 + 1 * 0.5) = 1/15; s = 2 + 2^2 = 6;  p -= (1/15) * 2 / sqrt(6)
    p1 = 1 - 0.1 / (math.sqrt(2) + 1e-10)
    p2 = p1 - (0.1 / 1.5) * 2 / (math.sqrt(6) + 1e-10)
    got = run(Adagrad, [1.0, 2.0], lr=0.1, lr_decay=0.5, initial_accumulator_value=1.0)
    assert got == pytest.approx([p1, p2], rel=1e-12)


def test_rmsprop_plain() -> None:
    # v = 0.99 * 0 + 0.01 * 2^2 = 0.04; p = 1 - 0.01 * 2 / (sqrt(0.04) + 1e-8) = 1 - 0.1 (eps aside)
    assert run(RMSprop, [2.0], lr=0.01) == pytest.approx([1 - 0.02 / (0.2 + 1e-8)], rel=1e-12)


def test_rmsprop_centered_with_momentum() -> None:
    # alpha = 0.9, eps = 0, momentum = 0.5, lr = 0.01
    # step 1 (g = 1): v = 0.1;  gbar = 0.1;  denom = sqrt(0.1 - 0.01) = 0.3
    #                 b = 0 * 0.5 + 1 / 0.3 = 3.3333;  p = 1 - 0.01 * 3.3333
    # step 2 (g = 3): v = 0.09 + 0.1 * 9 = 0.99;  gbar = 0.09 + 0.3 = 0.39
    #                 denom = sqrt(0.99 - 0.39^2) = sqrt(0.8379)
    #                 b = 0.5 * 3.3333 + 3 / sqrt(0.8379);  p -= 0.01 * b
    b1 = 1 / 0.3
    b2 = 0.5 * b1 + 3 / math.sqrt(0.8379)
    got = run(RMSprop, [1.0, 3.0], lr=0.01, alpha=0.9, eps=0.0, momentum=0.5, centered=True)
    assert got == pytest.approx([1 - 0.01 * b1, 1 - 0.01 * b1 - 0.01 * b2], rel=1e-12)


def test_adam_two_steps_with_bias_correction() -> None:
    # lr = 0.1, betas (0.9, 0.999), eps = 1e-8
    # step 1 (g = 1): m = 0.1, v = 0.001; bias corrections 1 - 0.9 = 0.1, 1 - 0.999 = 0.001
    #   p = 1 - (0.1 / 0.1) * 0.1 / (sqrt(0.001) / sqrt(0.001) + 1e-8) = 1 - 0.1 / (1 + 1e-8)
    #   (the first Adam step has size lr whatever the gradient's scale)
    # step 2 (g = 2): m = 0.09 + 0.2 = 0.29, v = 0.000999 + 0.004 = 0.004999
    #   bc1 = 1 - 0.81 = 0.19, bc2 = 1 - 0.998001 = 0.001999
    #   p -= (0.1 / 0.19) * 0.29 / (sqrt(0.004999) / sqrt(0.001999) + 1e-8)
    p1 = 1 - 0.1 / (1 + 1e-8)
    p2 = p1 - (0.1 / 0.19) * 0.29 / (math.sqrt(0.004999) / math.sqrt(0.001999) + 1e-8)
    assert run(Adam, [1.0, 2.0], lr=0.1) == pytest.approx([p1, p2], rel=1e-12)


def test_adam_without_bias_correction_takes_a_wrong_sized_first_step() -> None:
    # m = 0.1, v = 0.001: p = 1 - 0.1 * 0.1 / (sqrt(0.001) + 1e-8) = 1 - 0.316..., i.e. 3.16 lr
    got = run(Adam, [1.0], lr=0.1, bias_correction=False)
    assert got == pytest.approx([1 - 0.01 / (math.sqrt(0.001) + 1e-8)], rel=1e-12)


def test_adam_weight_decay_is_coupled_and_adamw_is_decoupled() -> None:
    # Adam: g = 1 + 0.1 * 1 = 1.1; the first step is lr * 1.1 / (1.1 + eps):
    #   p = 1 - 0.1 * 1.1 / (1.1 + 1e-8)
    # AdamW: p = 1 * (1 - 0.1 * 0.1) = 0.99 first, then the plain first step: 0.99 - 0.1/(1+1e-8)
    assert run(Adam, [1.0], lr=0.1, weight_decay=0.1) == pytest.approx(
        [1 - 0.11 / (1.1 + 1e-8)], rel=1e-12
    )
    assert run(AdamW, [1.0], lr=0.1, weight_decay=0.1) == pytest.approx(
        [0.99 - 0.1 / (1 + 1e-8)], rel=1e-12
    )
    assert AdamW([Parameter(np.zeros(1))]).weight_decay == 0.01  # PyTorch's default


def test_adamw_decays_even_with_zero_gradient() -> None:
    # g = 0 -> m = v = 0 -> the Adam part is 0 / (0 + eps) = 0; only p *= 1 - lr * wd is left
    assert run(AdamW, [0.0, 0.0], lr=0.1, weight_decay=0.5) == pytest.approx([0.95, 0.9025])


@pytest.mark.parametrize(
    ("factory", "kwargs"),
    [
        (SGD, {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
        (Adagrad, {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.01}),
        (RMSprop, {"lr": 0.01, "momentum": 0.5, "centered": True, "weight_decay": 0.01}),
        (Adam, {"lr": 0.01, "weight_decay": 0.01}),
        (AdamW, {"lr": 0.01}),
    ],
    ids=lambda v: v.__name__ if isinstance(v, type) else "",
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_optimizers_keep_the_dtype_and_update_in_place(
    factory: type[Optimizer], kwargs: dict[str, float], dtype: type[np.floating]
) -> None:
    layer = Linear(4, 3, rng=0).to(dtype)
    opt = factory(layer.parameters(), **kwargs)  # type: ignore[arg-type]
    weight, grad = layer.weight.data, layer.weight.grad  # views of the optimizer's flat arrays
    for _ in range(3):
        opt.zero_grad()
        layer(np.ones((2, 4), dtype=dtype))
        layer.backward(np.ones((2, 3), dtype=dtype))
        opt.step()
    assert layer.weight.data is weight and layer.weight.grad is grad
    assert weight.dtype == dtype
    assert all(b.dtype == dtype for s in opt.state for b in s.buffers.values())
    assert opt.state[0].step == 3


def test_lr_is_settable_and_validated() -> None:
    p = Parameter(np.zeros(1), dtype=np.float64)
    opt = SGD([p], lr=0.1)
    opt.lr = 0.5
    p.grad[:] = 1.0
    opt.step()
    assert p.data[0] == pytest.approx(-0.5)  # 0 - 0.5 * 1
    with pytest.raises(ValueError):
        SGD([Parameter(np.zeros(1))], lr=-1.0)
    with pytest.raises(ValueError):
        Adam([])
    with pytest.raises(ValueError):
        Adam([Parameter(np.zeros(1))], betas=(1.0, 0.999))


def test_optimizers_minimise_a_quadratic() -> None:
    for factory, lr in ((SGD, 0.1), (Adagrad, 0.5), (RMSprop, 0.05), (Adam, 0.1), (AdamW, 0.1)):
        p = Parameter(np.array([3.0, -2.0]), dtype=np.float64)
        opt = factory([p], lr=lr)
        for _ in range(300):
            opt.zero_grad()
            p.grad += 2 * (p.data - np.array([1.0, 0.5]))  # f = ||p - (1, 0.5)||^2
            opt.step()
        np.testing.assert_allclose(p.data, [1.0, 0.5], atol=0.05, err_msg=factory.__name__)
