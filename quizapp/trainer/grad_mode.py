"""``no_grad()``: forward passes that keep nothing for a backward pass, as ``torch.no_grad()``.

Every layer's ``forward`` stores what its ``backward`` needs (its cache, the CS231n pattern).
Evaluating a model on a whole test set therefore kept that set's activations alive until the
next training step replaced them: 16 MB for a small CNN on 500 digit images. Inside
``with no_grad():`` (or a function decorated ``@no_grad()``) layers compute the same outputs and
store nothing; a ``backward`` after such a forward raises, as PyTorch's does. The mode is per
thread, as PyTorch's.
"""

from __future__ import annotations

import contextlib
import threading
from types import TracebackType

_mode = threading.local()

#: What a layer's ``backward`` says when it has nothing saved.
NOTHING_SAVED = ("backward needs what forward saves: call forward first, and not inside "
                 "no_grad()")


def is_grad_enabled() -> bool:
    """False inside ``no_grad()``: forward passes save nothing for ``backward``."""
    return bool(getattr(_mode, "enabled", True))


class no_grad(contextlib.ContextDecorator):  # noqa: N801 - PyTorch's name
    """Context manager (or decorator) in which forward passes save nothing for backward."""

    def __init__(self) -> None:
        self._outer: list[bool] = []

    def __enter__(self) -> None:
        self._outer.append(is_grad_enabled())
        _mode.enabled = False

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        _mode.enabled = self._outer.pop()
