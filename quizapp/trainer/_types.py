"""Shared type aliases and the one helper that turns a seed into a random generator."""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

Array: TypeAlias = npt.NDArray[Any]
"""A NumPy array; the trainer works with float32 and float64 arrays (and int labels)."""

RNGLike: TypeAlias = int | np.random.Generator | None
"""A seed, a generator, or ``None`` for fresh (non-reproducible) OS entropy."""


def as_generator(rng: RNGLike) -> np.random.Generator:
    """Return ``rng`` itself if it is a Generator, else ``np.random.default_rng(rng)``.

    Passing one Generator to several consumers gives them different, reproducible streams;
    passing the same *integer* to two layers of the same shape gives them identical weights.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)
