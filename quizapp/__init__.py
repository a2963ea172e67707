"""QuizApp: a bilingual ML interview study app with spaced repetition and live NumPy demos."""

__version__ = "0.1.0"
