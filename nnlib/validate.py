"""Friendly checks for inputs.

A learner who passes the wrong thing should read *what* was wrong and *which*
parameter it was, not a numpy traceback ten frames deep.  Every public function
in nnlib calls these before doing any maths.
"""
import numbers

import numpy as np


def as_array(x, name, ndim=None, shape_hint=None, allow_empty=False):
    """Return `x` as a float64 numpy array, or raise a clear error.

    name:       the parameter's name, used in the message (e.g. "X").
    ndim:       the required number of dimensions (1 or 2), or None for any.
    shape_hint: how the shape should look, e.g. "(n_samples, n_features)".
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers, got a string")
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be an array of numbers, got {type(x).__name__}"
        ) from None
    if ndim is not None and arr.ndim != ndim:
        hint = f" of shape {shape_hint}" if shape_hint else ""
        raise ValueError(
            f"{name} must be a {ndim}-D array{hint}, got shape {arr.shape}"
        )
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} is empty: it needs at least one value")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinity: every value must be finite")
    return arr


def check_same_length(X, y, X_name="X", y_name="y"):
    """X and y must describe the same number of samples (rows)."""
    if len(X) != len(y):
        raise ValueError(
            f"{X_name} and {y_name} must have the same number of samples, "
            f"got {len(X)} rows in {X_name} and {len(y)} in {y_name}"
        )


def check_number(value, name):
    """A real number (int or float, not bool); returns it as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_positive(value, name):
    """A number > 0, e.g. a learning rate."""
    value = check_number(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be a positive number, got {value}")
    return value


def check_positive_int(value, name):
    """A whole number >= 1, e.g. a layer size or a number of epochs."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return int(value)


def check_in_range(value, name, low, high):
    """A number with low <= value <= high, e.g. a momentum in [0, 1)."""
    value = check_number(value, name)
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return value


def check_choice(value, name, choices):
    """One of a fixed set of names, e.g. an activation function."""
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {name} {value!r}: expected one of {options}")
    return value
