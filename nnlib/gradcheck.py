"""Gradient checking: is backward() right? Compare it with finite differences.

A derivative is a slope. We can measure a slope without any calculus by
nudging the input a tiny step h to each side and watching the output:

    df/dx  ~  (f(x + h) - f(x - h)) / (2 * h)

This is slow (two evaluations of f for every single input number) but hard to
get wrong, so it is the referee for the fast, hand-written backward passes.
The two answers are compared with a relative error. Rules of thumb in float64
with h = 1e-6:

    below 1e-5         the gradient is right (typically about 1e-8)
    1e-5 to 1e-3       look closer: a kink such as relu at 0, or an entry whose
                       true gradient is almost 0, can cause this
    above 1e-3         there is almost certainly a bug in backward()
                       (a gradient off by a factor of 2 gives 1/3)
"""
import numpy as np

from nnlib import validate

# The floor of the denominator in relative_error, so that two gradients that are
# both exactly 0 compare as equal instead of dividing 0 by 0.
TINY = 1e-12


def numerical_gradient(f, x, eps=1e-6):
    """The gradient of a scalar function f at x, by central differences.

    For every entry x[i]:

        grad[i] = (f(x with x[i] + eps) - f(x with x[i] - eps)) / (2 * eps)

    Why central differences, and not (f(x + h) - f(x)) / h? The one-sided
    version is off by a term proportional to h (error O(h)); in the centred
    version that term cancels between the two sides, leaving an error
    proportional to h^2 (error O(h^2)). With h = 1e-6 that term is about 1e-12
    instead of 1e-6, so small that another error wins: f's values are rounded
    to about 1e-16 of their size, and dividing by 2h magnifies that to about
    1e-10 times the size of f. Still 10 000 times better than one-sided.

    x must be a float64 numpy array: it is changed in place, one entry at a
    time, and put back exactly as it was afterwards. f is called as f(x); it
    may also ignore its argument and read x some other way, e.g. a loss that
    uses a layer whose weight array *is* x.
    """
    if not callable(f):
        raise TypeError(f"f must be a function returning a number, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(
            "x must be a float64 numpy array (it is nudged in place), "
            f"got {type(x).__name__}" + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else "")
        )
    validate.as_array(x, "x")          # finite and not empty (x itself is used, not a copy)
    eps = validate.check_positive(eps, "eps")
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        try:
            x[i] = original + eps
            f_plus = _as_number(f(x))
            x[i] = original - eps
            f_minus = _as_number(f(x))
        finally:
            # Put x back even if f fails, so the caller's array is never left nudged.
            x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _as_number(value):
    """f's output as a float; f must return a single number (a scalar loss)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"f must return a single number (a scalar), got {type(value).__name__}"
            + (f" of shape {value.shape}" if hasattr(value, "shape") else "")
        ) from None


def relative_error(a, b):
    """How far apart two gradients are, relative to their size.

        relative_error = max over entries of |a - b| / max(|a| + |b|, TINY)

    Why relative: an absolute difference of 1e-6 is tiny for a gradient of
    size 100 and huge for one of size 1e-6. Dividing by |a| + |b| measures the
    difference in units of the numbers themselves, so one threshold works at
    every scale. The result is 0 when a == b and at most 1 (reached when one
    of them is 0 and the other is not, or when they have opposite signs).
    TINY (1e-12) keeps 0 / 0 from happening when both entries are exactly 0.

    Caveat: an entry whose true value is almost 0 (say 1e-11) can show a large
    relative error from rounding noise alone; look at the absolute values too.
    """
    a = validate.as_array(a, "a")
    b = validate.as_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    errors = np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), TINY)
    return float(np.max(errors))


def check_layer(layer, X, seed=0):
    """Check a layer's (or a whole model's) backward() against finite differences.

    The loss is a random projection of the output:

        L = sum(forward(X) * R),  R drawn from a standard normal,

    so dL/d(output) = R, and backward(R) must produce the true gradients of L.
    A random R (rather than, say, all ones) makes every output count with a
    different weight, so a mistake in any one of them shows up.

    layer can be
      - a layer with forward(X), backward(da), arrays W, b and, after
        backward, dW, db (like layers.Dense). Returns
        {"W": error, "b": error, "X": error};
      - a model with forward(X), backward(da), parameters() and gradients()
        (like layers.Sequential): two lists of arrays in the same order, where
        parameters() returns the arrays the model really uses, not copies.
        Returns {"param0": error, "param1": error, ..., "X": error}, where
        param{i} is parameters()[i] (for Dense layers: W1, b1, W2, b2, ...).
    "X" checks the gradient backward() returns for the input X.
    Every error is a relative_error (see above); all should be below about 1e-5.
    """
    X = validate.as_array(X, "X", ndim=2, shape_hint="(n_samples, n_features)")
    seed = validate.check_seed(seed)
    names, params = _named_parameters(layer)

    R = np.random.default_rng(seed).normal(size=np.shape(layer.forward(X)))

    def loss(inputs):
        return np.sum(layer.forward(inputs) * R)

    # Analytic gradients: one forward pass, one backward pass with da = R.
    layer.forward(X)
    dX = layer.backward(R)
    if dX is None:
        raise TypeError("layer.backward(da) must return the gradient for its input X, got None")
    grads = [np.array(g, dtype=np.float64) for g in _gradients(layer)]

    # Numerical gradients: nudge each parameter array in place, then X.
    errors = {}
    for name, param, grad in zip(names, params, grads):
        errors[name] = relative_error(grad, numerical_gradient(lambda _: loss(X), param))
    errors["X"] = relative_error(dX, numerical_gradient(loss, X.copy()))
    layer.forward(X)  # leave the layer's cached forward pass as it was for X
    return errors


def _named_parameters(layer):
    """The names and arrays check_layer nudges: (["W", "b"], [W, b]) or param0, param1, ..."""
    if not (callable(getattr(layer, "forward", None)) and callable(getattr(layer, "backward", None))):
        raise TypeError(
            f"layer must have forward(X) and backward(da) methods, got {type(layer).__name__}"
        )
    if hasattr(layer, "W") and hasattr(layer, "b"):
        return ["W", "b"], [layer.W, layer.b]
    if callable(getattr(layer, "parameters", None)) and callable(getattr(layer, "gradients", None)):
        params = list(layer.parameters())
        return [f"param{i}" for i in range(len(params))], params
    raise TypeError(
        "layer must have arrays W and b (like Dense) or methods parameters() "
        f"and gradients() (like Sequential); {type(layer).__name__} has neither"
    )


def _gradients(layer):
    """The gradients backward() stored, in the same order as _named_parameters."""
    if hasattr(layer, "W") and hasattr(layer, "b"):
        return [layer.dW, layer.db]
    return list(layer.gradients())


def check_scalar_function(f, xs, eps=1e-6):
    """Check the scalar autograd engine (engine.Value) on a function of a few numbers.

    f takes a list of Values and returns one Value, e.g.
        f = lambda v: (v[0] * v[1] + v[0].tanh()) ** 2

    Autograd:  wrap each number of xs in a Value, run f, call backward(),
               read every input's .grad.
    Numerical: for each input i, (f(xs with xs[i] + eps) - f(xs with xs[i] - eps)) / (2 * eps),
               running f on fresh Values and reading .data.
    Returns relative_error(autograd gradients, numerical gradients).
    """
    # Imported here, not at the top, so gradcheck works without the engine
    # (the numpy checks above do not need it).
    from nnlib.engine import Value

    if not callable(f):
        raise TypeError(f"f must be a function of a list of Values, got {type(f).__name__}")
    if isinstance(xs, (str, bytes)) or not hasattr(xs, "__len__") or len(xs) == 0:
        raise TypeError("xs must be a non-empty list of numbers")
    xs = [validate.check_number(x, f"xs[{i}]") for i, x in enumerate(xs)]
    eps = validate.check_positive(eps, "eps")

    def run(values):
        out = f(values)
        if not isinstance(out, Value):
            raise TypeError(f"f must return a Value, got {type(out).__name__}")
        return out

    inputs = [Value(x) for x in xs]
    run(inputs).backward()
    autograd = [v.grad for v in inputs]

    numerical = []
    for i in range(len(xs)):
        plus = xs[:i] + [xs[i] + eps] + xs[i + 1:]
        minus = xs[:i] + [xs[i] - eps] + xs[i + 1:]
        f_plus = run([Value(x) for x in plus]).data
        f_minus = run([Value(x) for x in minus]).data
        numerical.append((f_plus - f_minus) / (2 * eps))
    return relative_error(autograd, numerical)
