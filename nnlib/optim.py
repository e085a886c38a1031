"""Optimizers: turn gradients into parameter updates.

Every optimizer has

    step(params, grads)   update each array in params IN PLACE
    lr                    the learning rate, a plain attribute you may change
                          at any time (a slider does this during training)

step() checks its arguments (check), then applies the maths (update).
fit() runs the check once before training and then calls update() alone.

params and grads are matching lists, e.g. model.parameters() and
model.gradients().  Optimizers with memory (Momentum, Adam) keep one state
array per parameter, matched by POSITION in the list, so always pass the
same model's parameters in the same order; use a new optimizer for a new
model.
"""
import numpy as np

from nnlib import validate


class Optimizer:
    """Shared part of all optimizers: a learning rate that must stay > 0."""

    def __init__(self, lr):
        self.lr = lr

    @property
    def lr(self):
        """The learning rate (step size), a positive number."""
        return self._lr

    @lr.setter
    def lr(self, value):
        # Checked on every assignment, so a bad value set during training
        # fails right away with a clear message; step() then trusts it.
        self._lr = validate.check_positive(value, "lr")

    def step(self, params, grads):
        """Update every p in params IN PLACE, from its gradient g in grads."""
        self.check(params, grads)
        self.update(params, grads)

    def check(self, params, grads):
        """params and grads must match; an optimizer with memory must be reused
        only on the parameters it started with (same number, same shapes)."""
        validate.check_params_and_grads(params, grads)
        for state in self.state():
            if state is not None and [s.shape for s in state] != [p.shape for p in params]:
                raise ValueError(
                    f"params must be the ones this {type(self).__name__} optimizer started "
                    f"with: it remembers {len(state)} arrays of shapes "
                    f"{[s.shape for s in state]}, got {len(params)} of shapes "
                    f"{[p.shape for p in params]}. Make a new optimizer for a new model."
                )

    def state(self):
        """The lists of arrays remembered between steps (none for plain SGD)."""
        return []

    def update(self, params, grads):
        """The update itself, without checks (each optimizer has its own)."""
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}(lr={self.lr})"


def _check_beta(value, name):
    """A decay rate in [0, 1): 0 forgets at once, near 1 remembers long."""
    value = validate.check_in_range(value, name, 0.0, 1.0)
    if value == 1.0:
        raise ValueError(f"{name} must be less than 1, got {value}")
    return value


class SGD(Optimizer):
    """Plain gradient descent:  W = W - lr * dW  for every parameter."""

    def update(self, params, grads):
        """For each pair (p, g):  p = p - lr * g   (in place)."""
        lr = self.lr
        for p, g in zip(params, grads):
            p -= lr * g


class Momentum(Optimizer):
    """Gradient descent with momentum (a heavy ball rolling downhill).

        v = beta * v + g        (v: velocity, starts at 0)
        p = p - lr * v
    beta = 0 gives plain SGD.  v adds up the past gradients, older ones counting less
    (beta times less per step back), so on a steady slope v grows to g / (1 - beta):
    with beta = 0.9, steps up to 10 times a plain SGD step.
    """

    def __init__(self, lr, beta=0.9):
        super().__init__(lr)
        self.beta = _check_beta(beta, "beta")
        self.velocity = None     # one array per parameter, made on first step

    def state(self):
        return [self.velocity]

    def update(self, params, grads):
        """v = beta * v + g;  p = p - lr * v   (each in place)."""
        if self.velocity is None:
            self.velocity = [np.zeros_like(p) for p in params]
        lr, beta = self.lr, self.beta
        for p, g, v in zip(params, grads, self.velocity):
            v *= beta
            v += g
            p -= lr * v

    def __repr__(self):
        return f"Momentum(lr={self.lr}, beta={self.beta})"


class Adam(Optimizer):
    """Adam: momentum plus a per-parameter step size.

        m = beta1 * m + (1 - beta1) * g          (average gradient)
        v = beta2 * v + (1 - beta2) * g^2        (average squared gradient)
        m_hat = m / (1 - beta1^t),  v_hat = v / (1 - beta2^t)
        p = p - lr * m_hat / (sqrt(v_hat) + eps)
    t counts the steps from 1.  m and v start at 0, so early averages are
    too small; dividing by (1 - beta^t) corrects that ("bias correction").
    """

    def __init__(self, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1 = _check_beta(beta1, "beta1")
        self.beta2 = _check_beta(beta2, "beta2")
        self.eps = validate.check_positive(eps, "eps")
        self.t = 0
        self.m = None            # one array per parameter, made on first step
        self.v = None

    def state(self):
        return [self.m, self.v]

    def update(self, params, grads):
        """One Adam update of every p in params (formula in the class docstring)."""
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        b1, b2, eps = self.beta1, self.beta2, self.eps
        # Bias corrections are the same for every parameter: compute once.
        lr_hat = self.lr / (1.0 - b1**self.t)       # lr * m / (1 - b1^t)
        v_corr = 1.0 / (1.0 - b2**self.t)           # v_hat = v * v_corr
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= b1
            m += (1.0 - b1) * g
            v *= b2
            v += (1.0 - b2) * (g * g)
            p -= lr_hat * m / (np.sqrt(v * v_corr) + eps)

    def __repr__(self):
        return (f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, "
                f"eps={self.eps})")


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def check_not_class(optimizer):
    """Refuse an optimizer class (Adam) where an object (Adam(lr=0.01)) is needed.

    The class has a step method too, so without this check it would get as
    far as the first step and fail there with a puzzling missing 'grads'.
    """
    if isinstance(optimizer, type):
        name = optimizer.__name__
        raise TypeError(f"optimizer must be an optimizer object such as {name}(lr=0.01), "
                        f"not the class {name} itself: add the brackets")


def make_optimizer(name_or_obj, lr=0.1):
    """An optimizer from a name ("sgd", "momentum", "adam") and a learning rate.

    An optimizer object (anything with a step method) is returned unchanged,
    keeping its own lr and settings.
    """
    check_not_class(name_or_obj)
    if callable(getattr(name_or_obj, "step", None)):
        return name_or_obj
    lr = validate.check_positive(lr, "lr")
    if not isinstance(name_or_obj, str):
        raise TypeError(
            f"optimizer must be a name like 'sgd' or an optimizer object, "
            f"got {type(name_or_obj).__name__}"
        )
    validate.check_choice(name_or_obj, "optimizer", OPTIMIZERS)
    return OPTIMIZERS[name_or_obj](lr)
