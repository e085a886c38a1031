"""A fixed numpy workload, timed: how fast this machine runs the course's numpy side.

Benchmarks print it beside their own times, so a figure from one machine can be
compared with a figure from another (machines of the same kind differ by 2-2.5x).
"""
import time

import numpy as np


def numpy_calibration():
    """Seconds for a fixed numpy workload: 200 products of 256 x 256 matrices."""
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(256, 256)), rng.normal(size=(256, 256))
    start = time.perf_counter()
    for _ in range(200):
        A = np.tanh(A @ B / 16)
    return time.perf_counter() - start
