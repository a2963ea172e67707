"""QuizApp: a bilingual ML interview study app with spaced repetition and live NumPy demos."""

import os

# The demos train small models (in a worker process beside the window, which inherits these).
# For matrices this small one BLAS thread is as fast as several, and extra BLAS threads that
# spin while the CPU is busy slow small matrix products down by 10-100x (measured:
# docs/PERFORMANCE.md). Set before NumPy is first imported; a value the user exported wins.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

__version__ = "0.1.0"
