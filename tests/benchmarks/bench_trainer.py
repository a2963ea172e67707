"""Benchmark: how close is the NumPy trainer to the speed of its own matrix products?

Trains an MLP 784-256-128-10 (ReLU) with Adam, batch 128, float32, on the shipped MNIST subset
for a fixed number of steps and prints: steps per second; the time the same matrix products take
alone in NumPy (the floor no NumPy implementation can go under); and their ratio. It also times
the optimizer step alone, the main cost that is not a matrix product.

A training step performs 9 products: 3 forward (x @ W.T), 3 weight gradients (G.T @ x) and 3
input gradients (G @ W). The API's ``backward`` returns dL/dx for the first layer too, although
training does not need it; the floor is shown with and without that product.

    python tests/benchmarks/bench_trainer.py [--steps 200] [--repeats 10] [--batch 128]
                                             [--threads N] [--torch]

``--threads N`` sets OPENBLAS_NUM_THREADS / OMP_NUM_THREADS / MKL_NUM_THREADS before NumPy is
imported; the app itself runs with 1 (``quizapp/__init__.py``). Element-wise work is
single-threaded either way. Each figure is the *minimum* over repeats (the usual choice on a
shared machine), and the functions are timed in turn within each repeat. Not a test (no
``test_`` prefix): it prints figures, recorded in docs/TRAINER.md.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import time
from collections.abc import Callable


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="NumPy trainer vs. its matmul floor")
    parser.add_argument("--steps", type=int, default=200, help="steps per timed run")
    parser.add_argument("--repeats", type=int, default=10, help="timed runs (minimum kept)")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, default=None, help="BLAS threads")
    parser.add_argument("--torch", action="store_true", help="also time PyTorch if installed")
    return parser.parse_args()


ARGS = parse_args() if __name__ == "__main__" else None
if ARGS is not None and ARGS.threads is not None:  # must happen before NumPy loads its BLAS
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(ARGS.threads)
# What OpenBLAS will use: it reads the variable when NumPy loads it, just below. (quizapp's
# __init__ sets it to 1 for the app, but that only counts if quizapp is imported first.)
BLAS_THREADS = os.environ.get("OPENBLAS_NUM_THREADS", f"default ({os.cpu_count()})")

import numpy as np  # noqa: E402

from quizapp.trainer import (  # noqa: E402
    Adam,
    CrossEntropyLoss,
    Linear,
    ReLU,
    Sequential,
    load_mnist_5k,
)

SIZES = (784, 256, 128, 10)
Step = Callable[[], None]


def min_times(fns: list[Step], steps: int, repeats: int) -> list[float]:
    """Seconds per call of each function: the minimum over ``repeats`` runs of ``steps`` calls."""
    for fn in fns:
        for _ in range(min(steps, 20)):  # warm up: caches, allocator, BLAS threads
            fn()
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            for _ in range(steps):
                fn()
            best[i] = min(best[i], (time.perf_counter() - start) / steps)
    return best


def batches(batch: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The shipped digits, shuffled once, cut into float32 batches (no copies while timing)."""
    X, y = load_mnist_5k(flatten=True)
    perm = np.random.default_rng(0).permutation(len(X))
    X, y = X[perm], y[perm]
    return [(X[i : i + batch], y[i : i + batch]) for i in range(0, len(X) - batch + 1, batch)]


def cycle(data: list[tuple[np.ndarray, np.ndarray]]) -> Callable[[], tuple[np.ndarray, np.ndarray]]:
    it = itertools.cycle(data)
    return lambda: next(it)


def trainer_fns(batch: int) -> tuple[Step, Step]:
    """(one training step, the optimizer step alone) for the NumPy trainer."""
    gen = np.random.default_rng(0)
    model = Sequential(
        Linear(SIZES[0], SIZES[1], rng=gen), ReLU(),
        Linear(SIZES[1], SIZES[2], rng=gen), ReLU(),
        Linear(SIZES[2], SIZES[3], rng=gen),
    )  # fmt: skip
    opt = Adam(model.parameters(), lr=1e-3)
    loss_fn = CrossEntropyLoss()
    next_batch = cycle(batches(batch))

    def step() -> None:
        xb, yb = next_batch()
        opt.zero_grad()
        loss_fn(model(xb), yb)
        model.backward(loss_fn.backward())
        opt.step()

    return step, opt.step


def matmul_floor_fn(batch: int, with_input_grad: bool) -> Step:
    """Only the matrix products of one training step, on preallocated float32 arrays."""
    gen = np.random.default_rng(0)
    f32 = np.float32
    acts = [gen.random((batch, d), dtype=f32) for d in SIZES]
    weights = [gen.random((o, i), dtype=f32) for i, o in itertools.pairwise(SIZES)]
    grads_out = [gen.random((batch, d), dtype=f32) for d in SIZES[1:]]

    def products() -> None:
        for k, w in enumerate(weights):  # forward
            acts[k] @ w.T
        for k in reversed(range(len(weights))):  # backward
            grads_out[k].T @ acts[k]  # dW
            if k > 0 or with_input_grad:
                grads_out[k] @ weights[k]  # dX

    return products


def torch_step_fn(batch: int) -> Step | None:  # pragma: no cover - optional comparison
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 10),
    )  # fmt: skip
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    next_batch = cycle(batches(batch))

    def step() -> None:
        xb, yb = next_batch()
        opt.zero_grad()
        loss_fn(model(torch.from_numpy(xb)), torch.from_numpy(yb)).backward()
        opt.step()

    return step


def main(args: argparse.Namespace) -> None:
    print(f"NumPy {np.__version__}, Python {platform.python_version()}, "
          f"{os.cpu_count()} logical CPUs, BLAS threads: {BLAS_THREADS}")  # fmt: skip
    print(f"MLP {'-'.join(map(str, SIZES))}, Adam, batch {args.batch}, float32; "
          f"min over {args.repeats} runs of {args.steps} steps")  # fmt: skip
    step, opt_step = trainer_fns(args.batch)
    fns = [step, matmul_floor_fn(args.batch, True), matmul_floor_fn(args.batch, False), opt_step]
    t_step, t_floor9, t_floor8, t_opt = min_times(fns, args.steps, args.repeats)
    print(f"trainer step          : {1e3 * t_step:7.3f} ms  ({1 / t_step:6.1f} steps/s)")
    print(f"matmul floor (9 prods): {1e3 * t_floor9:7.3f} ms  -> ratio {t_step / t_floor9:.2f}")
    print(f"matmul floor (8 prods): {1e3 * t_floor8:7.3f} ms  -> ratio {t_step / t_floor8:.2f}")
    print(f"  of which Adam.step  : {1e3 * t_opt:7.3f} ms  (element-wise, {t_opt / t_step:.0%})")
    if args.torch:
        fn = torch_step_fn(args.batch)
        if fn is None:
            print("PyTorch: not installed")
        else:
            (t_torch,) = min_times([fn], args.steps, args.repeats)
            print(f"PyTorch step          : {1e3 * t_torch:7.3f} ms  ({1 / t_torch:6.1f} steps/s)")


if __name__ == "__main__":
    assert ARGS is not None
    main(ARGS)
