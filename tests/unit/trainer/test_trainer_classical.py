"""Classical models and metrics: values derived by hand, properties, and scikit-learn's outputs.

``tests/reference/classical_sklearn.npz`` holds scikit-learn's results on stored inputs; it was
written once by ``tests/reference/make_classical_reference.py`` in a separate environment (the
project never imports scikit-learn).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from quizapp.trainer import (
    PCA,
    DecisionTreeClassifier,
    KMeans,
    KNeighborsClassifier,
    LogisticRegression,
    average_precision_score,
    confusion_matrix,
    make_moons,
    numerical_gradient,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from quizapp.trainer.classical import nearest_indices, squared_distances

REFERENCE = Path(__file__).resolve().parents[2] / "reference" / "classical_sklearn.npz"


@pytest.fixture(scope="module")
def ref() -> dict[str, np.ndarray]:
    with np.load(REFERENCE) as data:
        return dict(data)


# -- metrics ---------------------------------------------------------------------------------------
def test_roc_curve_and_auc_by_hand() -> None:
    # scikit-learn's docstring example: scores 0.8 (+), 0.4 (-), 0.35 (+), 0.1 (-)
    y, score = np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])
    fpr, tpr, thresholds = roc_curve(y, score)
    np.testing.assert_allclose(fpr, [0, 0, 0.5, 0.5, 1])
    np.testing.assert_allclose(tpr, [0, 0.5, 0.5, 1, 1])
    np.testing.assert_allclose(thresholds, [np.inf, 0.8, 0.4, 0.35, 0.1])
    # 3 of the 4 (positive, negative) pairs are ordered correctly
    assert roc_auc_score(y, score) == pytest.approx(0.75)
    # a tie counts one half
    assert roc_auc_score([0, 1], [0.5, 0.5]) == pytest.approx(0.5)


def test_precision_recall_curve_and_average_precision_by_hand() -> None:
    y, score = np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])
    precision, recall, thresholds = precision_recall_curve(y, score)
    # thresholds ascending: 0.1 -> 2/4, 0.35 -> 2/3, 0.4 -> 1/2, 0.8 -> 1/1, then (1, 0)
    np.testing.assert_allclose(precision, [0.5, 2 / 3, 0.5, 1.0, 1.0])
    np.testing.assert_allclose(recall, [1.0, 1.0, 0.5, 0.5, 0.0])
    np.testing.assert_allclose(thresholds, [0.1, 0.35, 0.4, 0.8])
    # AP = 0.5 * 1 (first half of recall at precision 1) + 0.5 * 2/3
    assert average_precision_score(y, score) == pytest.approx(0.5 + 1 / 3)


def test_roc_auc_is_the_pairwise_ranking_probability() -> None:
    gen = np.random.default_rng(0)
    y = gen.integers(0, 2, 300)
    score = np.round(gen.normal(0, 1, 300) + y, 1)  # many ties
    pos, neg = score[y == 1], score[y == 0]
    pairs = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    assert roc_auc_score(y, score) == pytest.approx(float(pairs.mean()), abs=1e-12)


def test_average_precision_of_a_random_ranking_is_about_the_positive_rate() -> None:
    gen = np.random.default_rng(1)
    y = (gen.uniform(size=20_000) < 0.1).astype(int)
    assert average_precision_score(y, gen.uniform(size=20_000)) == pytest.approx(0.1, abs=0.01)
    assert roc_auc_score(y, gen.uniform(size=20_000)) == pytest.approx(0.5, abs=0.02)


@pytest.mark.parametrize("case", ["a", "b"])
def test_ranking_metrics_match_scikit_learn(ref: dict[str, np.ndarray], case: str) -> None:
    y, score = ref[f"m{case}_y"], ref[f"m{case}_score"]
    for drop in (True, False):
        np.testing.assert_allclose(np.vstack(roc_curve(y, score, drop_intermediate=drop)),
                                   ref[f"m{case}_roc_{drop}"], rtol=1e-12)
    precision, recall, thresholds = precision_recall_curve(y, score)
    np.testing.assert_allclose(np.vstack([precision, recall]), ref[f"m{case}_pr"], rtol=1e-12)
    np.testing.assert_allclose(thresholds, ref[f"m{case}_pr_thr"])
    assert roc_auc_score(y, score) == pytest.approx(float(ref[f"m{case}_auc"]), rel=1e-12)
    assert average_precision_score(y, score) == pytest.approx(float(ref[f"m{case}_ap"]),
                                                              rel=1e-12)


def test_confusion_matrix_rows_true_columns_predicted() -> None:
    y_true = np.array([0, 0, 0, 1, 1, 1, 1])
    y_pred = np.array([0, 1, 0, 1, 1, 0, 1])
    # [[TN, FP], [FN, TP]]
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred), [[2, 1], [1, 3]])
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred, labels=[1, 0]),
                                  [[3, 1], [1, 2]])


# -- logistic regression ---------------------------------------------------------------------------
def test_logistic_regression_first_step_by_hand() -> None:
    # from w = b = 0: p = 1/2, dJ/dw = mean(x (p - y)) = (1 * 0.5 + 2 * -0.5) / 2 = -0.25
    X, y = np.array([[1.0], [2.0]]), np.array([0, 1])
    model = LogisticRegression(lr=1.0)
    model.partial_fit(X, y)
    assert model.coef_ is not None
    assert model.coef_[0] == pytest.approx(0.25)
    assert model.intercept_ == pytest.approx(0.0)  # mean(p - y) = 0
    losses = list(LogisticRegression(lr=1.0, max_iter=1).fit_steps(X, y))
    z = np.array([0.25, 0.5])
    expected = np.mean([math.log1p(math.exp(z[0])), math.log1p(math.exp(-z[1]))])
    assert losses == [pytest.approx(expected)]


def test_logistic_regression_step_follows_the_gradient_of_its_objective() -> None:
    X, y = make_moons(60, noise=0.3, rng=0)
    model = LogisticRegression(lr=0.5, alpha=0.05)
    for _ in range(3):
        model.partial_fit(X, y)
    assert model.coef_ is not None
    w = np.r_[model.coef_, model.intercept_]

    def objective() -> float:
        model.coef_, model.intercept_ = w[:2].copy(), float(w[2])
        return model.loss(X, y)

    grad = numerical_gradient(objective, w)
    objective()
    model.partial_fit(X, y)
    np.testing.assert_allclose((w - np.r_[model.coef_, model.intercept_]) / 0.5, grad,
                               atol=1e-7)


def test_logistic_regression_loss_falls_and_boundary_is_linear() -> None:
    X, y = make_moons(100, noise=0.2, rng=1)
    model = LogisticRegression(lr=1.0, max_iter=300)
    losses = np.array(list(model.fit_steps(X, y)))
    assert np.all(np.diff(losses) <= 1e-12) and losses[-1] < 0.35
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert model.coef_ is not None
    # prediction is exactly the side of the line coef . x + b = 0
    np.testing.assert_array_equal(model.predict(X), (X @ model.coef_ + model.intercept_ > 0))


@pytest.mark.parametrize("C", [0.5, 100.0])
def test_logistic_regression_matches_scikit_learn(ref: dict[str, np.ndarray], C: float) -> None:
    X, y = ref["lr_X"], ref["lr_y"]
    model = LogisticRegression(lr=1.0, max_iter=100_000, alpha=1 / (C * len(X)),
                               tol=1e-10).fit(X, y)
    assert model.coef_ is not None
    np.testing.assert_allclose(np.r_[model.coef_, model.intercept_], ref[f"lr_coef_{C}"],
                               atol=1e-6)


# -- k-NN ------------------------------------------------------------------------------------------
def test_knn_by_hand() -> None:
    X, y = np.array([[0.0], [1.0], [3.0]]), np.array([0, 0, 1])
    query = np.array([[2.1]])
    assert KNeighborsClassifier(1).fit(X, y).predict(query).tolist() == [1]
    model = KNeighborsClassifier(3).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(query), [[2 / 3, 1 / 3]])
    distances, indices = model.kneighbors(query)
    np.testing.assert_allclose(distances, [[0.9, 1.1, 2.1]])
    assert indices.tolist() == [[2, 1, 0]]
    # a 1-1 vote goes to the smaller label
    assert KNeighborsClassifier(2).fit(X, y).predict([[2.0]]).tolist() == [0]
    with pytest.raises(ValueError, match="n_neighbors"):
        KNeighborsClassifier(4).fit(X, y)


def test_one_nearest_neighbour_memorises_the_training_set() -> None:
    X, y = make_moons(200, noise=0.4, rng=2)
    assert np.mean(KNeighborsClassifier(1).fit(X, y).predict(X) == y) == 1.0
    assert np.mean(KNeighborsClassifier(25).fit(X, y).predict(X) == y) < 1.0


@pytest.mark.parametrize("k", [1, 5, 8])
def test_knn_matches_scikit_learn(ref: dict[str, np.ndarray], k: int) -> None:
    model = KNeighborsClassifier(k).fit(ref["knn_X"], ref["knn_y"])
    np.testing.assert_allclose(model.predict_proba(ref["knn_Xq"]), ref[f"knn_proba_{k}"])
    np.testing.assert_array_equal(model.predict(ref["knn_Xq"]), ref[f"knn_pred_{k}"])


# -- decision tree ---------------------------------------------------------------------------------
def test_tree_stump_by_hand() -> None:
    X, y = np.array([[1.0], [2.0], [3.0], [4.0]]), np.array([0, 0, 1, 1])
    for criterion, root in (("gini", 0.5), ("entropy", 1.0)):  # entropy in bits
        tree = DecisionTreeClassifier(criterion=criterion).fit(X, y).tree_
        assert tree is not None
        assert tree.threshold[0] == 2.5 and tree.feature[0] == 0
        np.testing.assert_allclose(tree.impurity, [root, 0.0, 0.0])
        assert tree.children_left.tolist() == [1, -1, -1]
        assert tree.children_right.tolist() == [2, -1, -1]


def test_gini_prefers_the_split_that_makes_a_pure_node() -> None:
    # (400, 400): feature 0 splits it (300, 100) / (100, 300), feature 1 (200, 400) / (200, 0).
    # Both misclassify 200, but the weighted Gini is 0.375 vs 0.75 * 4/9 = 0.333: feature 1.
    x0 = np.r_[np.zeros(300), np.ones(100), np.zeros(100), np.ones(300)]
    x1 = np.r_[np.zeros(200), np.ones(200), np.zeros(400)]
    y = np.r_[np.zeros(400), np.ones(400)]
    model = DecisionTreeClassifier(max_depth=1).fit(np.column_stack([x0, x1]), y)
    assert model.tree_ is not None and model.tree_.feature[0] == 1
    np.testing.assert_array_equal(model.tree_.n_node_samples, [800, 600, 200])


def test_tree_depth_limit_and_a_full_tree_fits_the_training_set() -> None:
    X, y = make_moons(200, noise=0.35, rng=3)
    full = DecisionTreeClassifier().fit(X, y)
    assert np.mean(full.predict(X) == y) == 1.0
    for depth in (1, 2, 4):
        model = DecisionTreeClassifier(max_depth=depth).fit(X, y)
        assert model.get_depth() == depth and model.get_n_leaves() <= 2**depth
    stump = DecisionTreeClassifier(max_depth=0).fit(X, y)
    assert stump.get_n_leaves() == 1 and len(set(stump.predict(X).tolist())) == 1
    # every split is axis-aligned: x[f] <= t
    assert full.tree_ is not None
    inner = full.tree_.children_left >= 0
    assert set(full.tree_.feature[inner].tolist()) <= {0, 1}


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
@pytest.mark.parametrize("depth", [3, None])
def test_tree_matches_scikit_learn(ref: dict[str, np.ndarray], criterion: str,
                                   depth: int | None) -> None:
    model = DecisionTreeClassifier(depth, criterion=criterion).fit(ref["tree_X"], ref["tree_y"])
    tree, key = model.tree_, f"tree_{criterion}_{depth}"
    assert tree is not None
    np.testing.assert_array_equal(
        np.vstack([tree.children_left, tree.children_right, tree.feature, tree.n_node_samples]),
        ref[key + "_ints"])
    np.testing.assert_allclose(np.vstack([tree.threshold, tree.impurity]), ref[key + "_floats"],
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(model.predict(ref["tree_Xq"]), ref[key + "_pred"])


# -- k-means ---------------------------------------------------------------------------------------
def test_lloyd_by_hand() -> None:
    X = np.array([[0.0], [1.0], [10.0], [11.0]])
    steps = list(KMeans(2, init=[[0.0], [1.0]]).lloyd_steps(X))
    assert [(s.iteration, s.phase) for s in steps] == [
        (1, "assign"), (1, "update"), (2, "assign"), (2, "update"), (3, "assign")]
    assert steps[0].labels.tolist() == [0, 1, 1, 1]
    np.testing.assert_allclose(steps[1].centers[:, 0], [0.0, 22 / 3])
    assert steps[2].labels.tolist() == [0, 0, 1, 1]
    np.testing.assert_allclose(steps[3].centers[:, 0], [0.5, 10.5])
    assert steps[-1].converged and steps[-1].inertia == pytest.approx(1.0)
    model = KMeans(2, init=[[0.0], [1.0]]).fit(X)
    assert model.n_iter_ == 3 and model.inertia_ == pytest.approx(1.0)


def test_lloyd_inertia_never_rises() -> None:
    X, _ = make_moons(300, noise=0.1, rng=4)
    for seed in range(5):
        steps = list(KMeans(6, init="random", rng=seed).lloyd_steps(X))
        inertias = np.array([s.inertia for s in steps])
        assert np.all(np.diff(inertias) <= 1e-9 * inertias[0])
        assert steps[-1].converged


def test_kmeans_plus_plus_spreads_the_initial_centres() -> None:
    gen = np.random.default_rng(5)
    centres = np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 100.0]])
    X = np.vstack([gen.normal(c, 1.0, (30, 2)) for c in centres])
    for seed in range(20):
        for trials in (1, None):
            init = KMeans(3, n_local_trials=trials, rng=seed).init_centers(X)
            nearest = np.argmin(((init[:, None] - centres[None]) ** 2).sum(-1), axis=1)
            assert sorted(nearest.tolist()) == [0, 1, 2]
    # random initialisation: k distinct data points, reproducible from the seed
    first = KMeans(3, init="random", rng=7).init_centers(X)
    np.testing.assert_array_equal(first, KMeans(3, init="random", rng=7).init_centers(X))
    assert len({tuple(c) for c in first}) == 3


@pytest.mark.parametrize("case", ["given", "empty"])
def test_kmeans_matches_scikit_learn(ref: dict[str, np.ndarray], case: str) -> None:
    model = KMeans(3, init=ref[f"km_{case}_init"]).fit(ref["km_X"])
    assert model.cluster_centers_ is not None and model.labels_ is not None
    np.testing.assert_allclose(model.cluster_centers_, ref[f"km_{case}_centers"], rtol=1e-10)
    np.testing.assert_array_equal(model.labels_, ref[f"km_{case}_labels"])
    inertia, n_iter = ref[f"km_{case}_inertia_iter"]
    assert model.inertia_ == pytest.approx(inertia, rel=1e-10) and model.n_iter_ == n_iter


def test_kmeans_keeps_the_best_of_several_initialisations() -> None:
    X, _ = make_moons(200, noise=0.1, rng=6)
    probe = KMeans(8, init="random", rng=0)  # the same draws as fit's n_init runs
    finals = [list(probe.lloyd_steps(X))[-1].inertia for _ in range(6)]
    assert max(finals) > 1.05 * min(finals)  # local optima that depend on the start
    best = KMeans(8, init="random", n_init=6, rng=0).fit(X)
    assert best.inertia_ == min(finals)


# -- PCA -------------------------------------------------------------------------------------------
def test_pca_by_hand() -> None:
    X = np.array([[-1.0, -1.0], [1.0, 1.0], [3.0, 3.0]])  # on the line y = x, mean (1, 1)
    model = PCA().fit(X)
    assert model.components_ is not None and model.explained_variance_ is not None
    np.testing.assert_allclose(model.components_[0], [1 / math.sqrt(2), 1 / math.sqrt(2)])
    # centred points at distance -2√2, 0, 2√2 along it: variance (8 + 0 + 8) / (3 - 1) = 8
    np.testing.assert_allclose(model.explained_variance_, [8.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(model.explained_variance_ratio_, [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(model.transform(X)[:, 0], [-2 * math.sqrt(2), 0, 2 * math.sqrt(2)])


def test_pca_reconstruction_error_is_the_discarded_variance() -> None:
    gen = np.random.default_rng(8)
    X = gen.normal(0, 1, (200, 5)) @ gen.normal(0, 1, (5, 5))
    full = PCA().fit(X)
    assert full.explained_variance_ratio_ is not None and full.explained_variance_ is not None
    assert full.explained_variance_ratio_.sum() == pytest.approx(1.0)
    assert np.all(np.diff(full.explained_variance_) <= 0)
    assert full.components_ is not None
    np.testing.assert_allclose(full.components_ @ full.components_.T, np.eye(5), atol=1e-12)
    for k in range(6):
        model = PCA(k).fit(X)
        restored = model.inverse_transform(model.transform(X))
        error = float(np.sum((X - restored) ** 2)) / (len(X) - 1)
        assert error == pytest.approx(float(full.explained_variance_[k:].sum()), abs=1e-9)


def test_pca_matches_scikit_learn(ref: dict[str, np.ndarray]) -> None:
    X = ref["pca_X"]
    model = PCA(2).fit(X)
    np.testing.assert_allclose(model.components_, ref["pca_components"], atol=1e-12)
    np.testing.assert_allclose(
        np.vstack([model.explained_variance_, model.explained_variance_ratio_,
                   model.singular_values_]), ref["pca_variance"], rtol=1e-12)
    np.testing.assert_allclose(model.transform(X), ref["pca_scores"], atol=1e-10)
    np.testing.assert_allclose(model.inverse_transform(model.transform(X)), ref["pca_restored"],
                               atol=1e-10)
    assert PCA(0.9).fit(X).n_components_ == int(ref["pca_n_for_0.9"])


def test_nearest_indices_is_a_stable_sort_prefix() -> None:
    gen = np.random.default_rng(9)
    d2 = gen.integers(0, 6, (50, 40)).astype(float)  # many exact ties
    for k in (1, 3, 17, 40):
        np.testing.assert_array_equal(nearest_indices(d2, k),
                                      np.argsort(d2, axis=1, kind="stable")[:, :k])
    X = gen.normal(size=(30, 3))
    np.testing.assert_allclose(squared_distances(X, X[:7]),
                               ((X[:, None] - X[None, :7]) ** 2).sum(-1))
