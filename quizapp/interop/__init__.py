"""Exchange with other tools: Anki packages and text exports in and out, and review logs in
the FSRS ecosystem's CSV schema (the one FSRS's own optimizer reads).

Each format has its own modules; the command line (``export``, ``import``) picks one by the
file. Interop sits above the domain: it uses the content loader, the store and the scheduler,
and never the GUI, the CLI, matplotlib, the trainer or the demos (import-linter contracts in
``pyproject.toml``).
"""
