"""The shipped MNIST digits for the demos: loaded once, 2x2-pooled on request, split by seed."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import NamedTuple

import numpy as np

from quizapp.trainer import load_mnist_5k, train_test_split


class Split(NamedTuple):
    """A split of the digits; every array is read-only (cached and shared between calls)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


@cache
def digit_images(size: int = 28) -> tuple[np.ndarray, np.ndarray]:
    """All 5,000 digits, read-only: float32 pixels in [0, 1] shaped (N, 1, size, size), labels.

    ``size=14`` averages 2x2 pixel blocks: a cheap downsampling (196 inputs instead of 784)
    while the task stays the real handwritten digits.
    """
    X, y = load_mnist_5k()
    if size == 14:
        X = X.reshape(len(X), 1, 14, 2, 14, 2).mean(axis=(3, 5))
    elif size != 28:
        raise ValueError(f"size must be 28 or 14, got {size}")
    return _read_only(X), _read_only(y)


@lru_cache(maxsize=4)
def _split(n_test: int, seed: int, size: int, flatten: bool) -> Split:
    X, y = digit_images(size)
    if flatten:
        X = X.reshape(len(X), -1)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=n_test / len(X), stratify=True, rng=seed)
    return Split(*(_read_only(np.ascontiguousarray(a)) for a in (X_train, y_train, X_test, y_test)))


def split_digits(n_test: int, seed: int, *, size: int = 28, flatten: bool = False,
                 n_train: int | None = None) -> Split:
    """A seeded, stratified split of ``digit_images(size)``: ``n_test`` held out, the rest to train.

    ``flatten`` gives X as (N, size * size) rows; ``n_train`` keeps only the first ``n_train``
    training examples (the held-out part is the same whatever ``n_train`` is).
    """
    whole = _split(n_test, seed, size, flatten)
    if n_train is None:
        return whole
    return whole._replace(X_train=whole.X_train[:n_train], y_train=whole.y_train[:n_train])
