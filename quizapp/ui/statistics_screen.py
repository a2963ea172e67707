"""Statistics (Tools → Statistics, key S): the figures ``study.statistics`` computes, drawn by
the ``charts`` renderers on Qt canvases — one tab per chart, drawn when first shown — and the
weak topics as a table: Enter or a double-click studies that topic.

matplotlib is imported only when this window opens.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from quizapp.study.statistics import Statistics
from quizapp.ui.strings import tr


class StatisticsWindow(QWidget):
    """A window of statistics charts; emits ``study_topic(kind, name)`` for a weak topic."""

    study_topic = Signal(str, str)  # "deck" or "tag", and its id

    def __init__(self, stats: Statistics, mode: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        from quizapp.charts import CHARTS
        from quizapp.fonts import use_korean_font_in_matplotlib

        use_korean_font_in_matplotlib()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.stats = stats
        self.mode = mode
        self.lang = "en" if mode == "en" else "ko"
        self.setWindowTitle(tr("statistics", mode))
        self.summary = QLabel(self._summary_text())
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self._canvases: dict[int, tuple[object, object]] = {}
        self._drawn: set[int] = set()
        for chart in CHARTS:
            figure = Figure(figsize=chart.size, layout="constrained")
            canvas = FigureCanvasQTAgg(figure)
            index = self.tabs.addTab(canvas, chart.title(self.lang))
            self._canvases[index] = (chart, canvas)
        self.topics = self._topic_table()
        self.tabs.addTab(self._topics_page(), tr("weak_topics_tab", mode))
        self.tabs.currentChanged.connect(self._draw_tab)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self.resize(1000, 700)
        self._draw_tab(0)

    def _draw_tab(self, index: int) -> None:
        if index in self._drawn or index not in self._canvases:
            return
        chart, canvas = self._canvases[index]
        canvas.figure.clear()  # type: ignore[attr-defined]
        chart.draw(canvas.figure, self.stats, self.lang)  # type: ignore[attr-defined]
        canvas.draw_idle()  # type: ignore[attr-defined]
        self._drawn.add(index)

    def _summary_text(self) -> str:
        stats, mode = self.stats, self.mode
        rate = stats.retention["last_30_days"].total
        shown = "-" if not rate[1] else f"{rate[0] / rate[1]:.1%}"
        return tr("statistics_summary", mode, today=stats.heatmap.get(stats.today, 0),
                  streak=stats.current_streak, longest=stats.longest_streak, retention=shown,
                  due=stats.forecast[0] if stats.forecast else 0, overdue=stats.overdue)

    def _topic_table(self) -> QTableWidget:
        mode = self.mode
        headers = [tr(key, mode) for key in ("topic", "weakness", "again_rate", "lapses",
                                               "quiz_misses",
                                               "interview_misses", "retrievability_now",
                                               "answers")]
        table = QTableWidget(len(self.stats.weak_topics), len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for row, topic in enumerate(self.stats.weak_topics):
            titles = self.stats.deck_titles.get(topic.name, (topic.name, topic.name))
            name = titles[self.lang == "en"] if topic.kind == "deck" else f"#{topic.name}"
            recall = ("-" if topic.mean_retrievability is None
                      else f"{topic.mean_retrievability:.0%}")
            for column, text in enumerate((name, f"{topic.weakness:.2f}",
                                           f"{topic.again_rate:.0%}", str(topic.lapses),
                                           str(topic.quiz_misses), str(topic.interview_misses),
                                           recall, str(topic.answers))):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, (topic.kind, topic.name))
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, column, item)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.horizontalHeaderItem(1).setToolTip(tr("weakness_tip", mode))
        table.itemActivated.connect(lambda item: self._study(item))
        if table.rowCount():
            table.selectRow(0)
        return table

    def _topics_page(self) -> QWidget:
        page = QWidget()
        hint = QLabel(tr("weak_topics_hint", self.mode))
        hint.setWordWrap(True)
        study = QPushButton(tr("study_topic", self.mode))
        study.clicked.connect(lambda: self._study(self.topics.currentItem()))
        row = QHBoxLayout()
        row.addWidget(hint, 1)
        row.addWidget(study)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.topics, 1)
        return page

    def _study(self, item: QTableWidgetItem | None) -> None:
        if item is None:
            return
        kind, name = item.data(Qt.ItemDataRole.UserRole)
        self.study_topic.emit(kind, name)
