"""Loss functions: one number that says how wrong the predictions are.

Each loss comes with its gradient with respect to the model's output,
which is where backpropagation starts:

    loss:     L = loss(y_hat, y)          (a float)
    gradient: dL/dy_hat                   (same shape as y_hat)

Conventions used here:

- A loss is a MEAN, so its size does not depend on how many samples there
  are.  Therefore every gradient carries a factor 1/n.
- The two classification losses take LOGITS z (the raw output of the last
  layer, any real number), not probabilities.  Combining "sigmoid then log"
  into one formula keeps everything finite even for z = +-10000, where
  log(sigmoid(z)) written naively would compute log(0) = -inf.
- Targets y for mse and bce may have shape (n,) when the output has shape
  (n, 1): y is then read as a column, y.reshape(n, 1).  This is the only
  shape fix-up; any other mismatch raises ValueError (otherwise numpy would
  silently "broadcast" (n, 1) - (n,) into an (n, n) matrix).

Every public function checks its inputs once, at the top (lists become
arrays; wrong shapes, labels outside 0..k-1 or outside [0, 1], non-finite
targets are refused).  The maths sits in the private functions below each
one (_mse, _bce, ...), which trust their inputs: fit() checks its data once,
up front, and then calls those in its loop.
"""
import numpy as np

from nnlib import validate
from nnlib.activations import sigmoid


def _as_column_like(y, y_hat):
    """Return y with the same shape as y_hat, allowing (n,) for (n, 1)."""
    if y.shape == y_hat.shape:
        return y
    if y.ndim == 1 and y_hat.shape == (len(y), 1):
        return y.reshape(-1, 1)
    raise ValueError(
        f"y has shape {y.shape} but the predictions have shape {y_hat.shape}: "
        f"they must match (y of shape (n,) is accepted for predictions (n, 1))"
    )


def _check_targets(y_hat, y, y_hat_name, binary=False):
    """Predictions as a float array (NaN allowed), targets finite and shaped like them."""
    y_hat = validate.as_float_array(y_hat, y_hat_name)
    y = _as_column_like(validate.as_array(y, "y"), y_hat)
    if binary:
        validate.check_binary_targets(y, "y")
    return y_hat, y


def _check_logits_and_labels(Z, y):
    """Z: logits (n, k), NaN allowed; y: n whole-number labels in 0..k-1."""
    Z = _check_logits(Z)
    return Z, validate.check_labels(y, "y", n_classes=Z.shape[1], n_samples=Z.shape[0])


def _check_logits(Z):
    Z = validate.as_float_array(Z, "Z")
    if Z.ndim != 2 or Z.shape[1] == 0:
        raise ValueError(f"Z must be a 2-D array of logits of shape (n_samples, n_classes), "
                         f"got shape {Z.shape}")
    return Z


# --------------------------------------------------------- mean squared error

def mse(y_hat, y):
    """Mean squared error:  L = mean((y_hat - y)^2), over ALL elements.

    With one output column this is the mean over samples; with k outputs it
    also averages over the k columns.
    """
    return _mse(*_check_targets(y_hat, y, "y_hat"))


def _mse(y_hat, y):
    """mse without the checks."""
    y = _as_column_like(y, y_hat)
    diff = y_hat - y
    # sum / size is the mean; np.mean would do the same but has extra Python
    # overhead that is noticeable for the tiny arrays of a course example.
    return float((diff * diff).sum() / diff.size)


def mse_grad(y_hat, y):
    """dL/dy_hat = 2 * (y_hat - y) / N, where N = y_hat.size (all elements)."""
    return _mse_grad(*_check_targets(y_hat, y, "y_hat"))


def _mse_grad(y_hat, y):
    """mse_grad without the checks."""
    y = _as_column_like(y, y_hat)
    return (2.0 / y_hat.size) * (y_hat - y)


# -------------------------------------------------- binary cross-entropy ----

def bce_with_logits(z, y):
    """Binary cross-entropy from logits z, with labels y in {0, 1}.

    With p = sigmoid(z), per element:
        -[y * log(p) + (1 - y) * log(1 - p)]  =  softplus(z) - y * z
    where softplus(z) = log(1 + exp(z)).  L is the mean over all elements
    (= over samples, for one output column).  The right-hand form never
    takes log(0) and np.logaddexp(0, z) never overflows.
    """
    return _bce(*_check_targets(z, y, "z", binary=True))


def _bce(z, y):
    """bce_with_logits without the checks."""
    y = _as_column_like(y, z)
    per_element = np.logaddexp(0.0, z) - y * z
    return float(per_element.sum() / per_element.size)   # the mean, see mse


def bce_with_logits_grad(z, y):
    """dL/dz = (sigmoid(z) - y) / n.

    n = z.size, the number of elements: the number of samples when z has
    one column, matching the mean taken by bce_with_logits.
    """
    return _bce_grad(*_check_targets(z, y, "z", binary=True))


def _bce_grad(z, y):
    """bce_with_logits_grad without the checks."""
    y = _as_column_like(y, z)
    return (sigmoid(z) - y) / z.size


# ------------------------------------------------------------------ softmax --

def softmax(Z):
    """softmax(Z)[i, j] = exp(Z[i, j]) / sum over c of exp(Z[i, c]).

    Each row becomes probabilities that sum to 1.  Subtracting the row's
    maximum first changes nothing mathematically (it cancels between top
    and bottom) but keeps every exp() argument <= 0, so nothing overflows.
    """
    return _softmax(_check_logits(Z))


def _softmax(Z):
    """softmax without the checks."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def softmax_cross_entropy(Z, y):
    """Cross-entropy of softmax(Z) against integer class labels y.

    Z: logits of shape (n, k);  y: integer labels in 0..k-1 of shape (n,).
    Per sample i:  -log(softmax(Z)[i, y_i]) = logsumexp(Z[i]) - Z[i, y_i].
    L is the mean over the n samples.
    """
    return _softmax_cross_entropy(*_check_logits_and_labels(Z, y))


def _softmax_cross_entropy(Z, y):
    """softmax_cross_entropy without the checks.

    Both terms are computed on S = Z - max(Z[i]), the logits shifted so that
    the largest is 0: logsumexp(Z[i]) - Z[i, y_i] = logsumexp(S[i]) - S[i, y_i]
    (the shift cancels).  Shifting keeps exp() from overflowing, and doing the
    subtraction on small numbers keeps the answer: for Z = [[1e16, 1e16]],
    logsumexp = 1e16 + log(2) rounds to 1e16, and 1e16 - 1e16 would give 0
    instead of log(2).
    """
    n = Z.shape[0]
    S = Z - Z.max(axis=1, keepdims=True)
    per_sample = np.log(np.exp(S).sum(axis=1)) - S[np.arange(n), y]
    return float(per_sample.sum() / n)   # the mean, see mse


def softmax_cross_entropy_grad(Z, y):
    """dL/dZ = (softmax(Z) - onehot(y)) / n."""
    return _softmax_cross_entropy_grad(*_check_logits_and_labels(Z, y))


def _softmax_cross_entropy_grad(Z, y):
    """softmax_cross_entropy_grad without the checks."""
    n = Z.shape[0]
    G = _softmax(Z)
    G[np.arange(n), y] -= 1.0   # subtract the one-hot without building it
    G /= n
    return G


# ------------------------------------------------------------------- table --

LOSSES = {
    "mse": (mse, mse_grad),
    "bce": (bce_with_logits, bce_with_logits_grad),
    "softmax_ce": (softmax_cross_entropy, softmax_cross_entropy_grad),
}

# The same losses without their checks, for fit()'s loop (its data is checked once).
UNCHECKED = {
    "mse": (_mse, _mse_grad),
    "bce": (_bce, _bce_grad),
    "softmax_ce": (_softmax_cross_entropy, _softmax_cross_entropy_grad),
}


def get_loss(name):
    """Return the pair (loss, loss_grad) for "mse", "bce" or "softmax_ce"."""
    validate.check_choice(name, "loss", LOSSES)
    return LOSSES[name]
