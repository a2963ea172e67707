"""A live demo window: parameter panel, matplotlib canvas, Pause / Step / Reset, speed.

A demo starts running as soon as it opens (Space pauses and resumes) and stops by itself at its
natural end — ``Demo.steps`` frames, as in a headless render — after which the timer is off and
the CPU idle; Space then runs it again from the start. The counter shows the demo's own unit
(epochs, iterations, ...) so it agrees with the plot.

The model runs in a worker process (``quizapp.demos.live``) that computes a few frames ahead
of what is shown; a ~30 fps timer takes the frames that are ready — up to the speed setting per
tick, never waiting for one — and draws the newest (frames are snapshots) by blitting the
artists it changed (``FigurePainter``). So painting never waits for the model and the model
never waits for painting, and a slow model step cannot freeze the window. Matplotlib is only
touched here, on the GUI thread; the model only in the worker. A new run (reset, a parameter
change, Space after the end) keeps the old picture until its first frame arrives and then
rebuilds the figure. Without a worker process (``worker=False``, ``QUIZAPP_DEMO_WORKER=0``, or
when one cannot be started) the same frames are computed on the GUI thread in slices of at
most ``SLICE_BUDGET_S`` between ticks; a worker that dies is replaced by that too, from where
it stopped. A bug in the demo's code (not a numeric blow-up, which is shown as "diverged")
stops the run and is written across the figure and in the status, its traceback on stderr.
"""

from __future__ import annotations

import html
import os
import sys
from typing import Any

from matplotlib.figure import Figure
from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from quizapp.demos import Demo, Frame, Update, Values
from quizapp.demos.live import DemoError, LiveRun, LocalFrames, Worker, WorkerFrames
from quizapp.demos.plotting import CRIMSON
from quizapp.demos.runner import mark_diverged
from quizapp.fonts import use_korean_font_in_matplotlib
from quizapp.ui.figure_painter import DemoCanvas, FigurePainter
from quizapp.ui.keys import latin_letter
from quizapp.ui.param_panel import ParamPanel
from quizapp.ui.strings import tr
from quizapp.ui.theme import colors

TICK_MS = 33  # ~30 frames per second
SLICE_BUDGET_S = 0.020  # without a worker: model time per tick, the rest is drawing and input


def worker_wanted() -> bool:
    """Whether demo windows compute in a worker process (``QUIZAPP_DEMO_WORKER=0``: no)."""
    return os.environ.get("QUIZAPP_DEMO_WORKER", "1").strip() not in ("0", "false", "no")


class DemoWindow(QWidget):
    """One demo, live. Several can be open at once; closing one stops its work."""

    closed = Signal(object)
    geometry_changed = Signal(QByteArray)  # on close: where the window was, to reopen there

    def __init__(self, demo: type[Demo], presets: dict[str, Any] | None = None,
                 mode: str = "ko", parent: QWidget | None = None, card_title: str = "",
                 worker: bool | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        use_korean_font_in_matplotlib()
        self.demo_class = demo
        self.demo = demo()
        self.mode = mode
        self.lang = "en" if mode == "en" else "ko"
        self.values: Values = demo.resolve(presets or {})
        self.card_title = card_title
        self.running = False
        self.run: LiveRun | None = None
        self.update_frame: Update | None = None
        self._marked = False  # the "diverged" banner is on the figure
        self._drawn_run: LiveRun | None = None  # the run the figure was built for
        self._owed = 0  # frames to show even while paused: a new run's first, single steps
        self.failure: str | None = None  # the current run stopped on a bug in the demo: why
        self.worker: Worker | None = None
        self._use_worker = worker_wanted() if worker is None else worker

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-size: 17px; font-weight: 700;")
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.RichText)
        palette = colors()
        self.notice.setStyleSheet(f"background: {palette.notice_bg}; border: 1px solid "
                                  f"{palette.border}; border-radius: 4px; padding: 6px;")

        self.figure = Figure(figsize=(8, 5), layout="constrained")
        self.canvas = DemoCanvas(self.figure)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.painter = FigurePainter(self.canvas)

        self.panel = ParamPanel(demo.params, self.values, self.lang)
        self.panel.changed.connect(self.set_param)
        scroll = QScrollArea()
        self.scroll = scroll
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(270)
        scroll.setMaximumWidth(330)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.run_button = QPushButton()
        self.run_button.clicked.connect(self.toggle_running)
        self.step_button = QPushButton()
        self.step_button.clicked.connect(self.step_once)
        self.reset_button = QPushButton()
        self.reset_button.clicked.connect(self.reset)
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(1, 20)  # frames computed per tick at most
        self.speed.setValue(4)
        self.speed.setFixedWidth(140)
        self.speed_value = QLabel()
        self.speed_value.setMinimumWidth(self.speed_value.fontMetrics().horizontalAdvance("×20 "))
        self.speed.valueChanged.connect(self._show_speed)
        self._show_speed(self.speed.value())
        self.status = QLabel()
        self.status.setMinimumWidth(180)
        controls = QHBoxLayout()
        for button in (self.run_button, self.step_button, self.reset_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            controls.addWidget(button)
        controls.addSpacing(12)
        self.speed_label = QLabel()
        controls.addWidget(self.speed_label)
        controls.addWidget(self.speed)
        controls.addWidget(self.speed_value)
        controls.addStretch(1)
        controls.addWidget(self.status)
        hint = QLabel()
        self.hint = hint
        hint.setStyleSheet(f"color: {palette.muted}; font-size: 11px;")

        body = QHBoxLayout()
        body.addWidget(scroll)
        body.addWidget(self.canvas, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.notice)
        layout.addLayout(body, 1)
        layout.addLayout(controls)
        layout.addWidget(hint)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Small enough for a 1366x768 laptop, large enough that the plot keeps MIN_DPI at the
        # full figure width and the controls row never overlaps.
        self.setMinimumSize(940, 660)
        self.resize(1180, 760)
        self._retitle()

        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self._rebuild()  # empty axes until the first frame arrives
        self.reset()
        self.set_running(True)

    # -- control ----------------------------------------------------------------------------

    def set_param(self, name: str, value: Any) -> None:
        """Apply a parameter change and restart the run with it (keeps running or paused)."""
        self.values = self.demo_class.resolve({**self.values, name: value})
        self.reset()

    def reset(self) -> None:
        """Start the run again with the current values (keeps running or paused); the figure
        changes when the new run's first frame arrives."""
        if self.run is not None:
            self.run.close()
        self.failure = None
        values, limit = dict(self.values), self.demo_class.steps
        if self.worker is not None and self.worker.broken:  # it died: start another
            self.worker.close()
            self.worker = None
        if self._use_worker and self.worker is None:
            try:
                self.worker = Worker()
            except (OSError, RuntimeError):  # no processes here: compute on this thread
                self._use_worker = False
        source = (WorkerFrames(self.worker, self.demo_class, values, limit)
                  if self.worker is not None else LocalFrames(self.demo_class, values, limit))
        self.run = LiveRun(self.demo_class, values, limit, source)
        self._owed = 1
        self._tick()

    def step_once(self) -> None:
        """Pause and show the next frame (as soon as it is ready)."""
        self.set_running(False)
        if self.run is not None and not self.run.finished:
            self._owed += 1
            self._tick()
        else:
            self._update_status()

    def _show_speed(self, value: int) -> None:
        """The slider's value beside it: up to this many model frames per tick."""
        self.speed_value.setText(f"×{value}")

    def _ahead(self) -> int:
        """How many frames the model may compute beyond the shown one."""
        return 2 * self.speed.value() + 2 if self.running else self._owed + 1

    def _sync_timer(self) -> None:
        """Tick while frames are to be shown; idle (no CPU) while paused or finished."""
        run = self.run
        if run is not None and not run.finished and (self.running or self._owed > 0):
            if not self.timer.isActive():
                self.timer.start()
        else:
            self.timer.stop()

    def toggle_running(self) -> None:
        """Pause or resume; a run that has ended starts again from the beginning."""
        if self.run is not None and self.run.finished and not self.running:
            self.reset()
            self.set_running(True)
        else:
            self.set_running(not self.running)

    def set_running(self, running: bool) -> None:
        finished = self.run is not None and self.run.finished
        self.running = running and not finished
        if self.run is not None:
            self.run.want(self._ahead())
        self._sync_timer()  # nothing changes while paused or finished: the CPU idles
        if not self.running:
            self.painter.settle()  # the picture stays: every text as it is now,
            self.painter.relayout()  # laid out as a headless render would
        self._update_run_button()
        self._update_status()

    def _update_run_button(self) -> None:
        finished = self.run is not None and self.run.finished
        key = "pause" if self.running else ("run_again" if finished else "resume")
        self.run_button.setText(f"{tr(key, self.mode)} (Space)")

    def set_mode(self, mode: str) -> None:
        """Show the window in another language (the run goes on)."""
        self.mode = mode
        self.lang = "en" if mode == "en" else "ko"
        panel = ParamPanel(self.demo_class.params, self.values, self.lang)
        panel.changed.connect(self.set_param)
        self.scroll.setWidget(panel)
        self.panel = panel
        self._rebuild()
        self._retitle()
        self._show(self.run.latest if self.run else None)

    def _rebuild(self) -> None:
        """Build the figure anew for the current run, values and language."""
        self.figure.clear()
        self.painter.reset()
        self._marked = False
        self.update_frame = self.demo.draw(self.figure, self.values, self.lang)
        self._drawn_run = self.run

    def _retitle(self) -> None:
        mode, lang, demo = self.mode, self.lang, self.demo_class
        title = demo.title.get(lang)
        self.title.setText(title)
        window_title = f"{tr('demo', mode)}: {title}"
        if self.card_title:
            window_title += f" — {tr('card', mode)}: {self.card_title}"
        self.setWindowTitle(window_title)
        self.notice.setText(f"<b>{html.escape(tr('what_to_notice', mode))}:</b> "
                            f"{html.escape(demo.notice.get(lang))}")
        self.step_button.setText(f"{tr('step', mode)} (S)")
        self.reset_button.setText(f"{tr('reset', mode)} (R)")
        self.speed_label.setText(tr("speed", mode))
        for widget in (self.speed_label, self.speed, self.speed_value):
            widget.setToolTip(tr("speed_tip", mode))
        self.hint.setText(tr("demo_keys", mode))
        self._update_run_button()

    def _tick(self) -> None:
        """Show the newest ready frame (at most ``speed`` frames on, or the owed ones while
        paused) and let the model compute ahead of it."""
        run = self.run
        if run is None:
            return
        before = run.count
        try:
            frame = run.take(self.speed.value() if self.running else self._owed,
                             SLICE_BUDGET_S)
        except DemoError as error:  # the run is finished: show why
            print(error, file=sys.stderr)
            self.failure = str(error).splitlines()[-1]
            frame = None
        self._owed = max(0, self._owed - (run.count - before))
        if frame is not None:
            self._show(frame)
        if run.finished:
            self._owed = 0
            if (run.latest is not frame or self._drawn_run is not run
                    or self.failure is not None):
                self._show(run.latest)
            self.set_running(False)
            return
        run.want(self._ahead())
        self._sync_timer()

    # -- view -------------------------------------------------------------------------------

    def _show(self, frame: Frame | None) -> None:
        if self._drawn_run is not self.run:
            self._rebuild()
        changed = None
        if frame is not None and self.update_frame is not None:
            changed = self.update_frame(frame)
        if self.run is not None and self.run.diverged and not self._marked:
            mark_diverged(self.figure, self.lang)
            self._marked = True
            changed = None
        if self.failure is not None and not self._marked:
            self.figure.text(0.5, 0.5, tr("demo_failed", self.mode, error=self.failure),
                             ha="center", va="center", fontsize=13, color=CRIMSON, wrap=True,
                             bbox={"facecolor": "white", "alpha": 0.9, "edgecolor": CRIMSON})
            self._marked = True
            changed = None
        self.painter.paint(changed, live=self.running)
        self._update_status()

    def _update_status(self) -> None:
        run = self.run
        if run is None:
            return
        if self.failure is not None:
            state, color = tr("status_failed", self.mode), "#cf222e"
        elif run.diverged:
            state, color = tr("status_diverged", self.mode), "#cf222e"
        elif run.finished:
            state, color = tr("status_finished", self.mode), "#1a7f37"
        else:
            state = tr("status_running" if self.running else "status_paused", self.mode)
            color = "#57606a"
        progress = run.progress
        shown = f"{progress:g}" if progress != int(progress) else f"{int(progress):,}"
        step = f"{self.demo_class.unit.get(self.lang)} {shown}"
        self.status.setText(f"<span style='color:{color}'>{step} · {state}</span>")

    # -- keys and closing -------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        letter = latin_letter(event.text())
        if event.key() == Qt.Key.Key_Space:
            self.toggle_running()
        elif letter == "s" or event.key() == Qt.Key.Key_Right:
            self.step_once()
        elif letter == "r":
            self.reset()
        elif event.key() == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        self.timer.stop()
        if self.run is not None:
            self.run.close()
        self.run = None
        if self.worker is not None:
            self.worker.close()
            self.worker = None
        self.geometry_changed.emit(self.saveGeometry())
        self.closed.emit(self)
        super().closeEvent(event)
