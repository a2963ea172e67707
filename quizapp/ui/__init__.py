"""Every Qt widget, window and worker: the only package that imports PySide6."""
