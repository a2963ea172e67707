"""The shipped digits for the demos: splits are seeded and stratified, and a demo window gets
its few test tiles without holding a split (the worker process holds it)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from quizapp.demos import digits
from quizapp.demos.digits import held_out_images, split_digits
from quizapp.demos.mnist_mlp import MnistMlp, sample_indices


def test_split_is_stratified_read_only_and_the_same_for_a_seed() -> None:
    split = split_digits(1000, 3)
    assert split.X_train.shape == (4000, 1, 28, 28) and split.X_test.shape == (1000, 1, 28, 28)
    assert np.all(np.bincount(split.y_test, minlength=10) == 100)
    assert not split.X_test.flags.writeable
    assert split_digits(1000, 3) is split  # kept: a demo's resets do not read the file again
    assert not np.array_equal(split_digits(1000, 4).y_test, split.y_test)


def test_held_out_images_are_the_splits_test_images() -> None:
    split = split_digits(1000, 0)
    expected = split.X_test[sample_indices(split.y_test)]
    tiles = held_out_images(1000, 0, sample_indices)
    assert tiles.dtype == np.float32 and np.array_equal(tiles, expected)
    assert tiles.min() >= 0.0 and tiles.max() <= 1.0


def test_mnist_window_draws_its_tiles_without_keeping_a_split() -> None:
    digits._split.cache_clear()
    MnistMlp().draw(Figure(), MnistMlp.defaults(), "en")
    assert digits._split.cache_info().currsize == 0
