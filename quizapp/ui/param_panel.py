"""Controls generated from a demo's parameter declarations: sliders, spin boxes, combos, checks."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QWidget,
)

from quizapp.demos import Param

SLIDER_STEPS = 1000


class FloatSlider(QWidget):
    """A slider over [low, high] (linear or log) that shows its value; emits ``value_changed``."""

    value_changed = Signal(float)

    def __init__(self, param: Param, value: float) -> None:
        super().__init__()
        if param.low is None or param.high is None:
            raise ValueError(f"float parameter {param.name} needs low and high")
        self.low, self.high, self.log = float(param.low), float(param.high), param.log
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self.label = QLabel()
        self.label.setMinimumWidth(56)
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self._value = value
        self.set_value(value)
        self.slider.valueChanged.connect(self._moved)

    def set_value(self, value: float) -> None:
        self._value = value
        self.slider.blockSignals(True)
        self.slider.setValue(round(self._fraction(value) * SLIDER_STEPS))
        self.slider.blockSignals(False)
        self.label.setText(f"{value:.4g}")

    def _scaled(self, value: float) -> float:
        return math.log10(value) if self.log else value

    def _fraction(self, value: float) -> float:
        low, high = self._scaled(self.low), self._scaled(self.high)
        return (self._scaled(value) - low) / (high - low)

    def _moved(self, position: int) -> None:
        low, high = self._scaled(self.low), self._scaled(self.high)
        raw = low + (high - low) * position / SLIDER_STEPS
        value = float(f"{10**raw if self.log else raw:.3g}")  # round to what the label shows
        self._value = min(max(value, self.low), self.high)
        self.label.setText(f"{self._value:.4g}")
        self.value_changed.emit(self._value)


class ParamPanel(QWidget):
    """One control per parameter; emits ``changed(name, value)`` when the user changes one."""

    changed = Signal(str, object)

    def __init__(self, params: tuple[Param, ...], values: dict[str, Any], lang: str) -> None:
        super().__init__()
        self.controls: dict[str, QWidget] = {}
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for param in params:
            control = self._control(param, values[param.name], lang)
            control.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            self.controls[param.name] = control
            label = QLabel(param.label.get(lang))
            label.setTextFormat(Qt.TextFormat.PlainText)  # "<" in a label is text, not HTML
            label.setWordWrap(True)
            form.addRow(label, control)

    def _control(self, param: Param, value: Any, lang: str) -> QWidget:
        name = param.name
        if param.kind == "float":
            slider = FloatSlider(param, float(value))
            slider.value_changed.connect(lambda v, n=name: self.changed.emit(n, v))
            return slider
        if param.kind == "int":
            spin = QSpinBox()
            spin.setRange(int(param.low or 0), int(param.high or 0))
            spin.setValue(int(value))
            spin.valueChanged.connect(lambda v, n=name: self.changed.emit(n, int(v)))
            return spin
        if param.kind == "bool":
            check = QCheckBox()
            check.setChecked(bool(value))
            check.toggled.connect(lambda v, n=name: self.changed.emit(n, bool(v)))
            return check
        combo = QComboBox()
        # Long choice labels are elided instead of widening the panel.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(16)
        for choice in param.choices:
            combo.addItem(choice.label.get(lang), choice.value)
        combo.setCurrentIndex(max(0, combo.findData(value)))
        # ... but the open list shows them whole, and so does the closed box's tooltip
        metrics = combo.view().fontMetrics()
        combo.view().setMinimumWidth(max(metrics.horizontalAdvance(combo.itemText(i))
                                         for i in range(combo.count())) + 32)
        combo.setToolTip(combo.currentText())
        combo.currentIndexChanged.connect(
            lambda _i, n=name, c=combo: self.changed.emit(n, c.currentData()))
        combo.currentTextChanged.connect(combo.setToolTip)
        return combo
