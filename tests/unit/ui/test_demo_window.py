"""Open a demo from a card, change a parameter, run, pause, step, reset and close it."""

from __future__ import annotations

from pathlib import Path

import pytest
from card_files import write_card
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quizapp.ui.app import application, create_window
from quizapp.ui.demo_window import DemoWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def demo_window(qtbot: QtBot, small_content: Path, tmp_path: Path) -> DemoWindow:
    write_card(small_content / "alpha", "00.md", "a0", ko="모멘텀 데모", en="Momentum demo",
               extra='[demo]\nid = "optimizer-race"\nparams = { lr = 0.09, momentum = 0.5 }\n')
    application()
    window = create_window(small_content, str(tmp_path / "d"))
    qtbot.addWidget(window)
    window.show()
    window.open_study()
    review = window.review
    assert review.demo_button.isVisible()
    qtbot.keyClick(review, Qt.Key.Key_D)
    [demo] = window.demo_windows  # closed (and deleted) with the main window
    return demo


def test_card_presets_reach_the_demo_and_it_runs(qtbot: QtBot, demo_window: DemoWindow) -> None:
    assert demo_window.values["lr"] == 0.09 and demo_window.values["momentum"] == 0.5
    assert demo_window.running
    qtbot.waitUntil(lambda: demo_window.run is not None and demo_window.run.count > 20,
                    timeout=10000)
    assert "스텝" in demo_window.status.text()


def shown(window: DemoWindow) -> int:
    return window.run.count if window.run is not None else -1


def test_pause_step_reset_and_parameter_change(qtbot: QtBot, demo_window: DemoWindow) -> None:
    qtbot.keyClick(demo_window, Qt.Key.Key_Space)  # pause
    assert not demo_window.running
    run = demo_window.run
    assert run is not None
    qtbot.waitUntil(lambda: run.count >= 1, timeout=10000)  # a run's first frame is shown anyway
    count = run.count
    qtbot.wait(150)
    assert run.count == count  # paused really means paused
    assert not demo_window.timer.isActive()
    qtbot.keyClick(demo_window, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: run.count == count + 1, timeout=5000)
    qtbot.keyClick(demo_window, Qt.Key.Key_Right)
    qtbot.keyClick(demo_window, Qt.Key.Key_S)  # single steps add up, one frame each
    qtbot.waitUntil(lambda: run.count == count + 3, timeout=5000)
    qtbot.wait(100)
    assert run.count == count + 3 and not demo_window.running
    combo = demo_window.panel.controls["surface"]
    combo.setCurrentIndex(combo.findData("rosenbrock"))  # type: ignore[attr-defined]
    assert demo_window.values["surface"] == "rosenbrock"
    assert demo_window.run is not run  # restarted, still paused, with its first frame shown
    qtbot.waitUntil(lambda: shown(demo_window) == 1, timeout=5000)
    qtbot.wait(100)
    assert shown(demo_window) == 1 and not demo_window.running
    assert demo_window.run.values["surface"] == "rosenbrock"
    restarted = demo_window.run
    qtbot.keyClick(demo_window, Qt.Key.Key_R)
    assert demo_window.run is not restarted
    qtbot.waitUntil(lambda: shown(demo_window) == 1, timeout=5000)
    qtbot.keyClick(demo_window, Qt.Key.Key_Space)  # resume
    qtbot.waitUntil(lambda: shown(demo_window) > 5, timeout=10000)


def test_divergence_is_shown_not_crashed(qtbot: QtBot, demo_window: DemoWindow) -> None:
    slider = demo_window.panel.controls["lr"]
    slider.slider.setValue(slider.slider.maximum())  # type: ignore[attr-defined]
    adaptive = demo_window.panel.controls["adaptive_lr"]
    adaptive.slider.setValue(adaptive.slider.maximum())  # type: ignore[attr-defined]
    demo_window.set_param("surface", "rosenbrock")
    demo_window.set_running(True)
    qtbot.waitUntil(lambda: demo_window.run is not None and demo_window.run.count > 30,
                    timeout=20000)
    assert demo_window.values["lr"] == 0.2
    latest = demo_window.run.latest
    assert latest is not None and not latest["alive"]["SGD"]  # SGD blew up at lr 0.2 ...
    legend = [t.get_text() for t in demo_window.figure.axes[1].get_legend().get_texts()]
    assert "SGD (발산)" in legend  # ... and the plot says so
    qtbot.keyClick(demo_window, Qt.Key.Key_R)  # and the window still works
    qtbot.waitUntil(lambda: shown(demo_window) >= 1, timeout=5000)


def test_closing_stops_the_work(qtbot: QtBot, demo_window: DemoWindow) -> None:
    timer = demo_window.timer
    worker = demo_window.worker
    assert worker is not None and worker.process.is_alive()
    demo_window.close()
    assert not timer.isActive()
    assert not worker.process.is_alive()


def test_a_run_stops_at_its_natural_end_and_space_runs_it_again(
        qtbot: QtBot, demo_window: DemoWindow) -> None:
    steps = demo_window.demo_class.steps
    qtbot.waitUntil(lambda: demo_window.run is not None and demo_window.run.finished,
                    timeout=30000)
    assert demo_window.run.count == steps
    assert not demo_window.timer.isActive()  # nothing left to compute: the CPU idles
    assert demo_window.run_button.text().startswith("다시 실행")
    unit = demo_window.demo_class.unit.ko
    assert f"{unit} " in demo_window.status.text() and "완료" in demo_window.status.text()
    finished = demo_window.run
    qtbot.keyClick(demo_window, Qt.Key.Key_Space)
    assert demo_window.running and demo_window.run is not finished  # from the start again
    assert demo_window.run.count <= 2


def test_l_switches_the_demo_window_language_too(qtbot: QtBot, demo_window: DemoWindow) -> None:
    qtbot.keyClick(demo_window, Qt.Key.Key_L)
    assert demo_window.mode == "en"
    assert demo_window.title.text() == demo_window.demo_class.title.en
    assert "What to notice" in demo_window.notice.text()
    axes_titles = [ax.get_title() for ax in demo_window.figure.axes]
    assert not any("손실" in title for title in axes_titles)


def test_the_window_says_which_card_it_belongs_to_and_is_replaced_by_the_next(
        qtbot: QtBot, demo_window: DemoWindow) -> None:
    assert "카드: 모멘텀 데모" in demo_window.windowTitle()
    main = demo_window.parent() or next(w for w in QApplication.topLevelWidgets()
                                        if hasattr(w, "open_card_demo"))
    second = main.open_card_demo("a0")  # type: ignore[union-attr]
    assert second is not demo_window and main.demo_windows == [second]  # type: ignore


def test_notes_are_plain_text_even_with_a_less_than_sign(qtbot: QtBot) -> None:
    """input-normalization's note has 'η < 2/λ'; shown as HTML it was cut at the '<'."""
    from PySide6.QtGui import QTextDocument

    from quizapp.demos import DEMOS

    application()
    window = DemoWindow(DEMOS["input-normalization"], mode="ko")
    qtbot.addWidget(window)
    shown = QTextDocument()
    shown.setHtml(window.notice.text())
    note = DEMOS["input-normalization"].notice.ko
    assert "<" in note and shown.toPlainText().endswith(note)


def test_small_windows_keep_text_readable(qtbot: QtBot) -> None:
    from quizapp.demos import DEMOS
    from quizapp.ui.figure_painter import MIN_DPI

    application()
    window = DemoWindow(DEMOS["early-stopping"], mode="ko")
    qtbot.addWidget(window)
    window.show()
    window.resize(600, 500)  # smaller than allowed: the window keeps its minimum
    qtbot.wait(50)
    assert window.width() >= 940 and window.height() >= 660
    assert window.figure.dpi >= MIN_DPI
    for widget in (window.run_button, window.status, window.speed):
        assert widget.geometry().right() <= window.width()
    status, speed = window.status.geometry(), window.speed.geometry()
    assert not status.intersects(speed)
    assert not status.intersects(window.speed_value.geometry())


def test_the_speed_slider_shows_its_value(qtbot: QtBot) -> None:
    from quizapp.demos import DEMOS

    application()
    window = DemoWindow(DEMOS["optimizer-race"], mode="ko")
    qtbot.addWidget(window)
    window.show()
    assert window.speed_value.text() == "×4" and window.speed_value.isVisible()
    window.speed.setFocus()
    qtbot.keyClick(window.speed, Qt.Key.Key_Right)
    assert window.speed.value() == 5 and window.speed_value.text() == "×5"
    window.speed.setValue(20)
    assert window.speed_value.text() == "×20"
    assert window.speed_value.geometry().left() >= window.speed.geometry().right()
    assert "프레임" in window.speed.toolTip()


def test_the_demo_window_reopens_where_it_was(qtbot: QtBot, demo_window: DemoWindow) -> None:
    main = next(w for w in QApplication.topLevelWidgets() if hasattr(w, "open_card_demo"))
    demo_window.resize(990, 700)
    demo_window.move(7, 9)
    demo_window.close()
    stored = main.store.get_setting("demo_window_geometry")  # type: ignore[attr-defined]
    assert isinstance(stored, str) and stored
    again = main.open_demo("optimizer-race")  # type: ignore[attr-defined]
    # (the offscreen screen is 800x600, so Qt may pull a big window back onto it)
    assert (again.width(), again.height()) != (1180, 760)  # not the default size
    again.close()


def test_a_paused_demo_shows_every_changing_text_as_it_is(qtbot: QtBot) -> None:
    from matplotlib.text import Text

    from quizapp.demos import DEMOS

    application()
    window = DemoWindow(DEMOS["roc-pr"], mode="en")  # its metrics box changes every frame
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.painter.texts.held_back > 0, timeout=20000)
    window.set_running(False)
    texts = [a for a in window.painter.animated if type(a) is Text and a.get_text()]
    assert texts and not window.painter.texts.pending
    assert not any(text.stale for text in texts)  # each drawn as it is now


def test_a_long_choice_is_elided_in_the_box_but_whole_in_its_list_and_tooltip(
        qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QComboBox

    from quizapp.demos import DEMOS

    application()
    window = DemoWindow(DEMOS["activations"], mode="ko")
    qtbot.addWidget(window)
    window.show()
    combos = window.panel.findChildren(QComboBox)
    longest = max(combos, key=lambda c: max(len(c.itemText(i)) for i in range(c.count())))
    text = longest.currentText()  # elided in the box where the panel is narrow (a real screen)
    assert longest.toolTip() == text
    widest = max(longest.fontMetrics().horizontalAdvance(longest.itemText(i))
                 for i in range(longest.count()))
    assert longest.view().minimumWidth() >= widest
    longest.setCurrentIndex((longest.currentIndex() + 1) % longest.count())
    assert longest.toolTip() == longest.currentText() != text
