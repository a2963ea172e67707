"""``Module``, the base class of every layer, and the ``Sequential`` container.

Each module follows the CS231n pattern: ``forward`` stores in ``self`` what ``backward`` needs
(the *cache*), and ``backward(grad_out)`` returns dL/dx while **adding** dL/dparameter into each
``Parameter.grad``. There is no autograd tape: ``Sequential.backward`` simply calls its children's
``backward`` in reverse order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar, Self, overload

import numpy as np
import numpy.typing as npt

from ._types import Array
from .parameter import Parameter


class Module:
    """Base class: ``y = module(x)`` runs ``forward``; ``module.backward(dL/dy)`` returns dL/dx.

    Sub-modules and parameters are found by looking at the instance attributes, in the order
    they were assigned (as PyTorch's ``__setattr__`` registration does); keep a list of layers
    in a ``Sequential`` (like ``nn.ModuleList``), since plain lists are not searched. Buffers
    (non-learnable state such as BatchNorm's running statistics) are the attributes named in
    ``_buffers``.

    dtype: parameters are created in float32, as in PyTorch. ``module.to(np.float64)`` (or
    ``module.double()`` / ``module.float()``) casts every parameter and floating buffer in place;
    do it before building the optimizer. Inputs keep their dtype: a float64 input to a float32
    model gives float64 outputs (NumPy promotion), whereas PyTorch would raise.
    """

    _buffers: ClassVar[tuple[str, ...]] = ()
    training: bool

    def __init__(self) -> None:
        self.training = True

    # -- computation -------------------------------------------------------------------------
    def forward(self, x: Array) -> Array:
        """Compute the output and cache what ``backward`` needs."""
        raise NotImplementedError

    def backward(self, grad_out: Array) -> Array:
        """Given dL/d(output) of the last ``forward``, accumulate parameter grads; return dL/dx."""
        raise NotImplementedError

    def __call__(self, x: Array) -> Array:
        return self.forward(x)

    # -- structure ---------------------------------------------------------------------------
    def named_children(self) -> Iterator[tuple[str, Module]]:
        """Direct sub-modules with their attribute names."""
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value

    def children(self) -> Iterator[Module]:
        """Direct sub-modules."""
        for _, child in self.named_children():
            yield child

    def modules(self) -> Iterator[Module]:
        """This module and all its descendants, depth first."""
        yield self
        for child in self.children():
            yield from child.modules()

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """Parameters with dotted names such as ``"0.weight"`` (as in PyTorch's state_dict)."""
        for name, value in vars(self).items():
            if isinstance(value, Parameter):
                yield prefix + name, value
        for name, child in self.named_children():
            yield from child.named_parameters(prefix + name + ".")

    def parameters(self) -> list[Parameter]:
        """All learnable parameters (a list, so it can be passed to several optimizers)."""
        return [p for _, p in self.named_parameters()]

    def named_buffers(self, prefix: str = "") -> Iterator[tuple[str, Array]]:
        """Non-learnable state arrays (e.g. ``running_mean``) with dotted names."""
        for name in self._buffers:
            value = getattr(self, name)
            if value is not None:
                yield prefix + name, value
        for name, child in self.named_children():
            yield from child.named_buffers(prefix + name + ".")

    # -- modes and gradients -----------------------------------------------------------------
    def train(self, mode: bool = True) -> Self:
        """Set training mode (Dropout drops, BatchNorm uses batch statistics); return self."""
        for m in self.modules():
            m.training = mode
        return self

    def eval(self) -> Self:
        """Set evaluation mode, i.e. ``train(False)``; return self."""
        return self.train(False)

    def zero_grad(self) -> None:
        """Zero the ``grad`` of every parameter."""
        for p in self.parameters():
            p.zero_grad()

    # -- dtype -------------------------------------------------------------------------------
    def to(self, dtype: npt.DTypeLike) -> Self:
        """Cast all parameters and floating-point buffers to ``dtype`` in place; return self."""
        for p in self.parameters():
            p.to(dtype)
        for m in self.modules():
            for name in m._buffers:
                value = getattr(m, name)
                if isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.floating):
                    setattr(m, name, value.astype(dtype))
        return self

    def double(self) -> Self:
        """``to(np.float64)``, e.g. for gradient checks."""
        return self.to(np.float64)

    def float(self) -> Self:
        """``to(np.float32)``, the default."""
        return self.to(np.float32)

    # -- serialisation -----------------------------------------------------------------------
    def state_dict(self) -> dict[str, Array]:
        """Copies of every parameter and buffer, keyed by dotted name as in PyTorch."""
        state = {name: p.data.copy() for name, p in self.named_parameters()}
        state.update((name, np.array(b, copy=True)) for name, b in self.named_buffers())
        return state

    def load_state_dict(self, state_dict: Mapping[str, npt.ArrayLike], strict: bool = True) -> None:
        """Copy values into the existing arrays (so optimizers keep valid references).

        With ``strict=True`` the keys must match exactly; shapes must always match.
        """
        targets: dict[str, Array] = {name: p.data for name, p in self.named_parameters()}
        targets.update(self.named_buffers())
        if strict:
            missing = sorted(set(targets) - set(state_dict))
            unexpected = sorted(set(state_dict) - set(targets))
            if missing or unexpected:
                raise KeyError(f"missing keys {missing}, unexpected keys {unexpected}")
        for name, value in state_dict.items():
            if name not in targets:
                continue
            source = np.asarray(value)
            if source.shape != targets[name].shape:
                raise ValueError(
                    f"size mismatch for {name}: {source.shape} vs {targets[name].shape}"
                )
            np.copyto(targets[name], source, casting="unsafe")

    def extra_repr(self) -> str:
        """Arguments shown by ``repr``."""
        return ""

    def __repr__(self) -> str:
        children = list(self.named_children())
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"  ({name}): " + repr(child).replace("\n", "\n  ") for name, child in children]
        return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"


class Sequential(Module):
    """Chain of modules: ``forward`` is ``x -> m_k(...m_1(x))``, ``backward`` runs in reverse.

    ``model[0]`` indexes, ``model[1:]`` slices (a new ``Sequential`` sharing the modules),
    ``len(model)`` counts and ``for m in model`` iterates, as with ``torch.nn.Sequential``.
    """

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        self.layers: list[Module] = list(modules)

    def named_children(self) -> Iterator[tuple[str, Module]]:
        for i, m in enumerate(self.layers):
            yield str(i), m

    def forward(self, x: Array) -> Array:
        for m in self.layers:
            x = m.forward(x)
        return x

    def backward(self, grad_out: Array) -> Array:
        for m in reversed(self.layers):
            grad_out = m.backward(grad_out)
        return grad_out

    def append(self, module: Module) -> Sequential:
        """Add a module at the end; return self."""
        self.layers.append(module)
        return self

    @overload
    def __getitem__(self, index: int) -> Module: ...

    @overload
    def __getitem__(self, index: slice) -> Sequential: ...

    def __getitem__(self, index: int | slice) -> Module | Sequential:
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)
