"""Ridge, Lasso and ElasticNet with scikit-learn's objectives, and regularisation paths.

Objectives (n samples; the intercept is never penalised and is fitted by centring X and y):

- ``Ridge(alpha)``:            ||y - Xw - b||^2 + alpha * ||w||^2              (no 1/n factor!)
- ``Lasso(alpha)``:            1/(2n) ||y - Xw - b||^2 + alpha * ||w||_1
- ``ElasticNet(alpha, l1_ratio)``: 1/(2n) ||y - Xw - b||^2 + alpha * l1_ratio * ||w||_1
                               + alpha * (1 - l1_ratio) / 2 * ||w||^2

Lasso and ElasticNet are solved by cyclic coordinate descent (as scikit-learn's ``cd_fast``);
Ridge by its closed form (or by the same coordinate descent with ``solver="cd"``). Multiplying
an objective by n shows that all three are

    1/2 ||r||^2 + l1 * ||w||_1 + l2 / 2 * ||w||^2

with (l1, l2) = (alpha n, 0) for Lasso, (alpha l1_ratio n, alpha (1 - l1_ratio) n) for
ElasticNet and (0, alpha) for Ridge (after halving). One coordinate step on w_j, with the
residual r computed *without* feature j, is the soft-thresholding update

    w_j = S(x_j . r, l1) / (||x_j||^2 + l2),   S(z, t) = sign(z) * max(|z| - t, 0),

which sets w_j exactly to zero whenever |x_j . r| <= l1: that is where Lasso's zeros come from.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ._types import Array


class ConvergenceWarning(RuntimeWarning):
    """Coordinate descent reached ``max_iter`` before the duality gap fell below ``tol``."""


def soft_threshold(z: Array | float, t: float) -> Array:
    """S(z, t) = sign(z) * max(|z| - t, 0), the proximal operator of t * |.|."""
    z = np.asarray(z)
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def _duality_gap(X: Array, y: Array, w: Array, r: Array, l1: float, l2: float) -> float:
    """Duality gap of 1/2 ||r||^2 + l1 ||w||_1 + l2/2 ||w||^2 (scikit-learn's cd_fast formula)."""
    xta = X.T @ r - l2 * w
    dual_norm = float(np.max(np.abs(xta))) if xta.size else 0.0
    r_norm2 = float(r @ r)
    w_norm2 = float(w @ w)
    if dual_norm > l1:
        const = l1 / dual_norm
        gap = 0.5 * (r_norm2 + r_norm2 * const**2)
    else:
        const = 1.0
        gap = r_norm2
    gap += l1 * float(np.abs(w).sum()) - const * float(r @ y) + 0.5 * l2 * (1 + const**2) * w_norm2
    return gap


def coordinate_descent(
    X: Array,
    y: Array,
    l1: float,
    l2: float,
    w0: Array | None = None,
    *,
    tol: float = 1e-4,
    max_iter: int = 1000,
) -> tuple[Array, int, float]:
    """Minimise 1/2 ||y - Xw||^2 + l1 ||w||_1 + l2/2 ||w||^2 by cyclic coordinate descent.

    Stops as scikit-learn does: after a sweep whose largest weight change is below
    ``tol * max|w|``, if the duality gap is below ``tol * ||y||^2``. Returns (w, sweeps, gap).
    """
    X = np.asfortranarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n_features = X.shape[1]
    w = np.zeros(n_features) if w0 is None else np.array(w0, dtype=np.float64, copy=True)
    col_norm2 = np.einsum("ij,ij->j", X, X)
    r = y - X @ w
    gap_tol = tol * float(y @ y)
    gap = np.inf
    for sweep in range(1, max_iter + 1):
        w_max = d_w_max = 0.0
        for j in range(n_features):
            if col_norm2[j] == 0.0:
                continue
            w_old = w[j]
            xj = X[:, j]
            if w_old != 0.0:
                r += w_old * xj  # residual without feature j
            z = float(xj @ r)
            w_new = float(np.sign(z)) * max(abs(z) - l1, 0.0) / (col_norm2[j] + l2)
            if w_new != 0.0:
                r -= w_new * xj
            w[j] = w_new
            d_w_max = max(d_w_max, abs(w_new - w_old))
            w_max = max(w_max, abs(w_new))
        small_change = w_max == 0.0 or d_w_max / w_max < tol
        if small_change or sweep == max_iter:
            # without an L1 term (Ridge) the weight-change test alone decides
            no_l1_gap = 0.0 if small_change else np.inf
            gap = _duality_gap(X, y, w, r, l1, l2) if l1 > 0 else no_l1_gap
            if gap < gap_tol:
                return w, sweep, gap
    warnings.warn(
        f"coordinate descent did not converge in {max_iter} sweeps (duality gap {gap:.3g})",
        ConvergenceWarning,
        stacklevel=3,
    )
    return w, max_iter, gap


class _LinearModel:
    """Shared fitting with an unpenalised intercept: centre X and y, solve, un-centre."""

    alpha: float
    fit_intercept: bool

    def __init__(self) -> None:
        self.coef_: Array | None = None
        self.intercept_: float = 0.0
        self.n_iter_: int = 0
        self.dual_gap_: float = 0.0

    def _solve(self, X: Array, y: Array) -> Array:
        raise NotImplementedError

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike) -> _LinearModel:
        """Fit ``coef_`` and ``intercept_``; return self."""
        Xa = np.asarray(X, dtype=np.float64)
        ya = np.asarray(y, dtype=np.float64)
        if Xa.ndim != 2 or ya.shape != (Xa.shape[0],):
            raise ValueError(f"need X (n, p) and y (n,), got {Xa.shape} and {ya.shape}")
        if self.fit_intercept:
            x_mean, y_mean = Xa.mean(axis=0), float(ya.mean())
            self.coef_ = self._solve(Xa - x_mean, ya - y_mean)
            self.intercept_ = y_mean - float(x_mean @ self.coef_)
        else:
            self.coef_ = self._solve(Xa, ya)
            self.intercept_ = 0.0
        return self

    def predict(self, X: npt.ArrayLike) -> Array:
        """X @ coef_ + intercept_."""
        if self.coef_ is None:
            raise RuntimeError("model is not fitted yet; call fit() first")
        return np.asarray(X, dtype=np.float64) @ self.coef_ + self.intercept_

    def score(self, X: npt.ArrayLike, y: npt.ArrayLike) -> float:
        """Coefficient of determination R^2 = 1 - SS_res / SS_tot."""
        ya = np.asarray(y, dtype=np.float64)
        ss_res = float(((ya - self.predict(X)) ** 2).sum())
        ss_tot = float(((ya - ya.mean()) ** 2).sum())
        return 1.0 - ss_res / ss_tot

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.endswith("_"))
        return f"{type(self).__name__}({args})"


class ElasticNet(_LinearModel):
    """1/(2n) ||y - Xw - b||^2 + alpha * l1_ratio * ||w||_1 + alpha * (1 - l1_ratio)/2 * ||w||^2.

    Coordinate descent update for w_j (r = residual without feature j):
    w_j = S(x_j . r, n alpha l1_ratio) / (||x_j||^2 + n alpha (1 - l1_ratio)).
    ``warm_start=True`` starts from the previous ``coef_`` (used along regularisation paths).
    """

    def __init__(
        self,
        alpha: float = 1.0,
        l1_ratio: float = 0.5,
        *,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float = 1e-4,
        warm_start: bool = False,
    ) -> None:
        super().__init__()
        if alpha < 0 or not 0.0 <= l1_ratio <= 1.0:
            raise ValueError("need alpha >= 0 and 0 <= l1_ratio <= 1")
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    def _solve(self, X: Array, y: Array) -> Array:
        n = X.shape[0]
        w0 = self.coef_ if self.warm_start and self.coef_ is not None else None
        w, self.n_iter_, self.dual_gap_ = coordinate_descent(
            X,
            y,
            l1=self.alpha * self.l1_ratio * n,
            l2=self.alpha * (1.0 - self.l1_ratio) * n,
            w0=w0,
            tol=self.tol,
            max_iter=self.max_iter,
        )
        return w


class Lasso(ElasticNet):
    """1/(2n) ||y - Xw - b||^2 + alpha * ||w||_1: ElasticNet with l1_ratio = 1.

    Coordinate descent: w_j = S(x_j . r, n alpha) / ||x_j||^2, exactly 0 when |x_j . r| <= n alpha.
    Among strongly correlated features it may keep one and zero the others (an unstable
    choice); ElasticNet's L2 part makes it share weight between them, as Ridge does.
    """

    def __init__(
        self,
        alpha: float = 1.0,
        *,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float = 1e-4,
        warm_start: bool = False,
    ) -> None:
        super().__init__(
            alpha,
            1.0,
            fit_intercept=fit_intercept,
            max_iter=max_iter,
            tol=tol,
            warm_start=warm_start,
        )


class Ridge(_LinearModel):
    """||y - Xw - b||^2 + alpha * ||w||^2 (scikit-learn's Ridge objective).

    Closed form on centred data: w = (X^T X + alpha I)^{-1} X^T y (``solver="cholesky"``,
    computed with a linear solve), or coordinate descent with ``solver="cd"``:
    w_j = x_j . r / (||x_j||^2 + alpha). The penalty shrinks weights but never to exactly 0,
    and spreads weight evenly across correlated features.
    """

    def __init__(
        self,
        alpha: float = 1.0,
        *,
        fit_intercept: bool = True,
        solver: str = "cholesky",
        max_iter: int = 1000,
        tol: float = 1e-4,
    ) -> None:
        super().__init__()
        if alpha < 0:
            raise ValueError("need alpha >= 0")
        if solver not in ("cholesky", "cd"):
            raise ValueError("solver must be 'cholesky' or 'cd'")
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol

    def _solve(self, X: Array, y: Array) -> Array:
        if self.solver == "cd":
            w, self.n_iter_, self.dual_gap_ = coordinate_descent(
                X, y, l1=0.0, l2=self.alpha, tol=self.tol, max_iter=self.max_iter
            )
            return w
        gram = X.T @ X + self.alpha * np.eye(X.shape[1])
        return np.linalg.solve(gram, X.T @ y)


def alpha_grid(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    l1_ratio: float = 1.0,
    n_alphas: int = 100,
    eps: float = 1e-3,
    fit_intercept: bool = True,
) -> Array:
    """scikit-learn's default Lasso/ElasticNet grid, from alpha_max down to eps * alpha_max.

    alpha_max = max_j |x_j . y| / (n * l1_ratio) (on centred data) is the smallest alpha at
    which every coefficient is zero. Log-spaced, decreasing.
    """
    Xa = np.asarray(X, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    if fit_intercept:
        Xa, ya = Xa - Xa.mean(axis=0), ya - ya.mean()
    if l1_ratio <= 0:
        raise ValueError("alpha_grid needs l1_ratio > 0 (there is no alpha_max for Ridge)")
    alpha_max = float(np.max(np.abs(Xa.T @ ya))) / (len(ya) * l1_ratio)
    return np.logspace(np.log10(alpha_max * eps), np.log10(alpha_max), n_alphas)[::-1]


def regularization_path(
    model: _LinearModel, X: npt.ArrayLike, y: npt.ArrayLike, alphas: Sequence[float] | Array
) -> Array:
    """Coefficients of ``model`` refitted at each alpha: shape (n_features, n_alphas).

    Columns follow the order of ``alphas`` (as scikit-learn's ``lasso_path``). Fits run from the
    largest alpha down, each warm-started from the previous solution; ``model`` is not changed.
    """
    alphas_arr = np.asarray(alphas, dtype=np.float64)
    work = copy.deepcopy(model)
    if isinstance(work, ElasticNet):
        work.warm_start = True
        work.coef_ = None
    coefs = np.zeros((np.asarray(X).shape[1], len(alphas_arr)))
    for i in np.argsort(-alphas_arr, kind="stable"):
        work.alpha = float(alphas_arr[i])
        work.fit(X, y)
        assert work.coef_ is not None
        coefs[:, i] = work.coef_
    return coefs
