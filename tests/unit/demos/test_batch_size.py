"""batch-size: batch-1 loss is far noisier; updates per epoch = ceil(n/B); small batches need
fewer epochs, large batches less time per example and a larger rate."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.demos.batch_size import BATCHES, N_TRAIN, BatchSize
from quizapp.demos.runner import DemoRun


@pytest.fixture(scope="module")
def default_frame() -> dict:
    run = DemoRun(BatchSize(), BatchSize.defaults(), limit=BatchSize.steps)
    frame = run.run(BatchSize.steps)
    assert frame is not None and run.finished and frame["t"] == 8.0
    return frame


def test_note_holds_on_the_default_run(default_frame: dict) -> None:
    frame = default_frame
    # batch 1 moves 1000 times per epoch, the full batch once: 8 epochs, 8000 vs 8 updates
    assert frame["updates"] == {1: 8000, 16: 504, 128: 64, 1000: 8}
    # noise: the batch-1 loss jumps, the full-batch loss is smooth
    noise = {b: float(np.mean(np.abs(np.diff(frame["batch_loss"][b])))) for b in BATCHES}
    assert noise[1] > 50 * noise[N_TRAIN] and noise[1] > noise[16] > noise[128] > noise[N_TRAIN]
    # epochs to the target: B = 1 about 0.55, B = 16 about 4.6, the others not within 8
    reached = frame["reached"]
    assert reached[1] is not None and abs(reached[1][0] - 0.55) < 0.05
    assert reached[16] is not None and abs(reached[16][0] - 4.6) < 0.2
    assert reached[128] is None and reached[N_TRAIN] is None
    # time: per example batch 1 is tens of times slower than batch 128, while an update on
    # 16 examples takes little longer than one on a single example
    per_example = {b: frame["seconds"][b] / (8 * N_TRAIN) for b in BATCHES}
    per_update = {b: frame["seconds"][b] / frame["updates"][b] for b in BATCHES}
    assert per_example[1] > 10 * per_example[128]
    assert per_update[16] < 3 * per_update[1]


def test_a_larger_rate_lets_the_large_batch_reach_the_target_and_breaks_batch_one() -> None:
    frame = DemoRun(BatchSize(), BatchSize.resolve({"lr": 0.5})).run(BatchSize.steps)
    assert frame is not None
    assert frame["reached"][128] is not None
    assert frame["reached"][1] is None and frame["val_acc"][1][-1] < 0.3


def test_updates_per_epoch_and_no_run_ahead_of_the_others() -> None:
    frame = DemoRun(BatchSize(), BatchSize.defaults()).run(81)  # 2 epochs of data each
    assert frame is not None and frame["t"] == frame["epochs"] == 2.0
    assert BATCHES == (1, 16, 128, 1000) and N_TRAIN == 1000
    for b in BATCHES:
        assert frame["updates_per_epoch"][b] == math.ceil(N_TRAIN / b)
        assert frame["updates"][b] == 2 * math.ceil(N_TRAIN / b)
    early = DemoRun(BatchSize(), BatchSize.defaults()).run(11)  # a quarter epoch
    assert early is not None and early["t"] == 0.25
    assert early["updates"] == {1: 250, 16: 15, 128: 1, 1000: 0}
    for b in BATCHES:  # an update is drawn once its whole batch has been seen
        assert np.all(early["batch_loss_at"][b] <= early["t"])


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_target_notes_stay_inside_their_panel(default_frame: dict, lang: str) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from quizapp.fonts import use_korean_font_in_matplotlib

    use_korean_font_in_matplotlib()
    figure = Figure(figsize=(10, 6), layout="constrained")
    canvas = FigureCanvasAgg(figure)
    BatchSize().draw(figure, BatchSize.defaults(), lang)(default_frame)
    canvas.draw()
    bar_ax = figure.axes[2]
    panel = bar_ax.get_window_extent()
    notes = [t for t in bar_ax.texts if "\n" in t.get_text() or "(" in t.get_text()]
    assert len(notes) == len(BATCHES)
    for note in notes:
        box = note.get_window_extent(canvas.get_renderer())
        assert panel.x0 <= box.x0 and box.x1 <= panel.x1, note.get_text()
