"""Every demo by id, and the check that a card's demo reference is valid."""

from __future__ import annotations

from pathlib import Path

from quizapp.content.model import DemoRef
from quizapp.demos.activations import Activations
from quizapp.demos.adam_bias_correction import AdamBiasCorrection
from quizapp.demos.adam_vs_sgd import AdamVsSgd
from quizapp.demos.attention_weights import AttentionWeights
from quizapp.demos.backprop_graph import BackpropGraph
from quizapp.demos.base import Demo
from quizapp.demos.batch_size import BatchSize
from quizapp.demos.batchnorm_inference import BatchNormInference
from quizapp.demos.batchnorm_training import BatchNormTraining
from quizapp.demos.bias_variance import BiasVariance
from quizapp.demos.cnn_vs_mlp import CnnVsMlp
from quizapp.demos.data_splits import DataSplits
from quizapp.demos.decision_boundaries import DecisionBoundaries
from quizapp.demos.decoding import Decoding
from quizapp.demos.dropout import DropoutDemo
from quizapp.demos.early_stopping import EarlyStoppingDemo
from quizapp.demos.input_normalization import InputNormalization
from quizapp.demos.kmeans import KMeansDemo
from quizapp.demos.loss_goes_up import LossGoesUp
from quizapp.demos.lr_schedules import LrSchedules
from quizapp.demos.mnist_mlp import MnistMlp
from quizapp.demos.optimizer_race import OptimizerRace
from quizapp.demos.pca import PcaDemo
from quizapp.demos.regularized_regression import RegularizedRegression
from quizapp.demos.rnn_gradients import RnnGradients
from quizapp.demos.roc_pr import RocPr
from quizapp.demos.softmax_cross_entropy import SoftmaxCrossEntropy
from quizapp.demos.weight_init import WeightInit
from quizapp.resources import thumbnails_dir

#: The catalogue, in the order ``demo --list`` and the gallery show it.
DEMOS: dict[str, type[Demo]] = {demo.id: demo for demo in (
    OptimizerRace,
    # -- optimization group --
    AdamVsSgd,
    AdamBiasCorrection,
    LrSchedules,
    BatchSize,
    LossGoesUp,
    InputNormalization,
    # -- regularization & normalization group --
    DropoutDemo,
    BatchNormInference,
    BatchNormTraining,
    RegularizedRegression,
    EarlyStoppingDemo,
    DataSplits,
    # -- networks group --
    Activations,
    WeightInit,
    SoftmaxCrossEntropy,
    BackpropGraph,
    MnistMlp,
    CnnVsMlp,
    # -- classical ML & evaluation group --
    RocPr,
    BiasVariance,
    DecisionBoundaries,
    KMeansDemo,
    PcaDemo,
    # -- sequences & attention group --
    RnnGradients,
    AttentionWeights,
    Decoding,
)}


#: Small pictures of each demo for the in-app gallery (``docs/make_demo_thumbnails.py``): the
#: package's ``thumbnails/`` in a checkout, the bundle's when frozen (``quizapp.resources``).
THUMBNAILS = thumbnails_dir()


def thumbnail(demo_id: str, lang: str) -> Path:
    """The gallery picture of ``demo_id`` with ``lang`` labels (it may not exist yet)."""
    return thumbnails_dir() / f"{demo_id}-{'en' if lang == 'en' else 'ko'}.png"


def get_demo(demo_id: str) -> type[Demo]:
    """The demo class for ``demo_id``; ``KeyError`` with the known ids when there is none."""
    try:
        return DEMOS[demo_id]
    except KeyError:
        raise KeyError(f"unknown demo '{demo_id}' (demos: {', '.join(DEMOS)})") from None


def demo_ref_problems(ref: DemoRef) -> list[str]:
    """What is wrong with a card's ``[demo]`` table: unknown id, parameter or value."""
    demo = DEMOS.get(ref.id)
    if demo is None:
        return [f"unknown demo id (demos: {', '.join(DEMOS)})"]
    return demo.problems(ref.params)
