"""Optimizers with PyTorch's names, defaults and update rules (``torch.optim``).

Usage is PyTorch's: ``opt = Adam(model.parameters(), lr=1e-3)``; per batch ``opt.zero_grad()``,
forward, ``model.backward(loss_fn.backward())``, ``opt.step()``. ``opt.lr`` may be set at any
time (schedulers do). There is one parameter group; per-parameter state lives in
``opt.state[i]`` (a ``ParamState`` with the step count ``t`` and named buffers such as
``exp_avg``), allocated on the first ``step()`` with the parameter's dtype.

Weight decay is handled in one place, ``Optimizer._decayed_grad``: *coupled* L2 (``g += wd * p``,
used by SGD, Adagrad, RMSprop and Adam) or *decoupled* (``p *= 1 - lr * wd`` before the update,
AdamW).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from ._types import Array
from .parameter import Parameter


@dataclass
class ParamState:
    """Per-parameter optimizer state: the number of steps taken and named arrays."""

    step: int = 0
    buffers: dict[str, Array] = field(default_factory=dict)

    def buffer(self, name: str, like: Array, fill: float = 0.0) -> Array:
        """The buffer ``name``, created filled with ``fill`` (shape and dtype of ``like``)."""
        buf = self.buffers.get(name)
        if buf is None:
            buf = np.full_like(like, fill)
            self.buffers[name] = buf
        return buf


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


class Optimizer:
    """Base class: holds the parameters, ``lr``, weight decay and per-parameter state.

    Subclasses implement ``_update(p, g, state)`` where ``g`` already includes coupled weight
    decay, and ``state.step`` is t (1 on the first step).
    """

    decoupled_weight_decay: ClassVar[bool] = False

    def __init__(self, params: Iterable[Parameter], lr: float, weight_decay: float = 0.0) -> None:
        self.params: list[Parameter] = list(params)
        _check(bool(self.params), "optimizer got an empty parameter list")
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        self.lr = float(lr)
        self.weight_decay = float(weight_decay)
        self.initial_lr: float | None = None  # recorded by the first LR scheduler, as PyTorch
        self.state: list[ParamState] = [ParamState() for _ in self.params]
        self._workspaces: dict[tuple[str, np.dtype[Any]], Array] = {}

    def _workspace(self, name: str, like: Array) -> Array:
        """Scratch array shaped like ``like``: a view of one buffer shared by all parameters.

        Allocated once (as large as the largest parameter) instead of per parameter or per
        step, which keeps the optimizer's memory traffic and cache footprint down.
        """
        key = (name, like.dtype)
        buf = self._workspaces.get(key)
        if buf is None or buf.size < like.size:
            buf = np.empty(max(p.size for p in self.params), dtype=like.dtype)
            self._workspaces[key] = buf
        return buf[: like.size].reshape(like.shape)

    def zero_grad(self) -> None:
        """Set every parameter's gradient to zero (PyTorch sets them to None by default)."""
        for p in self.params:
            p.zero_grad()

    def step(self) -> None:
        """Apply one update to every parameter."""
        for p, state in zip(self.params, self.state, strict=True):
            state.step += 1
            self._update(p, self._decayed_grad(p, state), state)

    def _decayed_grad(self, p: Parameter, state: ParamState) -> Array:
        """The gradient used by the update rule, after weight decay.

        Coupled (L2): g = grad + weight_decay * p. Decoupled (AdamW): p <- p * (1 - lr * wd) here,
        and g = grad.
        """
        if self.weight_decay == 0.0:
            return p.grad
        if self.decoupled_weight_decay:
            p.data *= 1.0 - self.lr * self.weight_decay
            return p.grad
        g = self._workspace("decayed_grad", p.data)
        np.multiply(p.data, self.weight_decay, out=g)
        g += p.grad
        return g

    def _update(self, p: Parameter, g: Array, state: ParamState) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in vars(self).items() if k not in ("params", "state"))
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Stochastic gradient descent with PyTorch's momentum form.

    g = grad + weight_decay * p
    b_1 = g;  b_t = momentum * b_{t-1} + (1 - dampening) * g        (if momentum != 0)
    d = g + momentum * b_t if nesterov else b_t                     (d = g without momentum)
    p <- p - lr * d

    PyTorch (and this class) accumulates the raw gradient, so the step is ~lr/(1-momentum) times
    the gradient in steady state. The textbook form v = beta v + (1 - beta) g is the same with
    dampening = momentum and a learning rate rescaled by 1/(1-beta) - except that PyTorch
    initialises b_1 = g, not (1 - dampening) g.
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        _check(momentum >= 0.0, f"Invalid momentum value: {momentum}")
        _check(
            not nesterov or (momentum > 0 and dampening == 0),
            "Nesterov momentum requires a momentum and zero dampening",
        )
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov

    def _update(self, p: Parameter, g: Array, state: ParamState) -> None:
        d = g
        if self.momentum != 0.0:
            buf = state.buffers.get("momentum_buffer")
            if buf is None:
                buf = state.buffers["momentum_buffer"] = g.copy()
            else:
                buf *= self.momentum
                buf += (1.0 - self.dampening) * g
            d = g + self.momentum * buf if self.nesterov else buf
        p.data -= self.lr * d


class Adagrad(Optimizer):
    """Adagrad (Duchi et al. 2011) as PyTorch.

    g = grad + weight_decay * p
    clr = lr / (1 + (t - 1) * lr_decay)
    s_t = s_{t-1} + g**2,  s_0 = initial_accumulator_value
    p <- p - clr * g / (sqrt(s_t) + eps)
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 0.01,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        _check(lr_decay >= 0.0, f"Invalid lr_decay value: {lr_decay}")
        _check(initial_accumulator_value >= 0.0, "Invalid initial_accumulator_value value")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        self.lr_decay = lr_decay
        self.initial_accumulator_value = initial_accumulator_value
        self.eps = eps

    def _update(self, p: Parameter, g: Array, state: ParamState) -> None:
        clr = self.lr / (1.0 + (state.step - 1) * self.lr_decay)
        s = state.buffer("sum", p.data, fill=self.initial_accumulator_value)
        s += g * g
        p.data -= clr * g / (np.sqrt(s) + self.eps)


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e) as PyTorch.

    g = grad + weight_decay * p
    v_t = alpha * v_{t-1} + (1 - alpha) * g**2
    centered:  gbar_t = alpha * gbar_{t-1} + (1 - alpha) * g;  denom = sqrt(v_t - gbar_t**2) + eps
    otherwise: denom = sqrt(v_t) + eps
    momentum > 0: b_t = momentum * b_{t-1} + g / denom;  p <- p - lr * b_t
    otherwise:    p <- p - lr * g / denom

    Note eps is added *outside* the square root (TensorFlow 1's RMSPropOptimizer put it inside),
    and PyTorch's default alpha is 0.99 (Keras' rho is 0.9).
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        _check(alpha >= 0.0, f"Invalid alpha value: {alpha}")
        _check(momentum >= 0.0, f"Invalid momentum value: {momentum}")
        self.alpha = alpha
        self.eps = eps
        self.momentum = momentum
        self.centered = centered

    def _update(self, p: Parameter, g: Array, state: ParamState) -> None:
        v = state.buffer("square_avg", p.data)
        v *= self.alpha
        v += (1.0 - self.alpha) * g * g
        if self.centered:
            gbar = state.buffer("grad_avg", p.data)
            gbar *= self.alpha
            gbar += (1.0 - self.alpha) * g
            denom = np.sqrt(v - gbar * gbar) + self.eps
        else:
            denom = np.sqrt(v) + self.eps
        if self.momentum > 0.0:
            buf = state.buffer("momentum_buffer", p.data)
            buf *= self.momentum
            buf += g / denom
            p.data -= self.lr * buf
        else:
            p.data -= self.lr * g / denom


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) as PyTorch, with *coupled* L2 weight decay.

    g = grad + weight_decay * p
    m_t = beta1 * m_{t-1} + (1 - beta1) * g
    v_t = beta2 * v_{t-1} + (1 - beta2) * g**2
    p <- p - lr / (1 - beta1**t) * m_t / (sqrt(v_t) / sqrt(1 - beta2**t) + eps)

    eps is added after bias-correcting sqrt(v_t), exactly as PyTorch. ``bias_correction=False``
    (not a PyTorch option; for the demo of why it exists) drops both (1 - beta**t) factors:
    p <- p - lr * m_t / (sqrt(v_t) + eps). Since m_0 = v_0 = 0 both averages start biased
    towards 0, v more so: for a constant gradient g the first step is then
    lr * 0.1 g / sqrt(0.001 g**2) = 3.16 lr instead of lr.
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        *,
        bias_correction: bool = True,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        _check(0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}")
        _check(0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = eps
        self.bias_correction = bias_correction

    def _update(self, p: Parameter, g: Array, state: ParamState) -> None:
        beta1, beta2 = self.betas
        m = state.buffer("exp_avg", p.data)
        v = state.buffer("exp_avg_sq", p.data)
        tmp = self._workspace("scratch", p.data)  # no allocation per step
        # m = beta1 * m + (1 - beta1) * g, in place
        m *= beta1
        np.multiply(g, 1.0 - beta1, out=tmp)
        m += tmp
        # v = beta2 * v + (1 - beta2) * g**2, in place
        v *= beta2
        np.multiply(g, g, out=tmp)
        tmp *= 1.0 - beta2
        v += tmp
        if self.bias_correction:
            step_size = self.lr / (1.0 - beta1**state.step)
            bc2_sqrt = math.sqrt(1.0 - beta2**state.step)
        else:
            step_size, bc2_sqrt = self.lr, 1.0
        # step_size * m / (sqrt(v) / bc2_sqrt + eps)
        #   = (step_size * bc2_sqrt) * m / (sqrt(v) + eps * bc2_sqrt): one pass fewer
        np.sqrt(v, out=tmp)
        tmp += self.eps * bc2_sqrt
        np.divide(m, tmp, out=tmp)
        tmp *= step_size * bc2_sqrt
        p.data -= tmp


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter 2019): Adam with *decoupled* weight decay, as PyTorch.

    p <- p * (1 - lr * weight_decay), then the Adam update with g = grad (no L2 term in g),
    so the decay is not rescaled by 1/sqrt(v). Default weight_decay is 0.01 (PyTorch's).
    """

    decoupled_weight_decay = True

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        *,
        bias_correction: bool = True,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, bias_correction=bias_correction)
