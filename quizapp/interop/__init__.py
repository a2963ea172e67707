"""Exchange with other tools: Anki packages and text exports in and out (pure Python, no Qt).

Each format has its own modules; the command line (``export``, ``import``) picks one by the
file. Nothing here imports the GUI, matplotlib, the trainer or the demos (import-linter).
"""
