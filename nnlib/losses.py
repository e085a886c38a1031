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

These functions run once per training step, so apart from that cheap shape
check they trust their inputs (fit() checks the data once, up front).
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


# --------------------------------------------------------- mean squared error

def mse(y_hat, y):
    """Mean squared error:  L = mean((y_hat - y)^2), over ALL elements.

    With one output column this is the mean over samples; with k outputs it
    also averages over the k columns.
    """
    y = _as_column_like(y, y_hat)
    diff = y_hat - y
    # sum / size is the mean; np.mean would do the same but has extra Python
    # overhead that is noticeable for the tiny arrays of a course example.
    return float((diff * diff).sum() / diff.size)


def mse_grad(y_hat, y):
    """dL/dy_hat = 2 * (y_hat - y) / N, where N = y_hat.size (all elements)."""
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
    y = _as_column_like(y, z)
    per_element = np.logaddexp(0.0, z) - y * z
    return float(per_element.sum() / per_element.size)   # the mean, see mse


def bce_with_logits_grad(z, y):
    """dL/dz = (sigmoid(z) - y) / n.

    n = z.size, the number of elements: the number of samples when z has
    one column, matching the mean taken by bce_with_logits.
    """
    y = _as_column_like(y, z)
    return (sigmoid(z) - y) / z.size


# ------------------------------------------------------------------ softmax --

def softmax(Z):
    """softmax(Z)[i, j] = exp(Z[i, j]) / sum over c of exp(Z[i, c]).

    Each row becomes probabilities that sum to 1.  Subtracting the row's
    maximum first changes nothing mathematically (it cancels between top
    and bottom) but keeps every exp() argument <= 0, so nothing overflows.
    """
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def _logsumexp_rows(Z):
    """log(sum over c of exp(Z[i, c])) for each row i, without overflow."""
    m = Z.max(axis=1, keepdims=True)
    return np.log(np.exp(Z - m).sum(axis=1)) + m[:, 0]


def softmax_cross_entropy(Z, y):
    """Cross-entropy of softmax(Z) against integer class labels y.

    Z: logits of shape (n, k);  y: integer labels in 0..k-1 of shape (n,).
    Per sample i:  -log(softmax(Z)[i, y_i]) = logsumexp(Z[i]) - Z[i, y_i].
    L is the mean over the n samples.
    """
    n = Z.shape[0]
    per_sample = _logsumexp_rows(Z) - Z[np.arange(n), y]
    return float(per_sample.sum() / n)   # the mean, see mse


def softmax_cross_entropy_grad(Z, y):
    """dL/dZ = (softmax(Z) - onehot(y)) / n."""
    n = Z.shape[0]
    G = softmax(Z)
    G[np.arange(n), y] -= 1.0   # subtract the one-hot without building it
    G /= n
    return G


# ------------------------------------------------------------------- table --

LOSSES = {
    "mse": (mse, mse_grad),
    "bce": (bce_with_logits, bce_with_logits_grad),
    "softmax_ce": (softmax_cross_entropy, softmax_cross_entropy_grad),
}


def get_loss(name):
    """Return the pair (loss, loss_grad) for "mse", "bce" or "softmax_ce"."""
    validate.check_choice(name, "loss", LOSSES)
    return LOSSES[name]
