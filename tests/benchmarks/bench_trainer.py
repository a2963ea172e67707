"""Benchmark: how close is the NumPy trainer to the speed of its own matrix products?

Trains an MLP 784-256-128-10 (ReLU) with Adam, batch 128, float32, on the shipped MNIST subset
and prints: the time of one training step; the time the same matrix products take alone in NumPy
(the floor no NumPy implementation can go under) and the ratio of the two (the issue's target
is at most 1.3); the optimizer step alone, the main cost that is not a matrix product; and one
step of a small demo-sized net, 2-32-32-2 with Adam, batch 64, where Python overhead dominates.

A training step performs 9 products: 3 forward (x @ W.T), 3 weight gradients (G.T @ x) and 3
input gradients (G @ W). The API's ``backward`` returns dL/dx for the first layer too, although
training does not need it; the floor is shown with and without that product.

    python tests/benchmarks/bench_trainer.py [--steps 50] [--repeats 20] [--batch 128]
                                             [--threads N] [--torch] [--baseline DIR]

``--threads N`` sets OPENBLAS_NUM_THREADS / OMP_NUM_THREADS / MKL_NUM_THREADS before NumPy is
imported; the app itself runs with 1 (``quizapp/__init__.py``). Element-wise work is
single-threaded either way. ``--torch`` adds PyTorch's times for the same two nets, if torch
is installed. ``--baseline DIR`` also times the trainer of another checkout of the app (say
``git worktree add /tmp/old main``) in the same runs, alternating with this one, so that both
see the same load - on a shared machine the floor alone moves by 15 % between two runs. Each
figure is the *minimum* over repeats (the usual choice on a shared machine: many short runs
give it more chances to catch a quiet moment), the functions timed in turn within each repeat;
the load average is printed with them.

Each timed run starts from a freshly built model, warmed up for 20 steps. After ~700 steps on
these digits some ReLU units are dead, Adam's averages for their weights decay into subnormal
floats (and stay at the smallest one, as 0.9 times it rounds back up), and every operation on
a subnormal costs the CPU ~100 cycles: the step slows down by 20 % and more as training goes
on, which would time the CPU's denormal handling (NumPy cannot turn on flush-to-zero; PyTorch
has the same issue unless ``torch.set_flush_denormal(True)``), not the trainer. Not a test (no
``test_`` prefix): it prints figures, recorded in docs/TRAINER.md.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import importlib.util
import itertools
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="NumPy trainer vs. its matmul floor")
    parser.add_argument("--steps", type=int, default=50, help="steps per timed run")
    parser.add_argument("--repeats", type=int, default=20, help="timed runs (minimum kept)")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, default=None, help="BLAS threads")
    parser.add_argument("--torch", action="store_true", help="also time PyTorch if installed")
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    return parser.parse_args()


ARGS = parse_args() if __name__ == "__main__" else None
if ARGS is not None and ARGS.threads is not None:  # must happen before NumPy loads its BLAS
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(ARGS.threads)
# What OpenBLAS will use: it reads the variable when NumPy loads it, just below. (quizapp's
# __init__ sets it to 1 for the app, but that only counts if quizapp is imported first.)
BLAS_THREADS = os.environ.get("OPENBLAS_NUM_THREADS", f"default ({os.cpu_count()})")
# Time the checkout this file is in: run as a script, Python puts only tests/benchmarks on the
# path, and ``import quizapp`` would find whichever checkout the venv has installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np  # noqa: E402

import quizapp.trainer  # noqa: E402
from quizapp.trainer import load_mnist_5k  # noqa: E402

SIZES = (784, 256, 128, 10)
SMALL_SIZES = (2, 32, 32, 2)
SMALL_BATCH = 64
WARMUP = 20
Step = Callable[[], None]
Batches = list[tuple[np.ndarray, np.ndarray]]
Factory = Callable[[], Step]
"""Builds what one timed run calls: a fresh model for a training step, the same arrays for the
matmul floor."""


def min_times(factories: list[Factory], steps: int, repeats: int) -> list[float]:
    """Seconds per call of each function: the minimum over ``repeats`` runs of ``steps`` calls."""
    best = [float("inf")] * len(factories)
    for _ in range(repeats):
        for i, make in enumerate(factories):
            fn = make()
            for _ in range(WARMUP):  # caches, allocator, BLAS buffers
                fn()
            start = time.perf_counter()
            for _ in range(steps):
                fn()
            best[i] = min(best[i], (time.perf_counter() - start) / steps)
    return best


@functools.cache
def mnist_batches(batch: int) -> Batches:
    """The shipped digits, shuffled once, cut into float32 batches (no copies while timing)."""
    X, y = load_mnist_5k(flatten=True)
    perm = np.random.default_rng(0).permutation(len(X))
    X, y = X[perm], y[perm]
    return [(X[i : i + batch], y[i : i + batch]) for i in range(0, len(X) - batch + 1, batch)]


@functools.cache
def small_batches() -> Batches:
    """2-D points labelled by quadrant parity (XOR), float32, in batches of 64."""
    X = np.random.default_rng(0).standard_normal((16 * SMALL_BATCH, 2), dtype=np.float32)
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    return [(X[i : i + SMALL_BATCH], y[i : i + SMALL_BATCH]) for i in range(0, len(X), SMALL_BATCH)]


def cycle(data: Batches) -> Callable[[], tuple[np.ndarray, np.ndarray]]:
    it = itertools.cycle(data)
    return lambda: next(it)


def load_trainer(checkout: Path) -> ModuleType:
    """The ``quizapp.trainer`` package of another checkout, imported as ``baseline_quizapp``."""
    package = checkout / "quizapp"
    spec = importlib.util.spec_from_file_location(
        "baseline_quizapp", package / "__init__.py", submodule_search_locations=[str(package)]
    )
    assert spec is not None and spec.loader is not None, f"no quizapp package in {checkout}"
    sys.modules["baseline_quizapp"] = module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return importlib.import_module("baseline_quizapp.trainer")


def trainer(
    sizes: tuple[int, ...], data: Batches, lr: float, lib: ModuleType = quizapp.trainer
) -> tuple[Step, Step]:
    """(one training step, the optimizer step alone) for a fresh ReLU MLP trained with Adam."""
    gen = np.random.default_rng(0)
    layers = []
    for n_in, n_out in itertools.pairwise(sizes):
        layers += [lib.Linear(n_in, n_out, rng=gen), lib.ReLU()]
    model = lib.Sequential(*layers[:-1])
    opt = lib.Adam(model.parameters(), lr=lr)
    loss_fn = lib.CrossEntropyLoss()
    next_batch = cycle(data)

    def step() -> None:
        xb, yb = next_batch()
        opt.zero_grad()
        loss_fn(model(xb), yb)
        model.backward(loss_fn.backward())
        opt.step()

    return step, opt.step


def optimizer_alone(batch: int, lib: ModuleType) -> Step:
    """The MLP's optimizer step, after the warm-up steps of training that give it gradients."""
    step, opt_step = trainer(SIZES, mnist_batches(batch), 1e-3, lib)
    for _ in range(WARMUP):
        step()
    return opt_step


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


def torch_factories(batch: int) -> list[Factory] | None:  # pragma: no cover - optional
    """Training steps of the same two nets in PyTorch, or None if torch is not installed."""
    try:
        import torch
    except ImportError:
        return None

    def make(sizes: tuple[int, ...], data: Batches, lr: float) -> Step:
        torch.manual_seed(0)
        layers: list[torch.nn.Module] = []
        for n_in, n_out in itertools.pairwise(sizes):
            layers += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]
        model = torch.nn.Sequential(*layers[:-1])
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        loss_fn = torch.nn.CrossEntropyLoss()
        next_batch = cycle(data)

        def step() -> None:
            xb, yb = next_batch()
            opt.zero_grad()
            loss_fn(model(torch.from_numpy(xb)), torch.from_numpy(yb)).backward()
            opt.step()

        return step

    return [
        lambda: make(SIZES, mnist_batches(batch), 1e-3),
        lambda: make(SMALL_SIZES, small_batches(), 1e-2),
    ]


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def trainer_factories(batch: int, lib: ModuleType) -> list[Factory]:
    """Training step, optimizer alone and small-net step of one version of the trainer."""
    return [
        lambda: trainer(SIZES, mnist_batches(batch), 1e-3, lib)[0],
        lambda: optimizer_alone(batch, lib),
        lambda: trainer(SMALL_SIZES, small_batches(), 1e-2, lib)[0],
    ]


def main(args: argparse.Namespace) -> None:
    print(f"NumPy {np.__version__}, Python {platform.python_version()}, "
          f"{os.cpu_count()} logical CPUs, BLAS threads: {BLAS_THREADS}; {load()}")  # fmt: skip
    print(f"MLP {'-'.join(map(str, SIZES))}, Adam, batch {args.batch}, float32; minimum over "
          f"{args.repeats} fresh runs of {args.steps} steps")  # fmt: skip
    batch = args.batch
    floor9, floor8 = matmul_floor_fn(batch, True), matmul_floor_fn(batch, False)
    versions = {"this checkout": quizapp.trainer}
    if args.baseline is not None:
        versions[f"baseline {args.baseline}"] = load_trainer(args.baseline)
    factories: list[Factory] = [lambda: floor9, lambda: floor8]
    for lib in versions.values():
        factories += trainer_factories(batch, lib)
    t_floor9, t_floor8, *t_versions = min_times(factories, args.steps, args.repeats)
    print(f"matmul floor (9 prods): {1e3 * t_floor9:7.3f} ms")
    print(f"matmul floor (8 prods): {1e3 * t_floor8:7.3f} ms")
    small = "-".join(map(str, SMALL_SIZES))
    for i, name in enumerate(versions):
        t_step, t_opt, t_small = t_versions[3 * i : 3 * i + 3]
        if len(versions) > 1:
            print(f"{name}:")
        print(f"trainer step          : {1e3 * t_step:7.3f} ms  ({1 / t_step:6.1f} steps/s)  "
              f"-> ratio {t_step / t_floor9:.2f} to 9 products (target <= 1.3), "
              f"{t_step / t_floor8:.2f} to 8")  # fmt: skip
        print(f"  of which Adam.step  : {1e3 * t_opt:7.3f} ms  "
              f"(element-wise, {t_opt / t_step:.0%})")  # fmt: skip
        print(f"small MLP {small}, Adam, batch {SMALL_BATCH}: {1e3 * t_small:.3f} ms per step")
    if args.torch:
        torch_fns = torch_factories(batch)
        if torch_fns is None:
            print("PyTorch: not installed")
        else:
            t_torch, t_torch_small = min_times(torch_fns, args.steps, args.repeats)
            print(f"PyTorch step          : {1e3 * t_torch:7.3f} ms  "
                  f"({1 / t_torch:6.1f} steps/s)  -> ratio {t_torch / t_floor9:.2f}")  # fmt: skip
            print(f"PyTorch small MLP     : {1e3 * t_torch_small:7.3f} ms per step")
    print(load())


if __name__ == "__main__":
    assert ARGS is not None
    main(ARGS)
