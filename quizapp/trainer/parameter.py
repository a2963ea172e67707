"""``Parameter``: a learnable array and the gradient that backward passes accumulate into it."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ._types import Array


class Parameter:
    """A learnable array ``data`` with a gradient ``grad`` of the same shape and dtype.

    Backward passes *accumulate* (``grad += dL/d data``), as in PyTorch, so call
    ``optimizer.zero_grad()`` (or ``module.zero_grad()``) before each backward pass. Unlike PyTorch,
    ``grad`` is always an array (zeros after ``zero_grad()``), never ``None``.
    """

    __slots__ = ("data", "grad")

    def __init__(self, data: npt.ArrayLike, dtype: npt.DTypeLike | None = None) -> None:
        arr = np.array(data, dtype=dtype, copy=True)
        if not np.issubdtype(arr.dtype, np.floating):
            arr = arr.astype(np.float32)
        self.data: Array = arr
        self.grad: Array = np.zeros_like(arr)

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of ``data``."""
        return tuple(self.data.shape)

    @property
    def dtype(self) -> np.dtype[Any]:
        """dtype of ``data`` (and of ``grad``)."""
        return self.data.dtype

    @property
    def size(self) -> int:
        """Number of elements."""
        return int(self.data.size)

    def zero_grad(self) -> None:
        """Set ``grad`` to zeros in place (optimizers keep references to the arrays)."""
        self.grad.fill(0)

    def to(self, dtype: npt.DTypeLike) -> Parameter:
        """Cast ``data`` and ``grad`` to ``dtype`` in place of the old arrays; return ``self``.

        Cast *before* creating the optimizer: optimizer state is allocated with the dtype the
        parameter has on the first ``step()``.
        """
        self.data = self.data.astype(dtype, copy=False)
        self.grad = self.grad.astype(dtype, copy=False)
        return self

    def __repr__(self) -> str:
        return f"Parameter(shape={self.shape}, dtype={self.data.dtype})"
