"""Activation functions f(z) and their derivatives f_prime(z).

A layer computes z = X @ W + b and then a = f(z), one number at a time.
Backpropagation needs the slope of f at z, written f'(z) or `f_prime(z)`.

Every function here works elementwise on a numpy array z (float64) or on a
single number.  They sit inside the training loop, so their input check
(`validate.as_floats`) costs one type test for a float64 array; anything else
is converted, or refused with a clear error.  NaN in gives NaN out.

Two of them need care with huge inputs.  The textbook formula
sigmoid(z) = 1 / (1 + exp(-z)) computes exp(10000) for z = -10000, which
overflows to infinity (with a RuntimeWarning) even though the answer is a
perfectly ordinary 0.0.  `sigmoid` and `softplus` below are written so that
no intermediate value can overflow.
"""
import numpy as np

from nnlib import validate

# Slope of leaky_relu for z < 0.  Small, so it behaves almost like relu, but
# not zero, so a neuron stuck at negative z still receives some gradient.
LEAKY_SLOPE = 0.01

# The constant sqrt(2 / pi) used by the tanh approximation of gelu.
_GELU_C = np.sqrt(2.0 / np.pi)

# Beyond |z| = 10, gelu's tanh is exactly +-1 in float64 (u > 43, and tanh(u)
# rounds to 1 from u = 19.1 on).  Clipping z there before computing z^3 changes
# no result, but keeps z^3 from overflowing to inf (and inf * 0 = NaN) for
# z like 1e200.
_GELU_FLAT = 10.0


# ---------------------------------------------------------------- identity --

def identity(z):
    """identity(z) = z.  Returns z itself, not a copy."""
    z = validate.as_floats(z, "z")
    return z


def identity_prime(z):
    """identity'(z) = 1."""
    z = validate.as_floats(z, "z")
    return np.ones(np.shape(z))


# -------------------------------------------------------------------- step --

def step(z):
    """step(z) = 1 if z >= 0, else 0  (the perceptron's threshold, as in lesson 01)."""
    z = validate.as_floats(z, "z")
    # np.heaviside(z, 1.0) is 0 for z < 0, 1 for z > 0, and its second argument, 1.0, at z = 0.
    # Unlike np.where(z >= 0, 1.0, 0.0) it keeps NaN as NaN (NaN >= 0 is False: 0 by mistake).
    return np.heaviside(z, 1.0)


def step_prime(z):
    """step'(z) = 0 everywhere (undefined at z = 0).

    The step is flat, so it passes no gradient back.  That is why the
    perceptron uses its own learning rule instead of backpropagation.
    """
    z = validate.as_floats(z, "z")
    return np.zeros(np.shape(z))


# ----------------------------------------------------------------- sigmoid --

def sigmoid(z):
    """sigmoid(z) = 1 / (1 + exp(-z)), a smooth step from 0 to 1.

    Computed as exp(-softplus(-z)), which is the same number
    (because softplus(-z) = log(1 + exp(-z))) but never overflows:
    np.logaddexp(0, -z) = log(exp(0) + exp(-z)) is evaluated without
    forming exp(-z).  For z = -10000 it gives exp(-10000) = 0.0.
    """
    z = validate.as_floats(z, "z")
    return np.exp(-np.logaddexp(0.0, -z))


def sigmoid_prime(z):
    """sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z))."""
    z = validate.as_floats(z, "z")
    s = sigmoid(z)
    return s * (1.0 - s)


# -------------------------------------------------------------------- tanh --

def tanh(z):
    """tanh(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z)), from -1 to 1."""
    z = validate.as_floats(z, "z")
    return np.tanh(z)


def tanh_prime(z):
    """tanh'(z) = 1 - tanh(z)^2."""
    z = validate.as_floats(z, "z")
    t = np.tanh(z)
    return 1.0 - t * t


# -------------------------------------------------------------------- relu --

def relu(z):
    """relu(z) = max(z, 0)."""
    z = validate.as_floats(z, "z")
    return np.maximum(z, 0.0)


def relu_prime(z):
    """relu'(z) = 1 if z > 0, else 0  (we choose 0 at the kink z = 0)."""
    z = validate.as_floats(z, "z")
    return np.where(z > 0, 1.0, 0.0)


# -------------------------------------------------------------- leaky_relu --

def leaky_relu(z, slope=LEAKY_SLOPE):
    """leaky_relu(z) = z if z > 0, else slope * z   (slope = 0.01)."""
    z = validate.as_floats(z, "z")
    slope = validate.check_number(slope, "slope")
    return np.where(z > 0, z, slope * z)


def leaky_relu_prime(z, slope=LEAKY_SLOPE):
    """leaky_relu'(z) = 1 if z > 0, else slope  (slope at the kink z = 0)."""
    z = validate.as_floats(z, "z")
    slope = validate.check_number(slope, "slope")
    return np.where(z > 0, 1.0, slope)


# ---------------------------------------------------------------- softplus --

def softplus(z):
    """softplus(z) = log(1 + exp(z)), a smooth relu.

    np.logaddexp(0, z) = log(exp(0) + exp(z)) is exactly this, computed
    without overflow: softplus(10000) = 10000.0, softplus(-10000) = 0.0.
    """
    z = validate.as_floats(z, "z")
    return np.logaddexp(0.0, z)


def softplus_prime(z):
    """softplus'(z) = exp(z) / (1 + exp(z)) = sigmoid(z)."""
    z = validate.as_floats(z, "z")
    return sigmoid(z)


# -------------------------------------------------------------------- gelu --

def gelu(z):
    """gelu(z) = 0.5 * z * (1 + tanh(sqrt(2/pi) * (z + 0.044715 * z^3))).

    This is the tanh approximation of z * Phi(z), where Phi is the normal
    distribution's cumulative probability.  Like relu for large |z|, but
    smooth at 0.
    """
    z = validate.as_floats(z, "z")
    zc = np.clip(z, -_GELU_FLAT, _GELU_FLAT)      # same tanh, no overflow: see _GELU_FLAT
    u = _GELU_C * (zc + 0.044715 * zc**3)
    return 0.5 * z * (1.0 + np.tanh(u))


def gelu_prime(z):
    """gelu'(z) = 0.5 * (1 + t) + 0.5 * z * (1 - t^2) * du/dz,

    where u = sqrt(2/pi) * (z + 0.044715 * z^3), t = tanh(u) and
    du/dz = sqrt(2/pi) * (1 + 3 * 0.044715 * z^2)   (product + chain rule).
    """
    z = validate.as_floats(z, "z")
    z = np.clip(z, -_GELU_FLAT, _GELU_FLAT)       # gives exactly 1 or 0 beyond: see _GELU_FLAT
    u = _GELU_C * (z + 0.044715 * z**3)
    t = np.tanh(u)
    du_dz = _GELU_C * (1.0 + 3 * 0.044715 * z**2)
    return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * du_dz


# ------------------------------------------------------------------- table --

ACTIVATIONS = {
    "identity": (identity, identity_prime),
    "step": (step, step_prime),
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "leaky_relu": (leaky_relu, leaky_relu_prime),
    "softplus": (softplus, softplus_prime),
    "gelu": (gelu, gelu_prime),
}


def get_activation(name):
    """Return the pair (f, f_prime) for an activation name, e.g. "tanh"."""
    validate.check_choice(name, "activation", ACTIVATIONS)
    return ACTIVATIONS[name]


# ------------------------------------------- derivatives from the output a --
#
# For sigmoid and tanh the derivative is simplest in terms of the output
# a = f(z) that the forward pass already computed:
#     sigmoid'(z) = a * (1 - a),        tanh'(z) = 1 - a^2.
# A layer uses these in backward so it does not have to evaluate f(z) a
# second time (that would cost as much as the forward pass itself).

def sigmoid_prime_from_output(a):
    """sigmoid'(z) written with a = sigmoid(z):  a * (1 - a)."""
    a = validate.as_floats(a, "a")
    return a * (1.0 - a)


def tanh_prime_from_output(a):
    """tanh'(z) written with a = tanh(z):  1 - a^2."""
    a = validate.as_floats(a, "a")
    return 1.0 - a * a


PRIME_FROM_OUTPUT = {
    "sigmoid": sigmoid_prime_from_output,
    "tanh": tanh_prime_from_output,
}
