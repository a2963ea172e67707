"""Ridge, Lasso and ElasticNet: objectives, optimality conditions, sparsity and spreading."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from quizapp.trainer import (
    ElasticNet,
    Lasso,
    Ridge,
    alpha_grid,
    make_correlated_regression,
    regularization_path,
    soft_threshold,
)


def sparse_problem(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """y depends on features 0 and 1 only; features 2..7 are irrelevant noise."""
    gen = np.random.default_rng(seed)
    X = gen.standard_normal((200, 8))
    y = 3.0 * X[:, 0] - 2.0 * X[:, 1] + 5.0 + 0.1 * gen.standard_normal(200)
    return X, y


def test_soft_threshold() -> None:
    np.testing.assert_allclose(
        soft_threshold(np.array([-3.0, -0.5, 0.0, 0.5, 3.0]), 1.0), [-2.0, 0.0, 0.0, 0.0, 2.0]
    )


def test_lasso_gives_exact_zeros_on_irrelevant_features() -> None:
    X, y = sparse_problem()
    model = Lasso(alpha=0.1).fit(X, y)
    assert model.coef_ is not None
    assert np.all(model.coef_[2:] == 0.0)  # exactly zero, not merely small
    assert model.coef_[0] == pytest.approx(3.0 - 0.1, abs=0.05)  # shrunk by about alpha
    assert model.coef_[1] == pytest.approx(-2.0 + 0.1, abs=0.05)
    assert model.intercept_ == pytest.approx(5.0, abs=0.05)


def test_lasso_solution_satisfies_the_kkt_conditions() -> None:
    # Objective 1/(2n) ||y - Xw - b||^2 + alpha ||w||_1. At the optimum, with centred data and
    # c_j = x_j . r / n:  c_j = alpha * sign(w_j) if w_j != 0, and |c_j| <= alpha if w_j == 0.
    X, y = sparse_problem(1)
    alpha = 0.3
    model = Lasso(alpha=alpha, tol=1e-10, max_iter=10_000).fit(X, y)
    assert model.coef_ is not None
    r = y - model.predict(X)
    c = (X - X.mean(axis=0)).T @ r / len(y)
    active = model.coef_ != 0
    np.testing.assert_allclose(c[active], alpha * np.sign(model.coef_[active]), atol=1e-6)
    assert np.all(np.abs(c[~active]) <= alpha + 1e-9)
    assert abs(r.mean()) < 1e-9  # the intercept is fitted, not penalised


def test_elastic_net_kkt_conditions() -> None:
    # gradient of 1/(2n)||r||^2 + a*rho*|w|_1 + a(1-rho)/2 ||w||^2 on the active set:
    # -x_j . r / n + a * rho * sign(w_j) + a * (1 - rho) * w_j = 0
    X, y = sparse_problem(2)
    a, rho = 0.2, 0.5
    model = ElasticNet(alpha=a, l1_ratio=rho, tol=1e-10, max_iter=10_000).fit(X, y)
    assert model.coef_ is not None
    r = y - model.predict(X)
    c = (X - X.mean(axis=0)).T @ r / len(y)
    w = model.coef_
    active = w != 0
    np.testing.assert_allclose(
        c[active], a * rho * np.sign(w[active]) + a * (1 - rho) * w[active], atol=1e-6
    )
    assert np.all(np.abs(c[~active]) <= a * rho + 1e-9)


def test_ridge_closed_form_and_coordinate_descent_agree_with_the_normal_equations() -> None:
    # sklearn's Ridge minimises ||y - Xw - b||^2 + alpha ||w||^2 (no 1/n):
    # on centred data, w = (X^T X + alpha I)^-1 X^T y
    X, y = sparse_problem(3)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    expected = np.linalg.solve(Xc.T @ Xc + 10.0 * np.eye(8), Xc.T @ yc)
    np.testing.assert_allclose(Ridge(alpha=10.0).fit(X, y).coef_, expected, rtol=1e-10)  # type: ignore[arg-type]
    cd = Ridge(alpha=10.0, solver="cd", tol=1e-12).fit(X, y)
    np.testing.assert_allclose(cd.coef_, expected, rtol=1e-6, atol=1e-9)  # type: ignore[arg-type]


def test_ridge_spreads_weight_across_correlated_features() -> None:
    # Features 0 and 1 are near copies of one signal z; y = 2 z.
    gen = np.random.default_rng(4)
    z = gen.standard_normal(300)
    X = np.column_stack(
        [
            z + 0.05 * gen.standard_normal(300),
            z + 0.05 * gen.standard_normal(300),
            gen.standard_normal(300),
        ]
    )
    y = 2.0 * z + 0.1 * gen.standard_normal(300)
    ridge = Ridge(alpha=30.0).fit(X, y).coef_
    lasso = Lasso(alpha=0.1).fit(X, y).coef_
    assert ridge is not None and lasso is not None
    assert ridge[0] == pytest.approx(ridge[1], rel=0.1)  # shared about equally
    assert ridge[0] + ridge[1] == pytest.approx(2.0, rel=0.1)
    assert abs(ridge[2]) < 0.1 and lasso[2] == 0.0


def test_ridge_on_correlated_regression_keeps_every_feature() -> None:
    X, y, coef = make_correlated_regression(n_samples=200, n_features=6, n_informative=2, rng=5)
    ridge = Ridge(alpha=1.0).fit(X, y)
    lasso = Lasso(alpha=0.1).fit(X, y)
    assert np.all(ridge.coef_ != 0)  # type: ignore[arg-type]
    assert np.count_nonzero(lasso.coef_) < 6  # type: ignore[arg-type]
    assert ridge.score(X, y) > 0.95 and lasso.score(X, y) > 0.95
    assert np.count_nonzero(coef) == 2


def test_alpha_grid_starts_where_every_coefficient_is_zero() -> None:
    X, y = sparse_problem(6)
    alphas = alpha_grid(X, y, n_alphas=20)
    assert alphas[0] > alphas[-1] and alphas[-1] == pytest.approx(alphas[0] * 1e-3)
    assert not np.any(Lasso(alpha=alphas[0] * 1.0001).fit(X, y).coef_)
    assert np.any(Lasso(alpha=alphas[0] * 0.9).fit(X, y).coef_)


def test_regularization_path_shapes_order_and_monotone_sparsity() -> None:
    X, y = sparse_problem(7)
    alphas = [0.01, 1.0, 0.1, 10.0]  # any order; columns follow it
    coefs = regularization_path(Lasso(), X, y, alphas)
    assert coefs.shape == (8, 4)
    for i, a in enumerate(alphas):
        np.testing.assert_allclose(coefs[:, i], Lasso(alpha=a).fit(X, y).coef_, atol=1e-3)  # type: ignore[arg-type]
    nonzero = [np.count_nonzero(coefs[:, i]) for i in np.argsort(alphas)]
    assert nonzero == sorted(nonzero, reverse=True)
    ridge_path = regularization_path(Ridge(), X, y, np.logspace(-2, 3, 6))
    norms = np.linalg.norm(ridge_path, axis=0)
    assert np.all(np.diff(norms) < 0)  # more penalty, smaller weights


def test_coordinate_descent_warns_when_it_does_not_converge() -> None:
    X, y = sparse_problem(8)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Lasso(alpha=0.001, max_iter=1, tol=1e-12).fit(X, y)
    assert any("did not converge" in str(w.message) for w in caught)
