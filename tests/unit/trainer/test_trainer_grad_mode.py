"""``no_grad()``: the same outputs as a normal forward, nothing kept for backward (a backward
then raises, as PyTorch's), and the mode restored however the block ends (per thread)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from quizapp.trainer import (
    GELU,
    GRU,
    LSTM,
    RNN,
    BatchNorm1d,
    BCEWithLogitsLoss,
    Conv2d,
    CrossEntropyLoss,
    Dropout,
    Embedding,
    Flatten,
    LayerNorm,
    LeakyReLU,
    Linear,
    MaxPool2d,
    Mish,
    Module,
    MSELoss,
    MultiheadAttention,
    Parameter,
    ReLU,
    Sequential,
    Sigmoid,
    SiLU,
    Tanh,
    evaluate,
    is_grad_enabled,
    no_grad,
)
from quizapp.trainer.grad_mode import NOTHING_SAVED

RNG = np.random.default_rng(0)
X2 = RNG.standard_normal((6, 4)).astype(np.float32)
X4 = RNG.standard_normal((3, 2, 6, 6)).astype(np.float32)
SEQ = RNG.standard_normal((5, 2, 4)).astype(np.float32)

# (a fresh layer, its input, how to call it, how to call its backward)
Case = tuple[Callable[[], Any], Any, Callable[[Any, Any], Any], Callable[[Any, Any], Any]]


def _single(layer: Any, x: Any) -> Any:
    return layer(x)


def _back(layer: Any, out: Any) -> Any:
    return layer.backward(np.ones_like(out))


def _pair(layer: Any, x: Any) -> Any:
    return layer(x)


def _back_pair(layer: Any, out: Any) -> Any:
    return layer.backward(np.ones_like(out[0]))


def _attend(layer: Any, x: Any) -> Any:
    return layer(x, x, x)


CASES: dict[str, Case] = {
    "Linear": (lambda: Linear(4, 3, rng=0), X2, _single, _back),
    "ReLU": (ReLU, X2, _single, _back),
    "LeakyReLU": (lambda: LeakyReLU(0.1), X2, _single, _back),
    "Sigmoid": (Sigmoid, X2, _single, _back),
    "Tanh": (Tanh, X2, _single, _back),
    "SiLU": (SiLU, X2, _single, _back),
    "Mish": (Mish, X2, _single, _back),
    "GELU": (GELU, X2, _single, _back),
    "GELU tanh": (lambda: GELU("tanh"), X2, _single, _back),
    "BatchNorm1d": (lambda: BatchNorm1d(4), X2, _single, _back),
    "LayerNorm": (lambda: LayerNorm(4), X2, _single, _back),
    "Embedding": (lambda: Embedding(5, 3, rng=0), np.array([[0, 4], [2, 2]]), _single, _back),
    "Conv2d": (lambda: Conv2d(2, 3, 3, padding=1, rng=0), X4, _single, _back),
    "MaxPool2d": (lambda: MaxPool2d(2), X4, _single, _back),
    "MultiheadAttention": (lambda: MultiheadAttention(4, 2, rng=0), SEQ, _attend, _back_pair),
    "RNN": (lambda: RNN(4, 3, rng=0), SEQ, _pair, _back_pair),
    "GRU": (lambda: GRU(4, 3, rng=0), SEQ, _pair, _back_pair),
    "LSTM": (lambda: LSTM(4, 3, num_layers=2, rng=0), SEQ, _pair, _back_pair),
}


def _same(a: Any, b: Any) -> None:
    if isinstance(a, tuple):
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    elif a is None:
        assert b is None
    else:
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", list(CASES))
def test_same_output_nothing_saved_and_backward_refuses(name: str) -> None:
    make, x, call, back = CASES[name]
    with_grad, without = make(), make()
    expected = call(with_grad, x)
    back(with_grad, expected)  # a normal forward keeps what backward needs
    with no_grad():
        got = call(without, x)
    _same(got, expected)
    with pytest.raises(RuntimeError, match="no_grad"):
        back(without, got)
    assert _saved_bytes(without) == 0


def _saved_bytes(model: Module) -> int:
    """Bytes of arrays a model's layers hold besides their parameters and buffers."""
    total = 0
    for module in model.modules():
        for name, value in vars(module).items():
            if name in module._buffers or isinstance(value, Parameter | Module):
                continue
            for item in value.values() if isinstance(value, dict) else (
                    value if isinstance(value, tuple | list) else (value,)):
                for leaf in item if isinstance(item, tuple | list) else (item,):
                    if isinstance(leaf, np.ndarray) and leaf.size > 1:
                        total += leaf.nbytes
    return total


def test_a_small_cnn_evaluated_under_no_grad_keeps_none_of_its_activations() -> None:
    model = Sequential(Conv2d(1, 8, 3, padding=1, rng=0), ReLU(), MaxPool2d(2), Flatten(),
                       Linear(8 * 7 * 7, 10, rng=0))
    images = RNG.random((500, 1, 14, 14)).astype(np.float32)
    model(images)
    assert _saved_bytes(model) > 500 * 8 * 14 * 14 * 4  # the activations of all 500 images
    with no_grad():
        model(images)
    assert _saved_bytes(model) == 0
    loss, accuracy = evaluate(model, CrossEntropyLoss(), images, np.zeros(500, dtype=np.int64))
    assert _saved_bytes(model) == 0 and accuracy is not None and np.isfinite(loss)


@pytest.mark.parametrize("loss_fn", [CrossEntropyLoss(), MSELoss(), BCEWithLogitsLoss()],
                         ids=repr)
def test_losses_give_the_same_value_and_keep_no_gradient(loss_fn: Any) -> None:
    pred = X2[:, :3].copy()
    target: Any = (np.array([0, 2, 1, 1, 0, 2]) if isinstance(loss_fn, CrossEntropyLoss)
                   else (X2[:, 1:] > 0).astype(np.float32))
    expected = loss_fn(pred, target)
    with no_grad():
        assert loss_fn(pred, target) == expected
    with pytest.raises(RuntimeError, match="no_grad"):
        loss_fn.backward()


def test_dropout_still_drops_in_training_mode_under_no_grad() -> None:
    a, b = Dropout(0.5, rng=3), Dropout(0.5, rng=3)
    expected = a(X2)
    with no_grad():
        got = b(X2)
    np.testing.assert_array_equal(got, expected)
    assert (got == 0).any()
    with pytest.raises(RuntimeError, match="no_grad"):
        b.backward(np.ones_like(got))


def test_the_mode_is_restored_nested_as_a_decorator_after_errors_and_per_thread() -> None:
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
        with no_grad():
            assert not is_grad_enabled()
        assert not is_grad_enabled()
        seen: list[bool] = []
        thread = threading.Thread(target=lambda: seen.append(is_grad_enabled()))
        thread.start()
        thread.join()
        assert seen == [True]  # another thread is not affected
    assert is_grad_enabled()

    @no_grad()
    def inside() -> bool:
        return is_grad_enabled()

    assert inside() is False and is_grad_enabled()
    with pytest.raises(ValueError), no_grad():
        raise ValueError
    assert is_grad_enabled()


def test_the_message_says_what_to_do() -> None:
    assert "forward first" in NOTHING_SAVED and "no_grad()" in NOTHING_SAVED
