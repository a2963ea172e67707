"""Live demos: declared parameters, a NumPy model stepping frame by frame, a matplotlib renderer.

No Qt here: the same demo runs in the Qt window (``quizapp.ui.demo_window``) and headless
(``python main.py demo ID --out plot.png``).
"""

from quizapp.demos.base import Choice, Demo, Frame, Param, Update, Values
from quizapp.demos.registry import DEMOS, demo_ref_problems, get_demo
from quizapp.demos.runner import DemoRun, render_png

__all__ = [
    "DEMOS",
    "Choice",
    "Demo",
    "DemoRun",
    "Frame",
    "Param",
    "Update",
    "Values",
    "demo_ref_problems",
    "get_demo",
    "render_png",
]
