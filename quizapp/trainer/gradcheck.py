"""Numerical gradients by central differences, to check every hand-written ``backward``.

Use float64 (``model.double()`` and a float64 input): with step h = 1e-6 the central
difference (f(x + h) - f(x - h)) / 2h has truncation error O(h**2) and rounding error
~1e-16 / h, so a correct backward agrees to a relative error of about 1e-9; a wrong one is
usually off by more than 1e-2.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._types import Array, RNGLike, as_generator
from .losses import Loss
from .module import Module


def numerical_gradient(f: Callable[[], float], x: Array, h: float = 1e-6) -> Array:
    """d f / d x by central differences, perturbing ``x`` in place one element at a time.

    ``f`` takes no argument: it reads ``x`` (e.g. a parameter's ``data``) through a closure.
    ``x`` is restored exactly afterwards.
    """
    grad = np.zeros(x.shape, dtype=np.float64)
    flat = x.reshape(-1)  # a view when x is contiguous
    if not np.shares_memory(flat, x):
        raise ValueError("x must be contiguous so it can be perturbed in place")
    for i in range(flat.size):
        old = flat[i].item()
        flat[i] = old + h
        f_plus = f()
        flat[i] = old - h
        f_minus = f()
        flat[i] = old
        grad.reshape(-1)[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def rel_error(a: Array, b: Array) -> float:
    """||a - b|| / max(||a|| + ||b||, 1e-300): 0 for equal arrays, 1 for a = -b."""
    a64 = np.asarray(a, dtype=np.float64)
    b64 = np.asarray(b, dtype=np.float64)
    denom = max(float(np.linalg.norm(a64) + np.linalg.norm(b64)), 1e-300)
    return float(np.linalg.norm(a64 - b64)) / denom


def gradcheck(
    module: Module, x: Array, *, rng: RNGLike = 20240601, h: float = 1e-6
) -> dict[str, float]:
    """Compare ``module.backward`` with numerical gradients; return relative errors.

    Uses the scalar L = sum(module(x) * G) with a random fixed G, so dL/dy = G is passed to
    ``backward``. Returns ``{"input": err, "<param name>": err, ...}``. The module's mode is
    used as is; its forward must be deterministic (put Dropout in eval mode or reseed it).
    """
    x = np.array(x, dtype=np.float64, copy=True)
    gen = as_generator(rng)
    out = module(x)
    upstream = gen.standard_normal(out.shape).astype(out.dtype)

    def objective() -> float:
        return float(np.vdot(module(x), upstream))

    module.zero_grad()
    module(x)
    dx = module.backward(upstream)
    errors = {"input": rel_error(dx, numerical_gradient(objective, x, h))}
    for name, p in module.named_parameters():
        errors[name] = rel_error(p.grad, numerical_gradient(objective, p.data, h))
    return errors


def gradcheck_loss(loss_fn: Loss, pred: Array, target: Array, *, h: float = 1e-6) -> float:
    """Relative error between ``loss_fn.backward()`` and the numerical d loss / d pred."""
    pred = np.array(pred, dtype=np.float64, copy=True)
    loss_fn(pred, target)
    analytic = loss_fn.backward().copy()
    return rel_error(analytic, numerical_gradient(lambda: loss_fn(pred, target), pred, h))
