"""A small NumPy deep-learning library that follows PyTorch's names, defaults and update rules.

Layers own their backward pass (CS231n style: caches filled in ``forward``), losses return a
float and give d loss / d pred through ``backward()``, and optimizers and schedulers mirror
``torch.optim``. Parameters are float32 by default; ``model.double()`` switches to float64.
The classical models and metrics (``linear_models``, ``classical``) follow scikit-learn's names
and definitions instead. See ``docs/TRAINER.md``.
"""

from . import init
from .activations import GELU, LeakyReLU, Mish, ReLU, Sigmoid, SiLU, Tanh, sigmoid, softplus
from .attention import MultiheadAttention
from .classical import (
    PCA,
    DecisionTreeClassifier,
    KMeans,
    KMeansStep,
    KNeighborsClassifier,
    LogisticRegression,
    Tree,
    UndefinedMetricWarning,
    average_precision_score,
    confusion_matrix,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from .conv import Conv2d, MaxPool2d
from .data import (
    DataLoader,
    RandomTranslate,
    StandardScaler,
    TrainValTest,
    load_mnist_5k,
    make_blobs,
    make_circles,
    make_correlated_regression,
    make_moons,
    make_spirals,
    train_test_split,
    train_val_test_split,
)
from .grad_mode import is_grad_enabled, no_grad
from .gradcheck import gradcheck, gradcheck_loss, numerical_gradient, rel_error
from .layers import BatchNorm1d, Dropout, Embedding, Flatten, LayerNorm, Linear
from .linear_models import (
    ConvergenceWarning,
    ElasticNet,
    Lasso,
    Ridge,
    alpha_grid,
    coordinate_descent,
    regularization_path,
    soft_threshold,
)
from .losses import BCEWithLogitsLoss, CrossEntropyLoss, Loss, MSELoss, log_softmax, softmax
from .lr_scheduler import (
    CosineAnnealingLR,
    ExponentialLR,
    LinearLR,
    LRScheduler,
    SequentialLR,
    StepLR,
)
from .module import Module, Sequential
from .optim import SGD, Adagrad, Adam, AdamW, Optimizer, ParamState, RMSprop
from .parameter import Parameter
from .regularization import EarlyStopping, ElasticNetPenalty, L1Penalty, L2Penalty
from .rnn import GRU, LSTM, RNN
from .training import (
    EpochMetrics,
    StepMetrics,
    accuracy,
    clip_grad_norm_,
    evaluate,
    fit,
    grad_norm,
)

__all__ = [
    "GELU",
    "GRU",
    "LSTM",
    "PCA",
    "RNN",
    "SGD",
    "Adagrad",
    "Adam",
    "AdamW",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "Conv2d",
    "ConvergenceWarning",
    "CosineAnnealingLR",
    "CrossEntropyLoss",
    "DataLoader",
    "DecisionTreeClassifier",
    "Dropout",
    "EarlyStopping",
    "ElasticNet",
    "ElasticNetPenalty",
    "Embedding",
    "EpochMetrics",
    "ExponentialLR",
    "Flatten",
    "KMeans",
    "KMeansStep",
    "KNeighborsClassifier",
    "L1Penalty",
    "L2Penalty",
    "LRScheduler",
    "Lasso",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LinearLR",
    "LogisticRegression",
    "Loss",
    "MSELoss",
    "MaxPool2d",
    "Mish",
    "Module",
    "MultiheadAttention",
    "Optimizer",
    "ParamState",
    "Parameter",
    "RMSprop",
    "RandomTranslate",
    "ReLU",
    "Ridge",
    "Sequential",
    "SequentialLR",
    "SiLU",
    "Sigmoid",
    "StandardScaler",
    "StepLR",
    "StepMetrics",
    "Tanh",
    "TrainValTest",
    "Tree",
    "UndefinedMetricWarning",
    "accuracy",
    "alpha_grid",
    "average_precision_score",
    "clip_grad_norm_",
    "confusion_matrix",
    "coordinate_descent",
    "evaluate",
    "fit",
    "grad_norm",
    "gradcheck",
    "gradcheck_loss",
    "init",
    "is_grad_enabled",
    "load_mnist_5k",
    "log_softmax",
    "make_blobs",
    "make_circles",
    "make_correlated_regression",
    "make_moons",
    "make_spirals",
    "no_grad",
    "numerical_gradient",
    "precision_recall_curve",
    "regularization_path",
    "rel_error",
    "roc_auc_score",
    "roc_curve",
    "sigmoid",
    "soft_threshold",
    "softmax",
    "softplus",
    "train_test_split",
    "train_val_test_split",
]
