"""Neurons, layers and multi-layer perceptrons built from `Value`s.

A neuron computes  a = f(z),  z = w . x + b = w1*x1 + w2*x2 + ... + b.
A layer is several neurons looking at the same inputs.
An MLP feeds each layer's outputs into the next layer.
Because everything is made of Values, loss.backward() gives every weight its gradient.
"""
import random

import numpy as np

from .engine import Value
from .validate import check_choice, check_positive_int, check_seed

# How each activation is applied to a Value z.
ACTIVATIONS = {
    "linear": lambda z: z,
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
}

# Other names for the same activation: nnlib.layers calls f(z) = z "identity",
# micrograd (and this module) "linear"; both halves accept both.
ALIASES = {"identity": "linear"}


def activation_name(activation, name="activation"):
    """The activation's name here, after checking it: "identity" becomes "linear"."""
    check_choice(activation, name, list(ACTIVATIONS) + list(ALIASES))
    return ALIASES.get(activation, activation)


class Module:
    """Anything with parameters: it can list them and reset their gradients."""

    def parameters(self):
        return []

    def zero_grad(self):
        """Set every parameter's .grad to 0 (gradients accumulate otherwise)."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """a = f(w . x + b), with weights w and bias b as Values.

    activation: "linear" (f(z) = z), "relu", "tanh" or "sigmoid"; "identity" is
    another name for "linear" (as in nnlib.layers), stored and shown as "linear".
    """

    def __init__(self, n_inputs, activation="relu", rng=None):
        n_inputs = check_positive_int(n_inputs, "n_inputs")
        self.activation = activation_name(activation)
        self._f = ACTIVATIONS[self.activation]
        rng = _check_rng(rng)
        self.w = [Value(rng.uniform(-1, 1), label="w") for _ in range(n_inputs)]
        self.b = Value(0.0, label="b")

    def __call__(self, x):
        if not isinstance(x, (list, tuple, np.ndarray)) or len(x) != len(self.w):
            _explain_bad_inputs(x, len(self.w))
        try:
            z = Value.sum([wi * xi for wi, xi in zip(self.w, x)] + [self.b])  # z = w . x + b
        except (TypeError, ValueError):
            _explain_bad_inputs(x, len(self.w))  # which x[i] was not a number, and why
            raise
        return self._f(z)

    def parameters(self):
        return self.w + [self.b]

    def __repr__(self):
        return f"Neuron({len(self.w)} inputs, {self.activation})"


class Layer(Module):
    """n_outputs neurons side by side; always returns a list of Values."""

    def __init__(self, n_inputs, n_outputs, activation="relu", rng=None):
        n_outputs = check_positive_int(n_outputs, "n_outputs")
        rng = _check_rng(rng)
        self.neurons = [Neuron(n_inputs, activation, rng) for _ in range(n_outputs)]

    def __call__(self, x):
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def __repr__(self):
        return f"Layer([{', '.join(str(n) for n in self.neurons)}])"


class MLP(Module):
    """A multi-layer perceptron: MLP(2, [16, 16, 1]) maps 2 inputs to 1 output.

    Hidden layers use `activation`; the last layer uses `output_activation`
    ("linear" by default, as in micrograd; "identity" is another name for it).
    Weights start uniform in [-1, 1], drawn from a generator seeded with `seed`,
    so the same seed gives the same net.
    """

    def __init__(self, n_inputs, layer_sizes, activation="relu", output_activation="linear", seed=0):
        n_inputs = check_positive_int(n_inputs, "n_inputs")
        if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__") \
                or len(layer_sizes) == 0:
            raise ValueError(f"layer_sizes must be a non-empty list such as [16, 1], got {layer_sizes!r}")
        for size in layer_sizes:
            check_positive_int(size, "each entry of layer_sizes")
        activation = activation_name(activation)
        output_activation = activation_name(output_activation, "output_activation")
        rng = random.Random(check_seed(seed))
        sizes = [n_inputs] + list(layer_sizes)
        last = len(layer_sizes) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], output_activation if i == last else activation, rng)
            for i in range(len(layer_sizes))
        ]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


def _check_rng(rng):
    """The random generator for initial weights: anything with uniform(a, b), or None."""
    if rng is None:
        return random.Random(0)
    if not callable(getattr(rng, "uniform", None)):
        raise TypeError(f"rng must be a random generator such as random.Random(seed), "
                        f"got {type(rng).__name__}")
    return rng


def _explain_bad_inputs(x, n):
    """Raise a clear error if x is not a list of n numbers or Values (else return)."""
    if not isinstance(x, (list, tuple, np.ndarray)):
        raise TypeError(f"x must be a list of {n} numbers or Values, got {type(x).__name__}")
    if len(x) != n:
        raise ValueError(f"x must have {n} inputs for this neuron, got {len(x)}")
    for i, xi in enumerate(x):
        try:
            Value(xi.data if isinstance(xi, Value) else xi)
        except (TypeError, ValueError) as error:
            raise type(error)(f"x[{i}] must be a finite number or a Value: {error}") from None
