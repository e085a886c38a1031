"""Initial weights: how large should the random numbers in W be?

A layer computes z = X @ W + b.  Each z is a sum of n_in terms x * w.  If the
inputs x have variance 1 and the weights w have variance s**2, then z has
variance about n_in * s**2.  So the size of the signal is multiplied by
sqrt(n_in) * s in every layer:

    sqrt(n_in) * s  > 1     the signal grows layer after layer: tanh and
                            sigmoid saturate (flat, slope 0), relu explodes
    sqrt(n_in) * s  < 1     the signal shrinks to 0 layer after layer, and
                            so do the gradients on the way back
    sqrt(n_in) * s  = 1     the signal keeps its size: choose s = 1 / sqrt(n_in)

Two standard recipes refine this:

    Xavier (Glorot, 2010), for tanh and sigmoid:   s = sqrt(2 / (n_in + n_out))
        a compromise between "keep the forward signal" (variance 1 / n_in)
        and "keep the backward gradient" (variance 1 / n_out): one over the
        average of n_in and n_out, 1 / ((n_in + n_out) / 2).
    He (Kaiming He, 2015), for relu:               s = sqrt(2 / n_in)
        relu sets half of its inputs to 0, which halves the variance; the 2
        makes up for it.

The biases start at 0.  Never start every weight at the same number (0, say):
then all neurons of a layer compute the same thing, get the same gradient, and
stay identical forever ("symmetry").  Random weights break the symmetry.
"""
import numpy as np

from nnlib import validate


def xavier_std(n_in, n_out):
    """Xavier/Glorot:  std = sqrt(2 / (n_in + n_out))  (for tanh, sigmoid)."""
    n_in = validate.check_positive_int(n_in, "n_in")
    n_out = validate.check_positive_int(n_out, "n_out")
    return float(np.sqrt(2.0 / (n_in + n_out)))


def he_std(n_in):
    """He/Kaiming:  std = sqrt(2 / n_in)  (for relu)."""
    n_in = validate.check_positive_int(n_in, "n_in")
    return float(np.sqrt(2.0 / n_in))


def _rng(seed, rng):
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError("rng must be a numpy Generator (np.random.default_rng(seed)), "
                            f"got {type(rng).__name__}")
        return rng
    return np.random.default_rng(validate.check_seed(seed))


def xavier(n_in, n_out, seed=0, rng=None):
    """A weight matrix W of shape (n_in, n_out), normal with std sqrt(2 / (n_in + n_out))."""
    return _rng(seed, rng).normal(0.0, xavier_std(n_in, n_out), size=(n_in, n_out))


def he(n_in, n_out, seed=0, rng=None):
    """A weight matrix W of shape (n_in, n_out), normal with std sqrt(2 / n_in)."""
    return _rng(seed, rng).normal(0.0, he_std(n_in), size=(n_in, n_out))


INITIALISERS = {"xavier": xavier_std, "he": lambda n_in, n_out: he_std(n_in)}


def init_weights(model, std, seed=0):
    """Draw new weights for every layer of a model (in place); biases back to 0.

    std:  "xavier" or "he" (the recipe, layer by layer), or a number: the same
          standard deviation for every layer.  0 makes every weight 0 (to see
          the symmetry problem: never train like that).
    Returns the model, so that `init_weights(mlp([2, 8, 1]), "he")` reads well.
    """
    if isinstance(std, str):
        validate.check_choice(std, "std", list(INITIALISERS))
    else:
        std = validate.check_number(std, "std")
        if std < 0:
            raise ValueError(f"std must be 0 or more, got {std}")
    layers = getattr(model, "layers", [model])
    for i, layer in enumerate(layers):
        if not (hasattr(layer, "W") and hasattr(layer, "b")):
            if layer is model:
                where = f"got {type(model).__name__}"
            else:
                where = f"its layer {i} is {type(layer).__name__}"
            raise TypeError(f"model must be a Dense layer or a Sequential of Dense layers "
                            f"(e.g. mlp([2, 8, 1])), each with a W and a b to draw; {where}")
    rng = _rng(seed, None)
    for layer in layers:
        n_in, n_out = layer.W.shape
        s = INITIALISERS[std](n_in, n_out) if isinstance(std, str) else std
        layer.W[...] = rng.normal(0.0, s, size=(n_in, n_out)) if s > 0 else 0.0
        layer.b[...] = 0.0
    return model
