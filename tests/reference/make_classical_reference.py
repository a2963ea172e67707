"""Write ``classical_sklearn.npz``: scikit-learn's outputs for the trainer's classical models.

Run once, outside the project's environment (the app and its tests never import
scikit-learn)::

    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn
    /tmp/skvenv/bin/python tests/reference/make_classical_reference.py

The inputs are stored next to the outputs, so the test (``tests/unit/trainer/
test_trainer_classical.py``) needs only NumPy. Features are rounded to float32 values, because
scikit-learn's trees work in float32.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

OUT = Path(__file__).resolve().parent / "classical_sklearn.npz"


def f32(a: np.ndarray) -> np.ndarray:
    return a.astype(np.float32).astype(np.float64)


def moons(n: int, noise: float, gen: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    t = gen.uniform(0.0, np.pi, n)
    y = gen.integers(0, 2, n)
    X = np.where(y[:, None] == 0, np.column_stack([np.cos(t), np.sin(t)]),
                 np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)]))
    return f32(X + gen.normal(0, noise, X.shape)), y


def main() -> None:
    gen = np.random.default_rng(2024)
    out: dict[str, np.ndarray] = {"sklearn_version": np.array(sklearn.__version__)}

    # ranking metrics: scores rounded to one decimal, so there are many ties
    for name, n, rate in (("a", 60, 0.4), ("b", 300, 0.05)):
        y = (gen.uniform(size=n) < rate).astype(np.int64)
        y[:2] = (0, 1)
        score = np.round(gen.normal(0, 1, n) + 1.2 * y, 1)
        out[f"m{name}_y"], out[f"m{name}_score"] = y, score
        for drop in (True, False):
            fpr, tpr, thr = roc_curve(y, score, drop_intermediate=drop)
            out[f"m{name}_roc_{drop}"] = np.vstack([fpr, tpr, thr])
        p, r, t = precision_recall_curve(y, score)
        out[f"m{name}_pr"], out[f"m{name}_pr_thr"] = np.vstack([p, r]), t
        out[f"m{name}_auc"] = np.array(roc_auc_score(y, score))
        out[f"m{name}_ap"] = np.array(average_precision_score(y, score))

    # logistic regression: C = 1 / (alpha n)
    X, y = moons(80, 0.3, gen)
    out["lr_X"], out["lr_y"] = X, y
    for C in (0.5, 100.0):
        model = LogisticRegression(C=C, tol=1e-12, max_iter=100_000).fit(X, y)
        out[f"lr_coef_{C}"] = np.r_[model.coef_[0], model.intercept_]

    # k-NN: three classes, continuous features (no distance ties)
    X = f32(gen.normal(0, 1, (40, 2)))
    y = gen.integers(0, 3, 40)
    Xq = f32(gen.normal(0, 1.2, (30, 2)))
    out["knn_X"], out["knn_y"], out["knn_Xq"] = X, y, Xq
    for k in (1, 5, 8):
        model = KNeighborsClassifier(n_neighbors=k).fit(X, y)
        out[f"knn_proba_{k}"] = model.predict_proba(Xq)
        out[f"knn_pred_{k}"] = model.predict(Xq)

    # trees
    X, y = moons(120, 0.3, gen)
    Xq = f32(gen.uniform(-1.5, 2.5, (200, 2)))
    out["tree_X"], out["tree_y"], out["tree_Xq"] = X, y, Xq
    for criterion in ("gini", "entropy"):
        for depth in (3, None):
            model = DecisionTreeClassifier(criterion=criterion, max_depth=depth,
                                           random_state=0).fit(X, y)
            t = model.tree_
            key = f"tree_{criterion}_{depth}"
            out[key + "_ints"] = np.vstack([t.children_left, t.children_right, t.feature,
                                            t.n_node_samples])
            out[key + "_floats"] = np.vstack([t.threshold, t.impurity])
            out[key + "_pred"] = model.predict(Xq)

    # k-means from given initial centres; case "empty" starts one centre far away
    centres = np.array([[0.0, 0.0], [4.0, 1.0], [1.0, 5.0]])
    X = np.vstack([gen.normal(c, 0.9, (50, 2)) for c in centres])
    out["km_X"] = X
    inits = {"given": X[[0, 1, 2]], "empty": np.array([[0.5, 2.0], [2.0, 2.0], [40.0, 40.0]])}
    for name, init in inits.items():
        model = KMeans(n_clusters=3, init=init, n_init=1, algorithm="lloyd").fit(X)
        out[f"km_{name}_init"] = init
        out[f"km_{name}_centers"] = model.cluster_centers_
        out[f"km_{name}_labels"] = model.labels_
        out[f"km_{name}_inertia_iter"] = np.array([model.inertia_, model.n_iter_])

    # PCA: correlated 4-D data
    A = gen.normal(0, 1, (4, 4))
    X = gen.normal(0, 1, (50, 4)) @ A + np.array([1.0, -2.0, 0.5, 3.0])
    out["pca_X"] = X
    model = PCA(n_components=2).fit(X)
    out["pca_components"] = model.components_
    out["pca_variance"] = np.vstack([model.explained_variance_, model.explained_variance_ratio_,
                                     model.singular_values_])
    out["pca_scores"] = model.transform(X)
    out["pca_restored"] = model.inverse_transform(model.transform(X))
    out["pca_n_for_0.9"] = np.array(PCA(n_components=0.9).fit(X).n_components_)

    np.savez_compressed(OUT, **out)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes) with scikit-learn {sklearn.__version__}")


if __name__ == "__main__":
    main()
