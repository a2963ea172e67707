"""batch-size: renders headless; batch-1 loss is far noisier; updates per epoch = ceil(n/B)."""

from __future__ import annotations

import math

import numpy as np

from quizapp.demos.batch_size import BATCHES, N_TRAIN, BatchSize
from quizapp.demos.runner import DemoRun


def test_noise_updates_per_epoch_and_target() -> None:
    frame = DemoRun(BatchSize(), BatchSize.defaults()).run(81)  # 2 epochs of data each
    assert frame is not None and frame["epochs"] == 2.0
    assert BATCHES == (1, 16, 128, 1000) and N_TRAIN == 1000
    assert frame["updates_per_epoch"] == {1: 1000, 16: 63, 128: 8, 1000: 1}
    for b in BATCHES:
        assert frame["updates_per_epoch"][b] == math.ceil(N_TRAIN / b)
        assert frame["updates"][b] == 2 * math.ceil(N_TRAIN / b)
    # step-to-step noise of the training loss: mean |loss_t+1 - loss_t|
    noise = {b: float(np.mean(np.abs(np.diff(frame["batch_loss"][b])))) for b in BATCHES}
    assert noise[1] > 0.2
    assert noise[1] > 50 * noise[N_TRAIN], noise
    assert noise[1] > noise[16] > noise[128] > noise[N_TRAIN]
    # at the same learning rate, batch 1 reaches 80 % validation accuracy within an epoch,
    # while two full-batch updates leave the net near chance
    reached = frame["reached"][1]
    assert reached is not None and reached[0] <= 1.0
    assert frame["reached"][N_TRAIN] is None
    assert frame["val_acc"][N_TRAIN][-1] < 0.3
