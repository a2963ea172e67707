"""Every module's backward against central-difference gradients, in float64 (rel. error < 1e-6)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.trainer import (
    GELU,
    BatchNorm1d,
    BCEWithLogitsLoss,
    Conv2d,
    CrossEntropyLoss,
    Dropout,
    Flatten,
    LeakyReLU,
    Linear,
    MaxPool2d,
    Mish,
    Module,
    MSELoss,
    ReLU,
    Sequential,
    Sigmoid,
    SiLU,
    Tanh,
    gradcheck,
    gradcheck_loss,
    numerical_gradient,
    rel_error,
)
from quizapp.trainer._special import erf, erfc

TOL = 1e-6


def away_from_kinks(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Random float64 input with |x| >= 0.05, so ReLU-like kinks are never within h of x."""
    x = np.random.default_rng(seed).standard_normal(shape)
    return np.where(np.abs(x) < 0.05, 0.05 * np.sign(x) + 0.05 * (x == 0), x)


def assert_gradcheck(module: Module, x: np.ndarray) -> None:
    module.double()
    errors = gradcheck(module, x)
    assert errors.keys() >= {"input"}
    for name, err in errors.items():
        assert err < TOL, f"{type(module).__name__}.{name}: relative error {err:.2e}"


@pytest.mark.parametrize(
    "module",
    [
        ReLU(),
        LeakyReLU(),
        LeakyReLU(0.2),
        Sigmoid(),
        Tanh(),
        SiLU(),
        Mish(),
        GELU(),
        GELU(approximate="tanh"),
    ],
    ids=lambda m: repr(m),
)
def test_activation_backward(module: Module) -> None:
    assert_gradcheck(module, 3.0 * away_from_kinks((4, 6), seed=1))


def test_linear_backward() -> None:
    assert_gradcheck(Linear(5, 3, rng=0), away_from_kinks((4, 5), seed=2))
    assert_gradcheck(Linear(5, 3, bias=False, rng=0), away_from_kinks((4, 5), seed=3))


def test_linear_backward_with_extra_leading_dims() -> None:
    assert_gradcheck(Linear(4, 2, rng=0), away_from_kinks((2, 3, 4), seed=4))


def test_flatten_backward() -> None:
    assert_gradcheck(Flatten(), away_from_kinks((2, 3, 2, 2), seed=5))


@pytest.mark.parametrize("shape", [(6, 4), (5, 3, 4)], ids=["NC", "NCL"])
def test_batchnorm_backward_training(shape: tuple[int, ...]) -> None:
    bn = BatchNorm1d(shape[1]).double()
    gen = np.random.default_rng(6)
    bn.weight.data[:] = gen.uniform(0.5, 2.0, shape[1])  # type: ignore[union-attr]
    bn.bias.data[:] = gen.standard_normal(shape[1])  # type: ignore[union-attr]
    assert_gradcheck(bn, away_from_kinks(shape, seed=7))


def test_batchnorm_backward_eval_uses_running_stats() -> None:
    bn = BatchNorm1d(4).double()
    bn(away_from_kinks((8, 4), seed=8))  # one training batch moves the running statistics
    bn.eval()
    assert_gradcheck(bn, away_from_kinks((6, 4), seed=9))


def test_batchnorm_without_affine_backward() -> None:
    assert_gradcheck(BatchNorm1d(3, affine=False), away_from_kinks((5, 3), seed=10))


def test_dropout_backward_with_a_fixed_mask() -> None:
    # Reseeding before every forward fixes the mask, which makes dropout differentiable.
    drop = Dropout(0.4)
    x = away_from_kinks((5, 6), seed=11)
    upstream = np.random.default_rng(12).standard_normal(x.shape)

    def objective() -> float:
        drop.rng = np.random.default_rng(0)
        return float(np.vdot(drop(x), upstream))

    objective()
    analytic = drop.backward(upstream)
    assert rel_error(analytic, numerical_gradient(objective, x)) < TOL


@pytest.mark.parametrize(
    ("module", "shape"),
    [
        (Conv2d(2, 3, 3, rng=0), (2, 2, 5, 5)),
        (Conv2d(2, 3, (3, 2), stride=2, padding=1, rng=0), (2, 2, 6, 5)),
        (Conv2d(1, 2, 2, stride=(1, 2), padding=(0, 1), bias=False, rng=0), (1, 1, 4, 4)),
        (MaxPool2d(2), (2, 2, 4, 6)),
        (MaxPool2d(3, stride=2, padding=1), (1, 2, 5, 5)),
        (MaxPool2d(2, stride=1), (1, 1, 4, 4)),
    ],
    ids=repr,
)
def test_conv_and_pool_backward(module: Module, shape: tuple[int, ...]) -> None:
    assert_gradcheck(module, away_from_kinks(shape, seed=13))


def test_sequential_backward_chains_every_layer() -> None:
    gen = np.random.default_rng(14)
    model = Sequential(
        Conv2d(1, 2, 3, padding=1, rng=gen),
        Tanh(),
        MaxPool2d(2),
        Flatten(),
        # no bias before BatchNorm: BN subtracts the mean, so that bias has zero gradient
        Linear(8, 5, bias=False, rng=gen),
        BatchNorm1d(5),
        GELU(),
        Linear(5, 3, rng=gen),
    )
    assert_gradcheck(model, away_from_kinks((3, 1, 4, 4), seed=15))


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_cross_entropy_gradient(smoothing: float) -> None:
    logits = np.random.default_rng(16).standard_normal((5, 4)) * 3
    err = gradcheck_loss(
        CrossEntropyLoss(label_smoothing=smoothing), logits, np.array([0, 3, 1, 1, 2])
    )
    assert err < TOL


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_mse_and_bce_gradients(reduction: str) -> None:
    gen = np.random.default_rng(17)
    pred = gen.standard_normal((4, 3))
    assert gradcheck_loss(MSELoss(reduction=reduction), pred, gen.standard_normal((4, 3))) < TOL  # type: ignore[arg-type]
    assert (
        gradcheck_loss(BCEWithLogitsLoss(reduction=reduction), 4 * pred, gen.random((4, 3))) < TOL
    )  # type: ignore[arg-type]


def test_gradcheck_catches_a_wrong_backward() -> None:
    class WrongTanh(Tanh):
        def backward(self, grad_out: np.ndarray) -> np.ndarray:
            return grad_out  # forgets the 1 - tanh^2 factor

    errors = gradcheck(WrongTanh(), away_from_kinks((3, 3), seed=18))
    assert errors["input"] > 1e-2


def test_numerical_gradient_restores_its_input() -> None:
    x = np.array([1.0, -2.0, 3.0])
    g = numerical_gradient(lambda: float((x**3).sum()), x)
    np.testing.assert_array_equal(x, [1.0, -2.0, 3.0])
    np.testing.assert_allclose(g, 3 * x**2, rtol=1e-8)


def test_erf_matches_the_standard_library_to_1e_15() -> None:
    # GELU's exact form needs erf; SciPy is not a dependency, so _special implements Cody's.
    x = np.concatenate([np.linspace(-7, 7, 4001), [0.0, 0.46875, -0.46875, 4.0, -4.0, 30.0]])
    expected = np.array([math.erf(v) for v in x])
    assert np.max(np.abs(erf(x) - expected)) < 1e-15
    expected_c = np.array([math.erfc(v) for v in x])
    assert np.max(np.abs(erfc(x) - expected_c) / np.maximum(expected_c, 1e-300)) < 1e-14
    assert erf(np.ones(3, dtype=np.float32)).dtype == np.float32
