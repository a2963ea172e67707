"""Classical machine learning with scikit-learn's names: models, PCA and ranking metrics.

- ``LogisticRegression``: binary, full-batch gradient descent on the mean log loss (+ L2), one
  step at a time (``partial_fit``, ``fit_steps``) or to convergence (``fit``).
- ``KNeighborsClassifier``: majority vote of the k nearest training points (Euclidean).
- ``DecisionTreeClassifier``: CART with Gini or entropy, grown depth-first as scikit-learn's.
- ``KMeans``: k-means++ or random initialisation and Lloyd's algorithm, also step by step
  (``lloyd_steps`` yields every assignment and update step).
- ``PCA``: through the SVD of the centred data, with scikit-learn's sign convention.
- Metrics: ``roc_curve``, ``precision_recall_curve``, ``roc_auc_score``,
  ``average_precision_score``, ``confusion_matrix``.

Everything is float64 NumPy and follows scikit-learn's definitions; the few deliberate
differences are stated in the docstrings and in ``docs/TRAINER.md``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from ._types import Array, RNGLike, as_generator
from .activations import sigmoid, softplus

#: scikit-learn's tree: a node whose impurity is at most this is pure (a leaf)
_EPSILON = float(np.finfo(np.float64).eps)
#: scikit-learn's tree: two feature values closer than this are not split between
_FEATURE_THRESHOLD = 1e-7


def _as_2d(X: npt.ArrayLike) -> Array:
    Xa = np.asarray(X, dtype=np.float64)
    if Xa.ndim != 2:
        raise ValueError(f"expected X of shape (n_samples, n_features), got {Xa.shape}")
    return Xa


def _check_fitted(value: Array | None, name: str) -> Array:
    if value is None:
        raise RuntimeError(f"{name} is not fitted yet; call fit() first")
    return value


def squared_distances(A: Array, B: Array, chunk: int = 2048) -> Array:
    """All squared Euclidean distances ||a_i - b_j||^2, shape (len(A), len(B)).

    Summed feature by feature from differences (exact ties stay exact and nothing is negative,
    unlike the expansion ||a||^2 - 2 a.b + ||b||^2), ``chunk`` rows of A at a time, so the
    temporaries stay (chunk, len(B)).
    """
    out = np.zeros((len(A), len(B)))
    for start in range(0, len(A), chunk):
        block = out[start:start + chunk]
        for j in range(A.shape[1]):
            diff = A[start:start + chunk, j, None] - B[None, :, j]
            block += diff * diff
    return out


def nearest_indices(d2: Array, k: int) -> Array:
    """For each row of distances, the columns of the k smallest, nearest first; equal distances
    in column order (what a stable sort gives, found with a partition instead of a full sort)."""
    kth = np.partition(d2, k - 1, axis=1)[:, k - 1:k]
    closer, tied = d2 < kth, d2 == kth
    # all the strictly closer ones, then the first of the tied ones to make k; rows with more
    # ties than places (rare with continuous data) are the only ones that need counting
    wanted = k - closer.sum(axis=1, keepdims=True)
    chosen = closer | tied
    crowded = np.flatnonzero(tied.sum(axis=1) > wanted[:, 0])
    if len(crowded):
        rows = tied[crowded]
        chosen[crowded] = closer[crowded] | (rows & (np.cumsum(rows, axis=1) <= wanted[crowded]))
    columns = np.nonzero(chosen)[1].reshape(len(d2), k)  # in column order
    order = np.argsort(np.take_along_axis(d2, columns, axis=1), axis=1, kind="stable")
    result: Array = np.take_along_axis(columns, order, axis=1)
    return result


# -- logistic regression ---------------------------------------------------------------------------
class LogisticRegression:
    """Binary logistic regression by full-batch gradient descent.

    p = sigmoid(X @ coef_ + intercept_); the objective is the mean log loss plus an L2 penalty
    on the weights (never on the intercept):

        J(w, b) = mean(-y log p - (1 - y) log(1 - p)) + alpha / 2 * ||w||^2
        dJ/dw = X^T (p - y) / n + alpha * w,   dJ/db = mean(p - y)

    One step is w -= lr * dJ/dw, b -= lr * dJ/db, from w = 0, b = 0. ``fit`` stops when the
    largest gradient component falls below ``tol`` or after ``max_iter`` steps.

    scikit-learn minimises C * sum(log loss) + 1/2 ||w||^2 with L-BFGS; the minimiser is the
    same for ``alpha = 1 / (C n)`` (``alpha=0`` is ``penalty=None``). Only two classes:
    ``classes_[1]`` is the positive one.
    """

    def __init__(self, lr: float = 0.1, max_iter: int = 1000, *, alpha: float = 0.0,
                 tol: float = 1e-6, fit_intercept: bool = True) -> None:
        if lr <= 0 or alpha < 0:
            raise ValueError("need lr > 0 and alpha >= 0")
        self.lr = lr
        self.max_iter = max_iter
        self.alpha = alpha
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.coef_: Array | None = None
        self.intercept_: float = 0.0
        self.classes_: Array | None = None
        self.n_iter_: int = 0

    def _targets(self, X: npt.ArrayLike, y: npt.ArrayLike) -> tuple[Array, Array]:
        Xa, ya = _as_2d(X), np.asarray(y)
        classes = np.unique(ya)
        if len(classes) != 2:
            raise ValueError(f"LogisticRegression is binary; y has classes {classes}")
        if self.classes_ is not None and not np.array_equal(classes, self.classes_):
            raise ValueError(f"y has classes {classes}, the model was started on {self.classes_}")
        self.classes_ = classes
        if self.coef_ is None:
            self.coef_ = np.zeros(Xa.shape[1])
        return Xa, (ya == classes[1]).astype(np.float64)

    def loss(self, X: npt.ArrayLike, y: npt.ArrayLike) -> float:
        """The objective J: mean log loss (computed from the logits, stably) + alpha/2 ||w||^2."""
        classes = _check_fitted(self.classes_, "LogisticRegression")
        return self._objective(_as_2d(X), (np.asarray(y) == classes[1]).astype(np.float64))

    def _objective(self, Xa: Array, t: Array) -> float:
        coef = _check_fitted(self.coef_, "LogisticRegression")
        z = Xa @ coef + self.intercept_
        # -log p = softplus(-z), -log(1 - p) = softplus(z)
        log_loss = float(np.mean(np.where(t > 0, softplus(-z), softplus(z))))
        return log_loss + 0.5 * self.alpha * float(coef @ coef)

    def _step(self, Xa: Array, t: Array) -> float:
        """One gradient step; returns the largest gradient component (before the step)."""
        assert self.coef_ is not None
        residual = sigmoid(Xa @ self.coef_ + self.intercept_) - t
        grad_w = Xa.T @ residual / len(t) + self.alpha * self.coef_
        grad_b = float(residual.mean()) if self.fit_intercept else 0.0
        self.coef_ = self.coef_ - self.lr * grad_w
        self.intercept_ -= self.lr * grad_b
        self.n_iter_ += 1
        return max(float(np.max(np.abs(grad_w), initial=0.0)), abs(grad_b))

    def partial_fit(self, X: npt.ArrayLike, y: npt.ArrayLike) -> LogisticRegression:
        """One gradient-descent step (starting from zeros on the first call); return self."""
        self._step(*self._targets(X, y))
        return self

    def fit_steps(self, X: npt.ArrayLike, y: npt.ArrayLike) -> Iterator[float]:
        """Restart from zeros and take ``max_iter`` steps, yielding the objective after each."""
        self.coef_, self.intercept_, self.classes_, self.n_iter_ = None, 0.0, None, 0
        Xa, t = self._targets(X, y)
        for _ in range(self.max_iter):
            self._step(Xa, t)
            yield self._objective(Xa, t)

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike) -> LogisticRegression:
        """Restart from zeros; step until the largest gradient component is below ``tol``."""
        self.coef_, self.intercept_, self.classes_, self.n_iter_ = None, 0.0, None, 0
        Xa, t = self._targets(X, y)
        for _ in range(self.max_iter):
            if self._step(Xa, t) < self.tol:
                break
        return self

    def decision_function(self, X: npt.ArrayLike) -> Array:
        """The logit X @ coef_ + intercept_; positive means ``classes_[1]``."""
        coef = _check_fitted(self.coef_, "LogisticRegression")
        scores: Array = _as_2d(X) @ coef + self.intercept_
        return scores

    def predict_proba(self, X: npt.ArrayLike) -> Array:
        """Shape (n, 2): [P(classes_[0]), P(classes_[1])] per row."""
        p = sigmoid(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: npt.ArrayLike) -> Array:
        """``classes_[1]`` where the logit is > 0 (p > 0.5), else ``classes_[0]``."""
        classes = _check_fitted(self.classes_, "LogisticRegression")
        result: Array = classes[(self.decision_function(X) > 0).astype(np.int64)]
        return result


# -- k nearest neighbours --------------------------------------------------------------------------
class KNeighborsClassifier:
    """Majority vote of the ``n_neighbors`` nearest training points (Euclidean distance).

    ``predict_proba`` is the share of each class among the neighbours; ``predict`` takes the
    most frequent class, the smallest label on a tie (as scikit-learn). Neighbours at exactly the
    same distance are taken in training order (a stable sort; scikit-learn leaves that order
    unspecified). With k = 1 every training point is its own nearest neighbour, so the training
    accuracy is 1 unless identical points carry different labels.
    """

    def __init__(self, n_neighbors: int = 5) -> None:
        if n_neighbors < 1:
            raise ValueError("n_neighbors must be at least 1")
        self.n_neighbors = n_neighbors
        self._X: Array | None = None
        self._y_idx: Array | None = None
        self.classes_: Array | None = None

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike) -> KNeighborsClassifier:
        """Remember the training set (k-NN learns nothing else); return self."""
        Xa = _as_2d(X)
        if self.n_neighbors > len(Xa):
            raise ValueError(f"n_neighbors={self.n_neighbors} > n_samples={len(Xa)}")
        self._X = Xa
        self.classes_, self._y_idx = np.unique(np.asarray(y), return_inverse=True)
        return self

    def kneighbors(self, X: npt.ArrayLike, n_neighbors: int | None = None) -> tuple[Array, Array]:
        """(distances, indices) of the nearest training points, nearest first; (n, k) each."""
        train = _check_fitted(self._X, "KNeighborsClassifier")
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        d2 = squared_distances(_as_2d(X), train)
        order = nearest_indices(d2, k)
        return np.sqrt(np.take_along_axis(d2, order, axis=1)), order

    def predict_proba(self, X: npt.ArrayLike) -> Array:
        """Shape (n, n_classes): the share of each class among the k neighbours."""
        classes = _check_fitted(self.classes_, "KNeighborsClassifier")
        assert self._y_idx is not None
        _, neighbours = self.kneighbors(X)
        votes = self._y_idx[neighbours]
        counts = np.stack([(votes == c).sum(axis=1) for c in range(len(classes))], axis=1)
        proba: Array = counts / self.n_neighbors
        return proba

    def predict(self, X: npt.ArrayLike) -> Array:
        """The majority class among the neighbours (smallest label on a tie)."""
        classes = _check_fitted(self.classes_, "KNeighborsClassifier")
        result: Array = classes[np.argmax(self.predict_proba(X), axis=1)]
        return result


# -- decision tree ---------------------------------------------------------------------------------
def _impurity(counts: Array, criterion: str) -> Array:
    """Gini 1 - sum p_k^2, or entropy -sum p_k log2 p_k, of class counts along the last axis."""
    total = counts.sum(axis=-1, keepdims=True)
    p = counts / np.where(total > 0, total, 1.0)
    if criterion == "gini":
        result: Array = 1.0 - np.sum(p * p, axis=-1)
        return result
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log2(np.where(p > 0, p, 1.0)), 0.0)
    entropy: Array = -np.sum(terms, axis=-1)
    return entropy


@dataclass
class Tree:
    """A fitted tree as parallel arrays indexed by node id (scikit-learn's ``tree_`` layout).

    Node 0 is the root and ids follow a depth-first, left-first order. For a leaf
    ``children_left == children_right == -1`` and ``feature == threshold == -2``. A sample goes
    left when ``x[feature] <= threshold``. ``value`` holds the training class counts per node
    (scikit-learn >= 1.4 stores the fractions: divide by ``n_node_samples``).
    """

    children_left: Array
    children_right: Array
    feature: Array
    threshold: Array
    value: Array
    impurity: Array
    n_node_samples: Array
    depth: Array

    @property
    def node_count(self) -> int:
        return len(self.feature)

    @property
    def max_depth(self) -> int:
        return int(self.depth.max())


class DecisionTreeClassifier:
    """CART: greedy binary splits ``x[f] <= t`` chosen to minimise the children's impurity.

    At a node the split over every feature f and every threshold t between consecutive distinct
    sorted values (the midpoint) minimises n_L/n I(L) + n_R/n I(R), I the Gini impurity or the
    entropy in bits. A node is a leaf when it is pure, has depth ``max_depth`` (root: depth 0),
    fewer than ``min_samples_split`` samples, or no split leaves ``min_samples_leaf`` on each
    side; as in scikit-learn, any valid split of an impure node is taken, even one that lowers
    the impurity by zero. The prediction is the majority class of the leaf's training samples.

    Differences from scikit-learn: features are tried in their order (scikit-learn tries them
    in a random order, which only matters for exactly tied splits) and X is float64
    (scikit-learn casts it to float32).
    """

    def __init__(self, max_depth: int | None = None, *,
                 criterion: Literal["gini", "entropy"] = "gini", min_samples_split: int = 2,
                 min_samples_leaf: int = 1) -> None:
        if criterion not in ("gini", "entropy"):
            raise ValueError("criterion must be 'gini' or 'entropy'")
        if max_depth is not None and max_depth < 0:
            raise ValueError("max_depth must be >= 0 or None")
        self.max_depth = max_depth
        self.criterion = criterion
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.tree_: Tree | None = None
        self.classes_: Array | None = None

    def _best_split(self, X: Array, y_idx: Array, n_classes: int) -> tuple[int, float] | None:
        """(feature, threshold) of the best split of these samples, or None when there is none."""
        n = len(y_idx)
        msl = self.min_samples_leaf
        best: tuple[float, int, float] | None = None
        for f in range(X.shape[1]):
            order = np.argsort(X[:, f], kind="stable")
            xs = X[order, f]
            onehot = np.zeros((n, n_classes))
            onehot[np.arange(n), y_idx[order]] = 1.0
            left = np.cumsum(onehot, axis=0)[:-1]  # left[i - 1]: counts of the first i samples
            right = left[-1] + onehot[-1] - left
            sizes = np.arange(1, n)
            valid = (xs[1:] > xs[:-1] + _FEATURE_THRESHOLD) & (sizes >= msl) & (n - sizes >= msl)
            if not valid.any():
                continue
            children = (sizes * _impurity(left, self.criterion)
                        + (n - sizes) * _impurity(right, self.criterion)) / n
            children = np.where(valid, children, np.inf)
            i = int(np.argmin(children))  # the first (smallest threshold) of equal scores
            if best is None or children[i] < best[0]:
                threshold = xs[i] / 2.0 + xs[i + 1] / 2.0
                if threshold == xs[i + 1] or not math.isfinite(threshold):
                    threshold = xs[i]
                best = (float(children[i]), f, float(threshold))
        return None if best is None else (best[1], best[2])

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike) -> DecisionTreeClassifier:
        """Grow the tree depth-first, left child before right; return self."""
        Xa = _as_2d(X)
        self.classes_, y_idx = np.unique(np.asarray(y), return_inverse=True)
        n_classes = len(self.classes_)
        limit = math.inf if self.max_depth is None else self.max_depth
        nodes: list[tuple[int, float, Array, float, int, int]] = []  # feature, thr, counts, ...
        children: list[list[int]] = []
        stack: list[tuple[Array, int, int, bool]] = [(np.arange(len(Xa)), 0, -1, False)]
        while stack:
            rows, depth, parent, is_left = stack.pop()
            counts = np.bincount(y_idx[rows], minlength=n_classes).astype(np.float64)
            impurity = float(_impurity(counts, self.criterion))
            node = len(nodes)
            if parent >= 0:
                children[parent][0 if is_left else 1] = node
            split = None
            if not (depth >= limit or len(rows) < self.min_samples_split
                    or len(rows) < 2 * self.min_samples_leaf or impurity <= _EPSILON):
                split = self._best_split(Xa[rows], y_idx[rows], n_classes)
            feature, threshold = split if split is not None else (-2, -2.0)
            nodes.append((feature, threshold, counts, impurity, len(rows), depth))
            children.append([-1, -1])
            if split is not None:
                goes_left = Xa[rows, feature] <= threshold
                stack.append((rows[~goes_left], depth + 1, node, False))
                stack.append((rows[goes_left], depth + 1, node, True))  # popped first
        links = np.array(children, dtype=np.int64)
        self.tree_ = Tree(
            children_left=links[:, 0], children_right=links[:, 1],
            feature=np.array([n[0] for n in nodes], dtype=np.int64),
            threshold=np.array([n[1] for n in nodes]),
            value=np.array([n[2] for n in nodes]),
            impurity=np.array([n[3] for n in nodes]),
            n_node_samples=np.array([n[4] for n in nodes], dtype=np.int64),
            depth=np.array([n[5] for n in nodes], dtype=np.int64))
        return self

    def _tree(self) -> Tree:
        if self.tree_ is None:
            raise RuntimeError("DecisionTreeClassifier is not fitted yet; call fit() first")
        return self.tree_

    def apply(self, X: npt.ArrayLike) -> Array:
        """The id of the leaf each sample ends in."""
        tree = self._tree()
        Xa = _as_2d(X)
        node = np.zeros(len(Xa), dtype=np.int64)
        rows = np.arange(len(Xa))
        for _ in range(tree.max_depth):
            inner = tree.children_left[node] >= 0
            goes_left = Xa[rows, np.maximum(tree.feature[node], 0)] <= tree.threshold[node]
            step = np.where(goes_left, tree.children_left[node], tree.children_right[node])
            node = np.where(inner, step, node)
        return node

    def predict_proba(self, X: npt.ArrayLike) -> Array:
        """Shape (n, n_classes): the class fractions of the training samples in each leaf."""
        tree = self._tree()
        counts = tree.value[self.apply(X)]
        proba: Array = counts / counts.sum(axis=1, keepdims=True)
        return proba

    def predict(self, X: npt.ArrayLike) -> Array:
        """The leaf's majority class (the smallest label on a tie)."""
        classes = _check_fitted(self.classes_, "DecisionTreeClassifier")
        result: Array = classes[np.argmax(self.predict_proba(X), axis=1)]
        return result

    def get_depth(self) -> int:
        return self._tree().max_depth

    def get_n_leaves(self) -> int:
        return int(np.sum(self._tree().children_left < 0))


# -- k-means ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KMeansStep:
    """One half-step of Lloyd's algorithm, as ``KMeans.lloyd_steps`` yields it.

    ``phase`` is "assign" (labels recomputed for the current centres) or "update" (centres
    moved to the means of their points). ``inertia`` is the sum of squared distances between
    each point and the centre of its label *after* this half-step; neither half-step can raise
    it. ``converged`` is set on the final step.
    """

    iteration: int  # from 1; an assignment and the update after it share a number
    phase: Literal["assign", "update"]
    labels: Array
    centers: Array
    inertia: float
    converged: bool


def inertia(X: Array, centers: Array, labels: Array) -> float:
    """Within-cluster sum of squares: sum_i ||x_i - centers[labels_i]||^2."""
    diff = X - centers[labels]
    return float(np.einsum("ij,ij->", diff, diff))


class KMeans:
    """k-means by Lloyd's algorithm, with k-means++ or random initial centres.

    Lloyd's iteration: assign every point to its nearest centre, then move each centre to the
    mean of its points; both steps lower (never raise) the inertia, and the run stops when an
    assignment changes no label ("strict convergence") or, after an update, when the centres
    moved by at most ``tol`` x the mean feature variance in total squared distance; then, as in
    scikit-learn, the labels are recomputed for the final centres. A centre left without points
    is moved to the point farthest from its own centre (that point leaves its old cluster's
    mean), as scikit-learn does.

    ``init="k-means++"`` is scikit-learn's greedy k-means++: the first centre is a uniformly
    drawn point; every next one is the best (lowest resulting inertia) of ``n_local_trials``
    candidates drawn with probability proportional to D(x)^2, the squared distance to the
    nearest centre so far (``n_local_trials=1`` is the original Arthur & Vassilvitskii rule;
    default 2 + int(ln k)). ``init="random"`` picks k distinct points uniformly; an array gives
    the initial centres. ``fit`` keeps the lowest-inertia run of ``n_init``.

    Differences from scikit-learn: ``n_init`` defaults to 1 (scikit-learn's "auto" means 1 for
    k-means++ and 10 for random), NumPy's Generator draws different random numbers than
    scikit-learn's RandomState, and relocation of empty clusters takes far points in a stable
    order (scikit-learn's ``argpartition`` order is unspecified).
    """

    def __init__(self, n_clusters: int = 8, *,
                 init: Literal["k-means++", "random"] | npt.ArrayLike = "k-means++",
                 n_init: int = 1, max_iter: int = 300, tol: float = 1e-4,
                 n_local_trials: int | None = None, rng: RNGLike = None) -> None:
        if n_clusters < 1 or n_init < 1 or max_iter < 1:
            raise ValueError("need n_clusters, n_init and max_iter >= 1")
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.n_local_trials = n_local_trials
        self.rng = as_generator(rng)
        self.cluster_centers_: Array | None = None
        self.labels_: Array | None = None
        self.inertia_: float = math.nan
        self.n_iter_: int = 0

    def init_centers(self, X: npt.ArrayLike) -> Array:
        """Initial centres (k, n_features) by ``init``, drawing from this model's generator."""
        Xa = _as_2d(X)
        k = self.n_clusters
        if k > len(Xa):
            raise ValueError(f"n_clusters={k} > n_samples={len(Xa)}")
        if isinstance(self.init, str):
            if self.init == "random":
                centers: Array = Xa[self.rng.permutation(len(Xa))[:k]].copy()
                return centers
            if self.init == "k-means++":
                return self._kmeans_plusplus(Xa)
            raise ValueError("init must be 'k-means++', 'random' or an array of centres")
        given = np.array(self.init, dtype=np.float64)
        if given.shape != (k, Xa.shape[1]):
            raise ValueError(f"init has shape {given.shape}, expected {(k, Xa.shape[1])}")
        return given

    def _kmeans_plusplus(self, X: Array) -> Array:
        k = self.n_clusters
        trials = self.n_local_trials or 2 + int(np.log(k))
        centers = np.empty((k, X.shape[1]))
        centers[0] = X[self.rng.integers(len(X))]
        closest = squared_distances(centers[:1], X)[0]
        potential = float(closest.sum())
        for c in range(1, k):
            # D(x)^2 sampling by inverting the cumulative sum at uniform draws
            draws = self.rng.uniform(size=trials) * potential
            candidates = np.minimum(np.searchsorted(np.cumsum(closest), draws), len(X) - 1)
            candidate_closest = np.minimum(closest, squared_distances(X[candidates], X))
            best = int(np.argmin(candidate_closest.sum(axis=1)))
            closest = candidate_closest[best]
            potential = float(closest.sum())
            centers[c] = X[candidates[best]]
        return centers

    def lloyd_steps(self, X: npt.ArrayLike, centers: npt.ArrayLike | None = None
                    ) -> Iterator[KMeansStep]:
        """Lloyd's algorithm from ``centers`` (default: ``init_centers(X)``), yielding a
        ``KMeansStep`` after every assignment and every update; the last one is marked
        ``converged`` (unless ``max_iter`` ran out first)."""
        Xa = _as_2d(X)
        current = self.init_centers(Xa) if centers is None else np.array(centers, dtype=float)
        k = len(current)
        tol = float(np.mean(np.var(Xa, axis=0))) * self.tol
        old_labels = np.full(len(Xa), -1)
        converged = False
        for iteration in range(1, self.max_iter + 1):
            labels = np.argmin(squared_distances(Xa, current), axis=1)
            if np.array_equal(labels, old_labels):
                yield KMeansStep(iteration, "assign", labels, current,
                                 inertia(Xa, current, labels), True)
                return
            yield KMeansStep(iteration, "assign", labels, current,
                             inertia(Xa, current, labels), False)
            new = self._means(Xa, labels, current, k)
            shift = float(np.sum((new - current) ** 2))
            current, old_labels = new, labels
            yield KMeansStep(iteration, "update", labels, current,
                             inertia(Xa, current, labels), False)
            if shift <= tol:
                converged = True
                break
        # as scikit-learn: the labels of the final centres (without strict convergence)
        labels = np.argmin(squared_distances(Xa, current), axis=1)
        converged = converged or bool(np.array_equal(labels, old_labels))
        yield KMeansStep(iteration, "assign", labels, current, inertia(Xa, current, labels),
                         converged)

    @staticmethod
    def _means(X: Array, labels: Array, old: Array, k: int) -> Array:
        """The mean of each cluster's points; an empty cluster takes a far point (see class)."""
        sums = np.zeros((k, X.shape[1]))
        np.add.at(sums, labels, X)
        sizes = np.bincount(labels, minlength=k).astype(np.float64)
        empty = np.flatnonzero(sizes == 0)
        if len(empty):
            distances = np.sum((X - old[labels]) ** 2, axis=1)
            if distances.max() > 0:
                far = np.argsort(-distances, kind="stable")[:len(empty)]
                for cluster, point in zip(empty, far, strict=True):
                    sums[labels[point]] -= X[point]
                    sizes[labels[point]] -= 1
                    sums[cluster] = X[point]
                    sizes[cluster] = 1
        filled = sizes > 0
        means = old.copy()
        means[filled] = sums[filled] / sizes[filled, None]
        return means

    def fit(self, X: npt.ArrayLike) -> KMeans:
        """Run ``n_init`` initialisations to convergence and keep the lowest inertia."""
        Xa = _as_2d(X)
        best: KMeansStep | None = None
        for _ in range(self.n_init):
            *_, last = self.lloyd_steps(Xa)
            if best is None or last.inertia < best.inertia:
                best = last
        assert best is not None
        self.cluster_centers_, self.labels_ = best.centers, best.labels
        self.inertia_, self.n_iter_ = best.inertia, best.iteration
        return self

    def predict(self, X: npt.ArrayLike) -> Array:
        """The index of the nearest centre."""
        centers = _check_fitted(self.cluster_centers_, "KMeans")
        labels: Array = np.argmin(squared_distances(_as_2d(X), centers), axis=1)
        return labels


# -- PCA -------------------------------------------------------------------------------------------
class PCA:
    """Principal component analysis through the SVD of the centred data.

    With X - mean_ = U S V^T: ``components_`` are the first rows of V^T (unit, orthogonal),
    ``explained_variance_ = S^2 / (n - 1)`` (the covariance matrix's eigenvalues) and
    ``explained_variance_ratio_`` divides them by the total variance, the sum over *all*
    components, so the kept ratios sum to 1 only when every component is kept. Signs follow
    scikit-learn (>= 1.5): each component's largest-magnitude entry is positive.

    ``n_components``: an int, None (all min(n, d)), or a float in (0, 1): the fewest components
    whose cumulative ratio exceeds it, as scikit-learn. No scaling: standardise first (e.g.
    with ``StandardScaler``) when features have different units.
    """

    def __init__(self, n_components: int | float | None = None) -> None:
        self.n_components = n_components
        self.mean_: Array | None = None
        self.components_: Array | None = None
        self.explained_variance_: Array | None = None
        self.explained_variance_ratio_: Array | None = None
        self.singular_values_: Array | None = None
        self.n_components_: int = 0
        self.n_samples_: int = 0

    def fit(self, X: npt.ArrayLike) -> PCA:
        Xa = _as_2d(X)
        n = len(Xa)
        if n < 2:
            raise ValueError("PCA needs at least 2 samples")
        self.mean_ = Xa.mean(axis=0)
        _, S, Vt = np.linalg.svd(Xa - self.mean_, full_matrices=False)
        signs = np.sign(Vt[np.arange(len(Vt)), np.argmax(np.abs(Vt), axis=1)])
        Vt = Vt * np.where(signs == 0, 1.0, signs)[:, None]
        variance = S**2 / (n - 1)
        total = float(variance.sum())
        ratio = variance / total if total > 0 else np.zeros_like(variance)
        k = self._count(ratio)
        self.n_components_, self.n_samples_ = k, n
        self.components_ = Vt[:k]
        self.explained_variance_ = variance[:k]
        self.explained_variance_ratio_ = ratio[:k]
        self.singular_values_ = S[:k]
        return self

    def _count(self, ratio: Array) -> int:
        wanted = self.n_components
        if wanted is None:
            return len(ratio)
        if isinstance(wanted, float) and 0.0 < wanted < 1.0:
            return int(np.searchsorted(np.cumsum(ratio), wanted, side="right")) + 1
        if not 0 <= int(wanted) <= len(ratio) or int(wanted) != wanted:
            raise ValueError(f"n_components={wanted} must be an int in [0, {len(ratio)}] or "
                             "a float in (0, 1)")
        return int(wanted)

    def transform(self, X: npt.ArrayLike) -> Array:
        """Scores on the components: (X - mean_) @ components_.T, shape (n, n_components_)."""
        components = _check_fitted(self.components_, "PCA")
        assert self.mean_ is not None
        scores: Array = (_as_2d(X) - self.mean_) @ components.T
        return scores

    def fit_transform(self, X: npt.ArrayLike) -> Array:
        return self.fit(X).transform(X)

    def inverse_transform(self, Z: npt.ArrayLike) -> Array:
        """Back to feature space: Z @ components_ + mean_ (the reconstruction from k components)."""
        components = _check_fitted(self.components_, "PCA")
        assert self.mean_ is not None
        restored: Array = _as_2d(Z) @ components + self.mean_
        return restored


# -- ranking metrics -------------------------------------------------------------------------------
class UndefinedMetricWarning(RuntimeWarning):
    """A metric is undefined for this input (e.g. a curve with no positives); as scikit-learn."""


def _positives(y_true: npt.ArrayLike, pos_label: object) -> Array:
    y = np.asarray(y_true)
    if pos_label is None:
        values = set(np.unique(y).tolist())
        if not values <= {0, 1} and not values <= {-1, 1}:
            raise ValueError(f"y_true takes values {sorted(values)}; give pos_label")
        pos_label = 1
    positive: Array = (y == pos_label).astype(np.float64)
    return positive


def _binary_clf_curve(y_true: npt.ArrayLike, y_score: npt.ArrayLike,
                      pos_label: object) -> tuple[Array, Array, Array]:
    """False and true positive counts at each distinct score, highest score first.

    Predicting positive when score >= thresholds[i] gives fps[i] false and tps[i] true
    positives.
    """
    positive = _positives(y_true, pos_label)
    score = np.asarray(y_score, dtype=np.float64)
    if score.shape != positive.shape or score.ndim != 1:
        raise ValueError(f"y_true {positive.shape} and y_score {score.shape} must be 1-D alike")
    order = np.argsort(score, kind="mergesort")[::-1]
    score, positive = score[order], positive[order]
    last_of_each = np.r_[np.flatnonzero(np.diff(score)), len(score) - 1]
    tps = np.cumsum(positive)[last_of_each]
    fps = 1.0 + last_of_each - tps
    return fps, tps, score[last_of_each]


def roc_curve(y_true: npt.ArrayLike, y_score: npt.ArrayLike, *, pos_label: object = None,
              drop_intermediate: bool = True) -> tuple[Array, Array, Array]:
    """(fpr, tpr, thresholds): the ROC curve, one point per distinct score plus (0, 0).

    Point i predicts positive when score >= thresholds[i]; thresholds[0] = inf (nothing
    positive). TPR = TP / P (recall), FPR = FP / N. ``drop_intermediate`` removes points on a
    straight segment between their neighbours (the area is unchanged). With no positives (or no
    negatives) the TPR (FPR) is NaN and an ``UndefinedMetricWarning`` is raised.
    """
    fps, tps, thresholds = _binary_clf_curve(y_true, y_score, pos_label)
    if drop_intermediate and len(fps) > 2:
        keep = np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps, tps = np.r_[0.0, fps], np.r_[0.0, tps]
    thresholds = np.r_[np.inf, thresholds]
    rates = []
    for counts, name in ((fps, "negative"), (tps, "positive")):
        if counts[-1] <= 0:
            warnings.warn(f"no {name} samples in y_true: the rate is undefined",
                          UndefinedMetricWarning, stacklevel=2)
            rates.append(np.full(counts.shape, np.nan))
        else:
            rates.append(counts / counts[-1])
    return rates[0], rates[1], thresholds


def precision_recall_curve(y_true: npt.ArrayLike, y_score: npt.ArrayLike, *,
                           pos_label: object = None) -> tuple[Array, Array, Array]:
    """(precision, recall, thresholds), by increasing threshold (so decreasing recall).

    precision[i] and recall[i] predict positive when score >= thresholds[i]; a final point
    (precision 1, recall 0) with no threshold closes the curve. Precision = TP / (TP + FP),
    recall = TP / P. scikit-learn's ``drop_intermediate`` option is not offered (it defaults to
    False there). With no positives the recall is 1 everywhere, with a warning.
    """
    fps, tps, thresholds = _binary_clf_curve(y_true, y_score, pos_label)
    precision = tps / (tps + fps)  # tps + fps >= 1 at every threshold
    if tps[-1] == 0:
        warnings.warn("no positive samples in y_true: recall is set to 1",
                      UndefinedMetricWarning, stacklevel=2)
        recall = np.ones_like(tps)
    else:
        recall = tps / tps[-1]
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1]


def roc_auc_score(y_true: npt.ArrayLike, y_score: npt.ArrayLike) -> float:
    """Area under the ROC curve (trapezoids): the probability that a random positive scores
    above a random negative, ties counting 1/2. Binary only; needs both classes."""
    if len(np.unique(np.asarray(y_true))) != 2:
        raise ValueError("only one class present in y_true: ROC AUC is not defined")
    fpr, tpr, _ = roc_curve(y_true, y_score)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1])) / 2.0)


def average_precision_score(y_true: npt.ArrayLike, y_score: npt.ArrayLike, *,
                            pos_label: object = None) -> float:
    """AP = sum_n (R_n - R_(n-1)) P_n: precision at each threshold weighted by the recall it
    adds; a step-function area, no interpolation (as scikit-learn). A random ranking scores the
    positive rate on average."""
    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label=pos_label)
    return float(-np.sum(np.diff(recall) * precision[:-1]))


def confusion_matrix(y_true: npt.ArrayLike, y_pred: npt.ArrayLike,
                     labels: npt.ArrayLike | None = None) -> Array:
    """Counts C[i, j] of samples with true class labels[i] predicted as labels[j] (rows true,
    columns predicted). For 0/1 labels that is [[TN, FP], [FN, TP]], as scikit-learn."""
    yt, yp = np.asarray(y_true), np.asarray(y_pred)
    classes = np.unique(np.r_[yt, yp]) if labels is None else np.asarray(labels)
    true_hit, pred_hit = yt[:, None] == classes, yp[:, None] == classes
    counted = true_hit.any(axis=1) & pred_hit.any(axis=1)  # values not in labels are skipped
    matrix = np.zeros((len(classes), len(classes)), dtype=np.int64)
    np.add.at(matrix, (true_hit.argmax(axis=1)[counted], pred_hit.argmax(axis=1)[counted]), 1)
    return matrix
