"""Friendly checks for inputs.

A learner who passes the wrong thing should read *what* was wrong and *which*
parameter it was, not a numpy traceback ten frames deep.  Every public function
in nnlib calls these at its boundary, once, before doing any maths; the maths
itself then trusts its inputs.

Every check raises TypeError (the wrong kind of thing: a string for a number)
or ValueError (the right kind, a wrong value: a label 5 for 3 classes), and its
message names the parameter, says what was expected and shows what came.
"""
import math
import numbers

import numpy as np


def _kind(x):
    """A short description of what came, for messages: "str", "list", "ndarray of int64"."""
    if isinstance(x, np.ndarray):
        return f"an array of dtype {x.dtype} and shape {x.shape}"
    return type(x).__name__


# ------------------------------------------------------------------ arrays --

def as_array(x, name, ndim=None, shape_hint=None, allow_empty=False, finite=True):
    """Return `x` as a float64 numpy array, or raise a clear error.

    name:        the parameter's name, used in the message (e.g. "X").
    ndim:        the required number of dimensions (1 or 2), or None for any.
    shape_hint:  how the shape should look, e.g. "(n_samples, n_features)".
    allow_empty: accept an array with no values.
    finite:      refuse NaN and infinity (data must be finite; a network's
                 output after training blew up need not be).
    """
    if type(x) is np.ndarray and x.dtype == np.float64:
        arr = x                                     # the common case: nothing to convert
    else:
        arr = _to_float64(x, name)
    if ndim is not None and arr.ndim != ndim:
        hint = f" of shape {shape_hint}" if shape_hint else ""
        raise ValueError(f"{name} must be a {ndim}-D array{hint}, got shape {arr.shape}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} is empty: it needs at least one value")
    if finite and not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity: every value must be finite")
    return arr


def _to_float64(x, name):
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers, got a string {x!r}")
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError):                 # e.g. rows of different lengths
        arr = None
    # Not numbers: strings, None (which numpy would turn into NaN), ragged rows.
    if arr is None or arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be an array of numbers (all rows the same length), "
            f"got {type(x).__name__} {_short(x)}"
        )
    return arr.astype(np.float64, copy=False)


def as_float_array(x, name):
    """`x` as a float64 array of any shape, NaN allowed (a model's output, logits).

    A float64 numpy array passes straight through: one type test.
    """
    if type(x) is np.ndarray and x.dtype == np.float64:
        return x
    return as_array(x, name, finite=False)


def as_batch(X, name, n_features):
    """X as a float array of shape (n_samples, n_features), NaN allowed: a layer's input."""
    X = as_float_array(X, name)
    if X.ndim != 2 or X.shape[1] != n_features:
        hint = ": for one sample x, pass x.reshape(1, -1)" if X.ndim == 1 else ""
        raise ValueError(
            f"{name} must have shape (n_samples, {n_features}), one row per sample with "
            f"{n_features} features, got shape {X.shape}{hint}"
        )
    return X


def as_floats(z, name):
    """`z` as a float64 array for elementwise maths (activations, layers).

    A float64 numpy array passes straight through: this sits in the training
    loop, so the common case costs one type test.  NaN and infinity are
    allowed here (NaN in, NaN out), so that a network whose weights blew up
    can still be run and the blow-up noticed.
    """
    if type(z) is np.ndarray and z.dtype == np.float64 or type(z) is float:
        return z
    z = as_array(z, name, allow_empty=True, finite=False)
    return float(z) if z.ndim == 0 else z


def _short(x):
    text = repr(x)
    return text if len(text) <= 40 else text[:37] + "..."


def check_same_length(X, y, X_name="X", y_name="y"):
    """X and y must describe the same number of samples (rows)."""
    if len(X) != len(y):
        raise ValueError(
            f"{X_name} and {y_name} must have the same number of samples, "
            f"got {len(X)} rows in {X_name} and {len(y)} in {y_name}"
        )


def check_labels(y, name, n_classes=None, n_samples=None):
    """Class labels: a 1-D array of whole numbers 0 .. n_classes - 1, as integers.

    Whole-number floats (0.0, 1.0) are accepted; 0.5, -1 or n_classes are not
    (numpy would read -1 as "the last class" without a word).  n_classes=None:
    any whole number from 0 up.
    """
    y = as_array(y, name, ndim=1, shape_hint="(n_samples,)")
    if n_samples is not None and len(y) != n_samples:
        raise ValueError(f"{name} must hold one label per sample: expected {n_samples} labels, "
                         f"got {len(y)}")
    top = np.inf if n_classes is None else n_classes - 1
    if np.any(y != np.round(y)) or y.min() < 0 or y.max() > top:
        expected = "from 0 up" if n_classes is None else f"from 0 to {top} ({n_classes} classes)"
        raise ValueError(
            f"{name} must hold whole-number class labels {expected}, "
            f"got values from {y.min():g} to {y.max():g}"
            + (" with fractions" if np.any(y != np.round(y)) else "")
        )
    return y.astype(np.intp)


def check_binary_targets(y, name):
    """Targets for binary cross-entropy: labels 0 or 1 (or probabilities in between)."""
    if y.size and (y.min() < 0 or y.max() > 1):
        raise ValueError(
            f"{name} must hold labels 0 or 1 (or probabilities between 0 and 1), "
            f"got values from {y.min():g} to {y.max():g}"
        )
    return y


def check_finite_result(result, name, value):
    """A computed array must be finite; if not, `name` = `value` was too large."""
    if not np.all(np.isfinite(result)):
        raise ValueError(
            f"{name} must be a reasonable size: {name}={value!r} makes the result "
            f"overflow to infinity (float64 ends near 1.8e308)"
        )
    return result


def check_params_and_grads(params, grads):
    """Matching lists of float arrays: grads[i] has exactly the shape of params[i].

    Without this check, zip() would silently drop the extra parameters of a
    longer list, and numpy would "broadcast" a gradient of shape (3,) into a
    parameter of shape (2, 3), updating it with the wrong numbers.
    """
    for arg, name in ((params, "params"), (grads, "grads")):
        if not isinstance(arg, (list, tuple)):
            raise TypeError(
                f"{name} must be a list of arrays, e.g. model.parameters() and "
                f"model.gradients(), got {_kind(arg)}"
            )
    if len(params) != len(grads):
        raise ValueError(
            f"params and grads must have the same length (one gradient per parameter), "
            f"got {len(params)} params and {len(grads)} grads"
        )
    for p, g in zip(params, grads):             # the common case: one line of tests
        if type(p) is np.ndarray and p.dtype.kind == "f" and type(g) is np.ndarray \
                and g.shape == p.shape and g.dtype.kind in "biuf":
            continue
        i = next(i for i, q in enumerate(params) if q is p)
        if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
            raise TypeError(
                f"params[{i}] must be a float numpy array (it is updated in place; "
                f"use np.array(..., dtype=float)), got {_kind(p)}"
            )
        if not isinstance(g, np.ndarray) or g.dtype.kind not in "biuf":
            raise TypeError(f"grads[{i}] must be a numpy array of numbers, got {_kind(g)}")
        if g.shape != p.shape:
            raise ValueError(
                f"grads[{i}] must have the shape of params[{i}], {p.shape}, got {g.shape}"
            )


# ----------------------------------------------------------------- numbers --

def check_number(value, name):
    """A real number (int or float, not bool); returns it as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {_kind(value)}")
    try:
        value = float(value)
    except OverflowError:
        raise ValueError(f"{name} must be a number that fits in a float, got a huge int") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_positive(value, name):
    """A number > 0, e.g. a learning rate."""
    value = check_number(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be a positive number, got {value}")
    return value


def check_int(value, name, low=None, high=None):
    """A whole number (not bool, not 2.0) with low <= value <= high (None: no limit)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {_kind(value)} {_short(value)}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            expected = "0 or more" if low == 0 else f"at least {low}"
        elif low is None:
            expected = f"at most {high}"
        else:
            expected = f"between {low} and {high}"
        raise ValueError(f"{name} must be {expected}, got {value}")
    return value


def check_positive_int(value, name):
    """A whole number >= 1, e.g. a layer size or a number of epochs."""
    return check_int(value, name, low=1)


def check_seed(seed, name="seed"):
    """A random seed: a whole number >= 0, as numpy's generators want."""
    return check_int(seed, name, low=0)


def check_in_range(value, name, low, high):
    """A number with low <= value <= high, e.g. a momentum in [0, 1)."""
    value = check_number(value, name)
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return value


def check_slider(value, name, low, high, step=None, whole=False):
    """A widget's starting value: one the slider can show, low..high in steps of step.

    A slider would silently clamp 10 to its maximum 3, or round 2.5 neurons
    to 2, and the picture would not be what was asked for: refuse instead.
    """
    value = check_int(value, name) if whole else check_number(value, name)
    notches = None if step is None else (value - low) / step
    if not low <= value <= high or (notches is not None and abs(notches - round(notches)) > 1e-6):
        steps = f" in steps of {step:g}" if step is not None else ""
        raise ValueError(
            f"{name} must be between {low:g} and {high:g}{steps} "
            f"(the values its slider can show), got {value:g}"
        )
    return value


def check_callable(f, name, what):
    """f must be a function; `what` says which, e.g. "a function f(x) returning a number"."""
    if not callable(f):
        raise TypeError(f"{name} must be {what}, got {_kind(f)}")
    return f


def check_choice(value, name, choices):
    """One of a fixed set of names, e.g. an activation function."""
    try:
        known = value in choices
    except TypeError:            # an unhashable value (a list) cannot be in a dict
        known = False
    # True == 1 in Python, so `True in [1, 10]` holds: a bool is a choice only
    # where the choices themselves are bools.
    if isinstance(value, bool) and not any(isinstance(c, bool) for c in choices):
        known = False
    if not known:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {name} {value!r}: expected one of {options}")
    return value
