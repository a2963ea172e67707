"""Splits, loader, scaler, synthetic sets and the shipped MNIST subset."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from quizapp.trainer import (
    DataLoader,
    RandomTranslate,
    StandardScaler,
    load_mnist_5k,
    make_blobs,
    make_circles,
    make_correlated_regression,
    make_moons,
    make_spirals,
    train_test_split,
    train_val_test_split,
)
from quizapp.trainer.data import MNIST_5K_PATH

MNIST_5K_SHA256 = "246e0c30eeea57c8d0037d3f38c8e00651ec204cc61b8022563e9aeeb9d756f4"


def test_split_is_a_seeded_partition() -> None:
    X = np.arange(100).reshape(50, 2)
    y = np.arange(50)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, rng=0)
    assert len(Xte) == 10 and len(Xtr) == 40
    assert sorted(np.concatenate([ytr, yte]).tolist()) == list(range(50))
    np.testing.assert_array_equal(Xtr[:, 0], 2 * ytr)  # rows stay paired with their labels
    again = train_test_split(X, y, test_size=0.2, rng=0)
    np.testing.assert_array_equal(again[3], yte)


def test_stratified_three_way_split_keeps_class_proportions() -> None:
    y = np.repeat([0, 1, 2], [60, 30, 10])
    X = np.arange(100)[:, None]
    parts = train_val_test_split(X, y, val_size=0.2, test_size=0.1, stratify=True, rng=1)
    assert np.bincount(parts.y_val).tolist() == [12, 6, 2]
    assert np.bincount(parts.y_test).tolist() == [6, 3, 1]
    assert np.bincount(parts.y_train).tolist() == [42, 21, 7]
    everything = np.concatenate([parts.X_train, parts.X_val, parts.X_test])[:, 0]
    assert sorted(everything.tolist()) == list(range(100))


def test_split_rejects_impossible_sizes() -> None:
    with pytest.raises(ValueError):
        train_val_test_split(np.zeros((10, 1)), np.zeros(10), val_size=0.5, test_size=0.5)


def test_data_loader_covers_every_sample_once_per_epoch_and_reshuffles() -> None:
    X = np.arange(10)[:, None].astype(np.float32)
    y = np.arange(10)
    loader = DataLoader(X, y, batch_size=4, shuffle=True, rng=0)
    assert len(loader) == 3
    epoch1 = [yb for _, yb in loader]
    assert [len(b) for b in epoch1] == [4, 4, 2]
    assert sorted(np.concatenate(epoch1).tolist()) == list(range(10))
    epoch2 = np.concatenate([yb for _, yb in loader])
    assert not np.array_equal(np.concatenate(epoch1), epoch2)
    assert len(DataLoader(X, y, batch_size=4, drop_last=True)) == 2
    first_x, first_y = next(iter(DataLoader(X, y, batch_size=3)))  # no shuffle: in order
    np.testing.assert_array_equal(first_y, [0, 1, 2])
    np.testing.assert_array_equal(first_x[:, 0], [0, 1, 2])


def test_shuffled_batches_follow_one_permutation_per_epoch_and_keep_x_and_y_paired() -> None:
    X = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.arange(10) * 7
    loader = DataLoader(X, y, batch_size=3, shuffle=True, rng=5)
    expected = np.random.default_rng(5)
    for _ in range(2):  # each epoch: the next permutation of the same generator, in order
        order = expected.permutation(10)
        batches = list(loader)
        np.testing.assert_array_equal(np.concatenate([yb for _, yb in batches]), order * 7)
        for xb, yb in batches:
            np.testing.assert_array_equal(xb, X[yb // 7])
            assert not np.shares_memory(xb, X)  # a gathered copy: writing it never alters X


def test_standard_scaler_fits_on_train_only() -> None:
    train = np.array([[1.0, 5.0], [3.0, 5.0]])
    scaler = StandardScaler().fit(train)
    np.testing.assert_allclose(scaler.mean_, [2.0, 5.0])  # type: ignore[arg-type]
    np.testing.assert_allclose(scaler.scale_, [1.0, 1.0])  # constant column: scale 1, not 0
    np.testing.assert_allclose(scaler.transform(np.array([[5.0, 6.0]])), [[3.0, 1.0]])
    z = scaler.fit_transform(np.random.default_rng(0).normal(3, 2, (500, 3)))
    np.testing.assert_allclose(z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(z.std(axis=0), 1, atol=1e-12)
    np.testing.assert_allclose(scaler.inverse_transform(z)[:, 0].std(), 2, rtol=0.1)
    with pytest.raises(RuntimeError):
        StandardScaler().transform(train)


@pytest.mark.parametrize(
    "maker", [make_moons, make_circles, make_spirals, make_blobs], ids=lambda f: f.__name__
)
def test_synthetic_sets_are_seeded_and_shaped(maker) -> None:  # type: ignore[no-untyped-def]
    X, y = maker(150, rng=3)
    X2, y2 = maker(150, rng=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert X.shape == (150, 2) and y.shape == (150,) and y.dtype == np.int64
    assert np.bincount(y).max() - np.bincount(y).min() <= 1


def test_correlated_regression_has_the_requested_correlation() -> None:
    X, y, coef = make_correlated_regression(5000, 4, n_informative=1, correlation=0.8, rng=0)
    corr = np.corrcoef(X, rowvar=False)
    assert np.allclose(corr[~np.eye(4, dtype=bool)], 0.8, atol=0.03)
    assert np.count_nonzero(coef) == 1
    assert np.std(y - X @ coef) == pytest.approx(0.1, rel=0.05)


def test_shipped_mnist_subset_is_balanced_scaled_and_unchanged() -> None:
    assert hashlib.sha256(MNIST_5K_PATH.read_bytes()).hexdigest() == MNIST_5K_SHA256
    X, y = load_mnist_5k()
    assert X.shape == (5000, 1, 28, 28) and X.dtype == np.float32
    assert X.min() == 0.0 and X.max() == 1.0
    assert y.dtype == np.int64 and np.bincount(y).tolist() == [500] * 10
    Xf, _ = load_mnist_5k(flatten=True, dtype=np.float64)
    assert Xf.shape == (5000, 784) and Xf.dtype == np.float64
    np.testing.assert_array_equal(Xf.reshape(X.shape).astype(np.float32), X)


def test_random_translate_shifts_each_image_by_at_most_max_shift() -> None:
    img = np.zeros((3, 1, 8, 8), dtype=np.float32)
    img[:, 0, 4, 4] = 1.0
    out = RandomTranslate(max_shift=2, rng=0)(img)
    assert out.shape == img.shape and out.dtype == np.float32
    for k in range(3):
        rows, cols = np.nonzero(out[k, 0])
        assert len(rows) == 1  # the pixel moved; nothing wrapped around or duplicated
        assert abs(int(rows[0]) - 4) <= 2 and abs(int(cols[0]) - 4) <= 2
        assert out[k].sum() == 1.0
