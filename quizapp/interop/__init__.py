"""Exchange with other spaced-repetition tools: review logs in and out.

``review_csv`` reads and writes the review-log CSV schema of the FSRS ecosystem (the one FSRS's
own optimizer reads). Anki import and export belong here too. Interop sits above the domain: it
uses the store and the scheduler, and never the GUI, the CLI, matplotlib, the trainer or the
demos (import-linter contracts in ``pyproject.toml``).
"""
