"""``Parameter``: a learnable array and the gradient that backward passes accumulate into it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from ._types import Array


class Parameter:
    """A learnable array ``data`` with a gradient ``grad`` of the same shape and dtype.

    Backward passes *accumulate* (``grad += dL/d data``), as in PyTorch, so call
    ``optimizer.zero_grad()`` (or ``module.zero_grad()``) before each backward pass. Unlike PyTorch,
    ``grad`` is always an array (zeros after ``zero_grad()``), never ``None``.

    Zeroing is deferred: ``zero_grad()`` only marks the gradient, and the first reader of
    ``grad`` gets it filled with zeros, unless a backward pass first writes the whole gradient
    with ``accumulate``, which then stores its result directly instead of adding it to zeros.
    Either way every reader sees exactly what an eager ``fill(0)`` would have given.

    Building an optimizer replaces ``data`` and ``grad`` once, by views of its flat arrays with
    the same values (see ``optim``); after that both are only updated in place.
    """

    __slots__ = ("_grad", "_zero_pending", "data")

    def __init__(self, data: npt.ArrayLike, dtype: npt.DTypeLike | None = None) -> None:
        arr = np.array(data, dtype=dtype, copy=True)
        if not np.issubdtype(arr.dtype, np.floating):
            arr = arr.astype(np.float32)
        self.data: Array = arr
        self._grad: Array = np.zeros_like(arr)
        self._zero_pending = False

    @property
    def grad(self) -> Array:
        """dL/d ``data``, summed over the backward passes since the last ``zero_grad()``."""
        if self._zero_pending:
            self._grad.fill(0)
            self._zero_pending = False
        return self._grad

    @grad.setter
    def grad(self, value: Array) -> None:
        self._grad = value
        self._zero_pending = False

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
        """Make ``grad`` zeros, in place (optimizers keep references to the array)."""
        self._zero_pending = True

    def accumulate(self, op: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """``grad += op(*args, **kwargs)`` for an ``op`` that accepts ``out=`` (``np.matmul``,
        ``np.sum``, ...), shaped like ``grad``.

        Right after ``zero_grad()`` this is ``op(*args, out=grad, **kwargs)``: no temporary
        array, no pass to fill zeros and none to add to them.
        """
        if self._zero_pending:
            op(*args, out=self._grad, **kwargs)
            self._zero_pending = False
        else:
            self._grad += op(*args, **kwargs)

    def to(self, dtype: npt.DTypeLike) -> Parameter:
        """Cast ``data`` and ``grad`` to ``dtype`` in place of the old arrays; return ``self``.

        Cast *before* creating the optimizer, or at least before its first ``step()``, which
        allocates the optimizer state with the parameter's dtype.
        """
        self.data = self.data.astype(dtype, copy=False)
        self.grad = self.grad.astype(dtype, copy=False)
        return self

    def __repr__(self) -> str:
        return f"Parameter(shape={self.shape}, dtype={self.data.dtype})"
