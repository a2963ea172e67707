"""The shipped MNIST digits for the demos: 2x2-pooled on request, split by seed, the split kept.

A split is made from the file's 8-bit pixels: the rows of each part are chosen from the labels
alone, then only those rows are scaled to float32. So a process holds the split and nothing
else (15.7 MB at 28x28), never the whole set in float32 beside it, even for a moment.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from quizapp.resources import mnist_5k_path
from quizapp.trainer import train_test_split


class Split(NamedTuple):
    """A split of the digits; every array is read-only (cached and shared between calls)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _shipped() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 images as stored (uint8, (N, 28, 28)) and their int64 labels."""
    with np.load(mnist_5k_path()) as data:
        return data["images"], data["labels"].astype(np.int64)


#: Images converted at a time: the float32 copy made before pooling stays small (0.8 MB), so it
#: is never the large temporary that leaves the allocator holding megabytes afterwards.
_CHUNK = 256


def _pixels(images: np.ndarray, rows: np.ndarray, size: int, flatten: bool) -> np.ndarray:
    """``images[rows]`` (uint8) as ``load_mnist_5k`` scales them: float32 in [0, 1],
    (N, 1, size, size), or (N, size * size) with ``flatten``; gathered and converted a chunk at
    a time.

    ``size=14`` averages 2x2 pixel blocks: a cheap downsampling (196 inputs instead of 784)
    while the task stays the real handwritten digits. Every step is per image, so the pixels
    of a row are the same whichever rows are converted with it.
    """
    if size not in (14, 28):
        raise ValueError(f"size must be 28 or 14, got {size}")
    out = np.empty((len(rows), 1, size, size), dtype=np.float32)
    for start in range(0, len(rows), _CHUNK):
        X = images[rows[start:start + _CHUNK]].astype(np.float32).reshape(-1, 1, 28, 28)
        X /= 255.0
        if size == 14:
            X = X.reshape(-1, 1, 14, 2, 14, 2).mean(axis=(3, 5))
        out[start:start + _CHUNK] = X
    return out.reshape(len(out), -1) if flatten else out


def _rows(labels: np.ndarray, n_test: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows of the training and the held-out part (stratified by label, seeded)."""
    train, test, _, _ = train_test_split(np.arange(len(labels)), labels,
                                         test_size=n_test / len(labels), stratify=True, rng=seed)
    return train, test


@lru_cache(maxsize=4)
def _split(n_test: int, seed: int, size: int, flatten: bool) -> Split:
    images, labels = _shipped()
    train, test = _rows(labels, n_test, seed)
    return Split(*(_read_only(a) for a in (_pixels(images, train, size, flatten), labels[train],
                                           _pixels(images, test, size, flatten), labels[test])))


def split_digits(n_test: int, seed: int, *, size: int = 28, flatten: bool = False,
                 n_train: int | None = None) -> Split:
    """A seeded, stratified split of the 5,000 digits: ``n_test`` held out, the rest to train.

    ``flatten`` gives X as (N, size * size) rows; ``n_train`` keeps only the first ``n_train``
    training examples (the held-out part is the same whatever ``n_train`` is).
    """
    whole = _split(n_test, seed, size, flatten)
    if n_train is None:
        return whole
    return whole._replace(X_train=whole.X_train[:n_train], y_train=whole.y_train[:n_train])


def held_out_images(n_test: int, seed: int,
                    picks: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """The held-out images of ``split_digits(n_test, seed)`` at the positions ``picks(y_test)``
    chooses, without making or keeping the split in this process (a demo window shows a few
    test tiles; its worker process holds the split)."""
    images, labels = _shipped()
    _, test = _rows(labels, n_test, seed)
    return _pixels(images, test[picks(labels[test])], 28, False)
