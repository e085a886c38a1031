"""Layers with an explicit forward and backward pass (numpy, no autograd).

Shapes, for a batch of n samples:

    X  (n, n_in)      inputs, one sample per row
    W  (n_in, n_out)  weights;  b (n_out,) biases
    z  (n, n_out)     z = X @ W + b        (b is added to every row)
    a  (n, n_out)     a = f(z)             (the activation, elementwise)

backward(da) receives da = dL/da, the gradient of the loss with respect to
this layer's output, and applies the chain rule:

    dz = da * f'(z)        elementwise
    dW = X.T @ dz          (n_in, n_out), summed over the samples
    db = sum of dz rows    (n_out,)
    dX = dz @ W.T          (n, n_in), handed to the layer before

Gradient storage contract: each layer creates its arrays dW and db once and
backward() OVERWRITES THEM IN PLACE; they are never replaced by new arrays.
So `gradients()` always returns the same array objects, holding the
gradients of the most recent backward() call.  Copy them (g.copy()) if you
want to keep the values of a particular step.  Likewise optimizers update W
and b in place, so if you set weights by hand, write into them
(layer.W[...] = values) rather than assigning a new array.
"""
import numpy as np

from nnlib import validate
from nnlib.activations import ACTIVATIONS, PRIME_FROM_OUTPUT, get_activation

# Activations for which we use He initialisation (see init_scale).
_RELU_LIKE = ("relu", "leaky_relu", "softplus", "gelu")

# Other names for the same activation: nnlib.nn (micrograd's style) calls
# f(z) = z "linear", these layers call it "identity"; both halves accept both.
ALIASES = {"linear": "identity"}


def activation_name(activation, name="activation"):
    """The activation's name here, after checking it: "linear" becomes "identity"."""
    validate.check_choice(activation, name, list(ACTIVATIONS) + list(ALIASES))
    return ALIASES.get(activation, activation)


def init_scale(n_in, n_out, activation):
    """Standard deviation for the random initial weights of a layer.

    relu-like activations (relu, leaky_relu, softplus, gelu), He init:
        std = sqrt(2 / n_in)
    all others (tanh, sigmoid, identity, step), Xavier/Glorot init:
        std = sqrt(2 / (n_in + n_out))
    Both keep the size of the signal roughly constant from layer to layer,
    so deep networks neither blow up nor fade out at the start of training.
    """
    n_in = validate.check_positive_int(n_in, "n_in")
    n_out = validate.check_positive_int(n_out, "n_out")
    activation = activation_name(activation)
    if activation in _RELU_LIKE:
        return np.sqrt(2.0 / n_in)
    return np.sqrt(2.0 / (n_in + n_out))


def _make_rng(seed, rng):
    """The random generator for initial weights: `rng` if given, else from `seed`."""
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError(
                f"rng must be a numpy Generator (np.random.default_rng(seed)), "
                f"got {type(rng).__name__}"
            )
        return rng
    return np.random.default_rng(validate.check_seed(seed))


class Dense:
    """A fully connected layer:  z = X @ W + b,  a = f(z).

    Dense(n_in, n_out, activation="identity", seed=0, rng=None)

    activation: a name from nnlib.activations; "linear" is another name for
    "identity" (as in nnlib.nn), stored and shown as "identity".
    W starts random (normal, std from init_scale), b starts at zero.
    Pass `rng` (a np.random.Generator) to draw from a shared generator, as
    mlp() does; otherwise a generator is made from `seed`.
    A single Dense layer is already a model (e.g. logistic regression), so
    it also has parameters(), gradients() and can be called like a function.
    """

    def __init__(self, n_in, n_out, activation="identity", seed=0, rng=None):
        self.n_in = validate.check_positive_int(n_in, "n_in")
        self.n_out = validate.check_positive_int(n_out, "n_out")
        activation = activation_name(activation)
        self.activation = activation
        # Look the functions up once here, not on every forward pass.
        self.f, self.f_prime = get_activation(activation)
        self._f_prime_from_output = PRIME_FROM_OUTPUT.get(activation)
        self._is_identity = activation == "identity"

        rng = _make_rng(seed, rng)
        scale = init_scale(self.n_in, self.n_out, activation)
        self.W = rng.normal(0.0, scale, size=(self.n_in, self.n_out))
        self.b = np.zeros(self.n_out)
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)

        # Filled in by forward(), read by backward().
        self.X = None
        self.z = None
        self.a = None

    def forward(self, X):
        """z = X @ W + b,  a = f(z).  Remembers X, z and a for backward()."""
        X = validate.as_batch(X, "X", self.n_in)
        z = np.dot(X, self.W)
        z += self.b              # in place: adds b to every row, no new array
        self.X = X
        self.z = z
        self.a = self.f(z)
        return self.a

    __call__ = forward

    def backward(self, da, need_dX=True):
        """Take da = dL/da; store dW, db (in place) and return dX = dL/dX.

            dz = da * f'(z),  dW = X.T @ dz,  db = column sums of dz,
            dX = dz @ W.T
        need_dX=False skips the last product and returns None: training
        never needs dL/dX for the first layer, whose input is the data.
        """
        da = self._check_da(da)
        if self._is_identity:
            dz = da                  # f'(z) = 1: nothing to multiply
        elif self._f_prime_from_output is not None:
            # tanh, sigmoid: f'(z) from the stored output a, see activations.
            dz = da * self._f_prime_from_output(self.a)
        else:
            dz = da * self.f_prime(self.z)
        # out=...: write into the existing gradient arrays (see module notes).
        np.dot(self.X.T, dz, out=self.dW)
        dz.sum(axis=0, out=self.db)
        if need_dX:
            return np.dot(dz, self.W.T)
        return None

    def _check_da(self, da):
        """da must match the output a of the last forward()."""
        if self.a is None:
            raise ValueError("backward(da) needs the X, z and a stored by forward(X): "
                             "call forward first")
        da = validate.as_float_array(da, "da")
        if da.shape != self.a.shape:
            raise ValueError(f"da must have the shape of this layer's output a, "
                             f"{self.a.shape}, got {da.shape}")
        return da

    def parameters(self):
        """[W, b]: the layer's own arrays (changing them changes the layer)."""
        return [self.W, self.b]

    def gradients(self):
        """[dW, db] from the last backward(), matching parameters()."""
        return [self.dW, self.db]

    def __repr__(self):
        return f"Dense({self.n_in}, {self.n_out}, activation={self.activation!r})"


class Sequential:
    """Layers applied one after another:  a = layer_k( ... layer_1(X)).

    forward runs the layers first to last; backward runs them last to first,
    each layer turning dL/d(its output) into dL/d(its input).
    """

    def __init__(self, layers):
        if isinstance(layers, (str, bytes)) or not hasattr(layers, "__iter__"):
            raise TypeError(
                f"layers must be a list of layers, got {type(layers).__name__}"
            )
        layers = list(layers)
        if not layers:
            raise ValueError("layers is empty: a Sequential needs at least one layer")
        for i, layer in enumerate(layers):
            for method in ("forward", "backward", "parameters", "gradients"):
                if not callable(getattr(layer, method, None)):
                    raise TypeError(
                        f"layers[{i}] must be a layer such as Dense, "
                        f"got {type(layer).__name__} (it has no {method}())"
                    )
        for i in range(len(layers) - 1):
            n_out, n_in = layers[i].n_out, layers[i + 1].n_in
            if n_out != n_in:
                raise ValueError(
                    f"layers[{i}] has {n_out} outputs but layers[{i + 1}] "
                    f"expects {n_in} inputs: they must be equal"
                )
        self.layers = layers

    @property
    def n_in(self):
        """Number of input features the model expects."""
        return self.layers[0].n_in

    @property
    def n_out(self):
        """Number of outputs the model produces."""
        return self.layers[-1].n_out

    def forward(self, X):
        """Run X through every layer, first to last; return the last output."""
        a = X
        for layer in self.layers:
            a = layer.forward(a)
        return a

    __call__ = forward

    def backward(self, d_out, need_dX=True):
        """Backpropagate d_out = dL/d(output) through the layers, last to first.

        Every layer stores its dW and db.  Returns dL/dX for the input X, or
        None with need_dX=False (training uses that: X is data, not weights,
        so the first layer can skip computing it).
        """
        d = d_out
        for layer in reversed(self.layers[1:]):     # last layer down to the second
            d = layer.backward(d)
        return self.layers[0].backward(d, need_dX=need_dX)

    def parameters(self):
        """[W1, b1, W2, b2, ...]: the real arrays, so in-place changes stick."""
        params = []
        for layer in self.layers:
            params.extend(layer.parameters())
        return params

    def gradients(self):
        """[dW1, db1, dW2, db2, ...], matching parameters(), from the last backward()."""
        grads = []
        for layer in self.layers:
            grads.extend(layer.gradients())
        return grads

    def __repr__(self):
        lines = "".join(f"  {layer!r},\n" for layer in self.layers)
        return f"Sequential(\n{lines})"


def _check_sizes(sizes):
    """sizes must be a list of at least 2 positive whole numbers."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(
            f"sizes must be a list of layer sizes like [2, 8, 1], "
            f"got {type(sizes).__name__}"
        )
    if len(sizes) < 2:
        raise ValueError(
            f"sizes needs at least 2 entries (inputs and outputs), got {list(sizes)}"
        )
    return [validate.check_positive_int(s, f"sizes[{i}]") for i, s in enumerate(sizes)]


def mlp(sizes, activation="tanh", output_activation="identity", seed=0):
    """A multilayer perceptron: Dense layers of the given sizes.

    mlp([2, 8, 8, 1]) = 2 inputs -> 8 (tanh) -> 8 (tanh) -> 1 (identity).
    Hidden layers use `activation`, the last layer `output_activation`.
    The default identity output gives logits, as the losses expect
    ("linear" is accepted as another name for "identity", as in nnlib.nn).
    All layers draw their initial weights from one generator made from seed.
    """
    sizes = _check_sizes(sizes)
    activation = activation_name(activation)
    output_activation = activation_name(output_activation, "output_activation")
    rng = _make_rng(seed, None)
    layers = []
    for i in range(len(sizes) - 1):
        is_last = i == len(sizes) - 2
        f = output_activation if is_last else activation
        layers.append(Dense(sizes[i], sizes[i + 1], activation=f, rng=rng))
    return Sequential(layers)
