"""A scalar autograd engine: backpropagation in pure Python.

Every number in a computation becomes a `Value`.  A Value remembers

    data          the number itself (the forward pass),
    grad          d(output)/d(this value), filled in by backward(),
    _children     the Values it was computed from,
    _local_grads  for each child, the local derivative d(this)/d(child).

Each operation below computes its result *and* writes down its local
derivatives, right next to each other.  `backward()` then walks the graph from
the output back to the inputs and applies the chain rule at every node:

    child.grad += local_grad * node.grad

That single line is all of backpropagation.  The API follows Andrej Karpathy's
micrograd (Value, .data, .grad, .backward()), so it will feel familiar.
"""
import gc
import itertools
import math
import numbers
import operator

from .validate import check_number

# Why this module asks Python's garbage collector to do its full scan less often.
# Python frees an object as soon as nothing refers to it (reference counting); its
# cyclic garbage collector is only for objects that refer to each other in a circle.
# Our graphs have no circles (a Value refers only to the Values it was made from), so
# reference counting frees a graph as soon as the loss is dropped.  The collector
# cannot know that: it watches every Value and its tuple of children, a training step
# makes ~100,000 of them, and all stay alive until backward().  By default (700, 10,
# 10) it re-scans *every* live object, the growing graph included, after each ~70,000
# new ones: about half of a step (benchmarks/engine_vs_micrograd.py prints the share).
# We let a full scan wait for 100 smaller scans instead of 10; the small scans of new
# objects, which free other code's circular garbage, run as before.  (micrograd cannot
# do this: each node's _backward closure refers back to the node, a circle.)  Pausing
# the collector in backward() would not help: its work happens in the forward pass.
_young, _middle, _full = gc.get_threshold()
gc.set_threshold(_young, _middle, max(_full, 100))


class Value:
    """One scalar number in a computation, with its gradient."""

    # __slots__ gives every Value a fixed set of fields and no per-object
    # dictionary: a training step creates tens of thousands of Values, and
    # this makes each one smaller and faster to create.
    __slots__ = ("data", "grad", "_children", "_local_grads", "_op", "label", "_number")

    def __init__(self, data, _children=(), _local_grads=(), _op="", label=""):
        # A Value you create yourself must hold one finite number (x - x is 0
        # for every finite float, NaN for inf and NaN).  The result of an
        # operation (it has children) is a float already: it is not checked.
        if type(data) is not float or (not _children and data - data != 0.0):
            data = _as_float(data, "data")
        self.data = data
        self.grad = 0.0
        self._children = _children
        self._local_grads = _local_grads
        self._op = _op
        self.label = label
        self._number = next(_counter)  # creation order, used by backward()

    # ---- the operations: forward result and local derivatives together ----

    def __add__(self, other):
        if not isinstance(other, Value):  # a plain number such as 2.0
            other = _wrap(other)
        # d(a + b)/da = 1,  d(a + b)/db = 1
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __sub__(self, other):
        if not isinstance(other, Value):  # a plain number such as 2.0
            other = _wrap(other)
        # d(a - b)/da = 1,  d(a - b)/db = -1
        return Value(self.data - other.data, (self, other), (1.0, -1.0), "-")

    def __mul__(self, other):
        if not isinstance(other, Value):  # a plain number such as 2.0
            other = _wrap(other)
        # d(a * b)/da = b,  d(a * b)/db = a
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __truediv__(self, other):
        if not isinstance(other, Value):  # a plain number such as 2.0
            other = _wrap(other)
        a, b = self.data, other.data
        if b == 0:
            raise ZeroDivisionError("division by a Value whose data is 0")
        q = a / b
        # d(a / b)/da = 1/b,  d(a / b)/db = -a/b^2 = -q/b  (b * b would be 0 for b = 1e-200)
        return Value(q, (self, other), (1.0 / b, -q / b), "/")

    def __pow__(self, k):
        if isinstance(k, Value) or not isinstance(k, numbers.Real) or not math.isfinite(k):
            raise TypeError(f"exponent k in Value ** k must be a plain finite number, got {k!r}")
        x = self.data
        if x < 0 and k != int(k):
            raise ValueError(f"cannot raise a negative Value ({x}) to the fractional power {k}")
        if x == 0 and k < 1:  # (k = 0 is fine: 0^0 = 1, a constant)
            if k < 0:  # 0^k = 1 / 0^(-k)
                raise ZeroDivisionError(f"0 ** {k} is 1 / 0 ** {-k}, a division by 0")
            if k > 0:  # 0 < k < 1: the slope k * 0^(k-1) = k / 0^(1-k) is infinite
                raise ZeroDivisionError(f"0 ** {k} has no finite derivative")
        try:  # d(x^k)/dx = k * x^(k-1);  for k = 0, x^0 = 1 is a constant: slope 0
            return Value(x**k, (self,), (k * x ** (k - 1) if k else 0.0,), f"**{k}")
        except OverflowError:  # Python's own message is a bare "Numerical result out of range"
            raise OverflowError(f"{x} ** {k} or its derivative {k} * {x} ** {k - 1} "
                                "is too large for a float (limit: 1.8e308)") from None

    def __neg__(self):
        # d(-a)/da = -1
        return Value(-self.data, (self,), (-1.0,), "neg")

    def relu(self):
        x = self.data
        # d relu(x)/dx = 1 if x > 0 else 0
        return Value(x if x > 0 else 0.0, (self,), (1.0 if x > 0 else 0.0,), "relu")

    def tanh(self):
        t = math.tanh(self.data)
        # d tanh(x)/dx = 1 - tanh(x)^2
        return Value(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self):
        x = self.data
        # Two forms of the same formula, so that exp() never overflows.
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        # d sigmoid(x)/dx = sigmoid(x) * (1 - sigmoid(x))
        return Value(s, (self,), (s * (1.0 - s),), "sigmoid")

    def exp(self):
        if self.data > 709.782712893384:  # ln(1.8e308): beyond it e^x does not fit in a float
            raise OverflowError(f"exp({self.data}) is too large for a float (limit: x <= 709.78)")
        e = math.exp(self.data)
        # d e^x/dx = e^x
        return Value(e, (self,), (e,), "exp")

    def log(self):
        x = self.data
        if x <= 0:
            raise ValueError(f"log needs a positive Value, got {x}")
        # d ln(x)/dx = 1/x
        return Value(math.log(x), (self,), (1.0 / x,), "log")

    @staticmethod
    def sum(values):
        """One node for v1 + v2 + ... + vn; d(sum)/d(vi) = 1 for every i.

        Equal to Python's sum(values) but builds 1 node instead of n - 1.
        """
        try:
            values = tuple(_wrap(v) for v in values)
        except (TypeError, ValueError) as error:  # a non-list, or a list holding a string
            raise type(error)(f"values must be a list of Values or numbers ({error})") from None
        return Value(math.fsum(v.data for v in values), values, (1.0,) * len(values), "sum")

    # Python calls these when the Value is on the right: 2 + v, 2 * v, 2 - v, 2 / v.
    def __radd__(self, other):
        # Python's sum(values) starts from the int 0, so it computes 0 + v1 first:
        # 0 + v is v itself, and sum() makes one node per + after it, not two.
        if type(other) is int and other == 0:
            return self
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return _wrap(other) - self

    def __rtruediv__(self, other):
        return _wrap(other) / self

    # ---- backpropagation ----

    def backward(self):
        """Fill in .grad of every Value this one was computed from.

        Afterwards, for every input v:  v.grad += d(self)/d(v).

        Gradients *accumulate* on the inputs (leaves), as in micrograd and
        PyTorch: calling backward() twice doubles them, so reset them with
        zero_grad() (or v.grad = 0) before each training step.  Intermediate
        results hold the gradient of the latest call only.
        """
        topo = self._topological_order()
        for node in topo:
            if node._children:  # an intermediate result: this call rebuilds its grad
                node.grad = 0.0
        self.grad += 1.0  # d(self)/d(self) = 1
        for node in reversed(topo):  # the output first, then back to the inputs
            g = node.grad
            for child, local_grad in zip(node._children, node._local_grads):
                child.grad += local_grad * g  # the chain rule

    def _topological_order(self):
        """Every Value in the graph, each after all the Values it was made from.

        A Value can only be created after the Values it is computed from, so
        the order of creation is already such an order: we collect the graph,
        then sort it by creation number.  (No recursion: Python's limit of
        ~1000 nested calls would break on a long chain like sum() of 1000 Values.)
        """
        seen, stack = {self}, [self]
        while stack:
            for child in stack.pop()._children:
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return sorted(seen, key=_creation_number)

    # ---- looking at the graph (used to draw it) ----

    @property
    def children(self):
        """The Values this one was computed from."""
        return self._children

    @property
    def local_grads(self):
        """d(self)/d(child) for each child, in the same order."""
        return self._local_grads

    @property
    def op(self):
        """The operation that made this Value ("" for an input)."""
        return self._op

    def __repr__(self):
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.4g}, grad={self.grad:.4g})"


# Every new Value takes the next number from this counter (see _topological_order).
_counter = itertools.count()
_creation_number = operator.attrgetter("_number")


def _as_float(x, name):
    """A finite number as a float; anything else is a clear TypeError or ValueError."""
    if type(x) is float and x - x == 0.0:  # fast paths: a finite float, a plain int
        return x
    if type(x) is int and -_INT_LIMIT < x < _INT_LIMIT:
        return float(x)
    return check_number(x, f"Value {name}")


_INT_LIMIT = 2**1023  # an int between -2^1023 and 2^1023 converts to a finite float


def _wrap(other):
    """Let Values mix with plain numbers: 2 * v works like Value(2) * v."""
    if isinstance(other, Value):
        return other
    return Value(_as_float(other, "operand"))
