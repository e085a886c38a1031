"""Write nnlib/datasets/digits.npz from scikit-learn's copy of the UCI handwritten digits.

    python tools/extract_digits.py        (needs scikit-learn; authors only)

The course never runs this: learners get the .npz from the repository and
scikit-learn is not one of the course's dependencies.  It is kept so that
anyone can see, and redo, exactly how the file was made.

Source: UCI Machine Learning Repository, "Optical Recognition of Handwritten
Digits" (E. Alpaydin, C. Kaynak, 1998), licence CC BY 4.0,
https://doi.org/10.24432/C50P49.  scikit-learn ships its test part
(optdigits.tes, 1,797 images) as `sklearn.datasets.load_digits()`.

What is done: nothing to the values.  Each image is 8 x 8 whole numbers from 0
(white) to 16 (black), the count of inked pixels in a 4 x 4 block of the 32 x 32
original; they are stored as uint8 with their labels 0..9, in the original order.
"""
import hashlib
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

OUT = Path(__file__).resolve().parent.parent / "nnlib" / "datasets" / "digits.npz"


def main():
    bunch = load_digits()
    images = bunch.images
    assert images.shape == (1797, 8, 8), images.shape
    assert np.array_equal(images, np.round(images)) and images.min() == 0 and images.max() == 16
    images = images.astype(np.uint8)
    labels = bunch.target.astype(np.uint8)
    assert sorted(set(labels.tolist())) == list(range(10))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, images=images, labels=labels)
    digest = hashlib.sha256(images.tobytes() + labels.tobytes()).hexdigest()
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes): images {images.shape} uint8, "
          f"labels {labels.shape}; sha256 of the arrays {digest}")


if __name__ == "__main__":
    main()
