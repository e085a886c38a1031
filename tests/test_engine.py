"""The scalar autograd engine: every op's gradient, long graphs, accumulation, bad input."""
import gc
import json
import math
import pathlib
import random
import subprocess
import sys

import pytest

from nnlib.engine import Value


def numerical_grads(f, xs, eps=1e-6):
    """Central differences of f (a function of floats) at xs."""
    grads = []
    for i in range(len(xs)):
        up = list(xs); up[i] += eps
        down = list(xs); down[i] -= eps
        grads.append((f(*up) - f(*down)) / (2 * eps))
    return grads


def autograd_grads(f, xs):
    vs = [Value(x) for x in xs]
    out = f(*vs)
    out.backward()
    return out.data, [v.grad for v in vs]


def tanh(x):
    """tanh for a float or a Value, so one test function serves both."""
    return x.tanh() if isinstance(x, Value) else math.tanh(x)


def rel_err(a, b):
    return abs(a - b) / max(abs(a) + abs(b), 1e-12)


# Each case: a function usable on floats *and* Values, and a point away from kinks.
CASES = {
    "add": (lambda a, b: a + b, [1.5, -2.0]),
    "radd": (lambda a: 3 + a, [0.7]),
    "sub": (lambda a, b: a - b, [1.5, -2.0]),
    "rsub": (lambda a: 3 - a, [0.7]),
    "mul": (lambda a, b: a * b, [1.5, -2.0]),
    "rmul": (lambda a: 3 * a, [0.7]),
    "div": (lambda a, b: a / b, [1.5, -2.0]),
    "rdiv": (lambda a: 3 / a, [0.7]),
    "neg": (lambda a: -a, [0.7]),
    "pow2": (lambda a: a**2, [-1.3]),
    "pow3": (lambda a: a**3, [-1.3]),
    "pow_frac": (lambda a: a**0.5, [2.2]),
    "pow_neg": (lambda a: a**-2, [1.7]),
    "mixed": (lambda a, b, c: (a * b + c) * a - b / c, [0.3, -1.2, 2.5]),
    "reuse": (lambda a: a * a + a, [0.8]),
}
UNARY = {
    "relu_pos": ("relu", lambda x: max(x, 0.0), 0.9),
    "relu_neg": ("relu", lambda x: max(x, 0.0), -0.9),
    "tanh": ("tanh", math.tanh, 0.4),
    "sigmoid": ("sigmoid", lambda x: 1 / (1 + math.exp(-x)), -0.6),
    "exp": ("exp", math.exp, 0.3),
    "log": ("log", math.log, 2.5),
}


@pytest.mark.parametrize("name", CASES)
def test_gradient_of_each_operation_matches_central_differences(name):
    f, xs = CASES[name]
    value, grads = autograd_grads(f, xs)
    assert value == pytest.approx(f(*xs), rel=1e-12)
    for g, n in zip(grads, numerical_grads(f, xs)):
        assert rel_err(g, n) < 1e-7


@pytest.mark.parametrize("name", UNARY)
def test_gradient_of_each_unary_function_matches_central_differences(name):
    method, f, x = UNARY[name]
    v = Value(x)
    out = getattr(v, method)()
    out.backward()
    assert out.data == pytest.approx(f(x), rel=1e-12)
    assert rel_err(v.grad, numerical_grads(f, [x])[0]) < 1e-7 or v.grad == 0.0


def test_sum_is_one_node_with_unit_local_gradients():
    vs = [Value(float(i)) for i in range(5)]
    s = Value.sum(vs + [2.0])
    assert s.data == 12.0
    assert s.op == "sum" and len(s.children) == 6
    s.backward()
    assert [v.grad for v in vs] == [1.0] * 5


def test_every_term_of_a_sum_gets_gradient_1_the_last_one_too():
    vs = [Value(float(i)) for i in range(4)]
    s = Value.sum(vs)
    assert s.data == 6.0
    s.backward()
    assert [v.grad for v in vs] == [1.0, 1.0, 1.0, 1.0]


def test_relu_slope_at_0_is_0_as_in_the_numpy_layers():
    """d relu/dx = 1 if x > 0 else 0: at the kink x = 0 the engine picks 0, the same
    choice as activations.relu_prime, so both sides of the course agree."""
    from nnlib.activations import relu_prime

    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0 == relu_prime(0.0)


def test_a_tanh_neuron_by_hand():
    # o = tanh(x1*w1 + x2*w2 + b), values chosen so that z = 0.8814 and o = 0.7071
    x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    assert o.data == pytest.approx(math.sqrt(0.5), abs=1e-6)
    local = 1 - o.data**2  # d tanh/dz = 0.5
    assert w1.grad == pytest.approx(local * 2.0)
    assert x1.grad == pytest.approx(local * -3.0)
    assert w2.grad == pytest.approx(0.0)
    assert x2.grad == pytest.approx(local * 1.0)


def test_a_reused_value_collects_gradient_from_every_use():
    a = Value(3.0)
    b = a + a  # d b/da = 2, not 1: both paths add up
    b.backward()
    assert a.grad == 2.0


def test_backward_on_a_chain_of_100000_nodes_does_not_recurse():
    x = Value(0.5)
    y = x
    for _ in range(100_000):
        y = y + 1.0
    y.backward()
    assert x.grad == 1.0
    assert y.data == pytest.approx(100_000.5)


def test_builtin_sum_of_a_thousand_values_backpropagates():
    vs = [Value(1.0) for _ in range(1000)]
    total = sum(vs)
    total.backward()
    assert all(v.grad == 1.0 for v in vs)


def test_gradients_accumulate_across_backward_calls():
    x = Value(2.0)
    y = (x * 3.0).tanh() * 2.0 + x**2
    y.backward()
    once = x.grad
    y.backward()
    assert x.grad == pytest.approx(2 * once)  # exactly twice, not more
    x.grad = 0.0
    y.backward()
    assert x.grad == pytest.approx(once)
    x.backward()                          # an input is its own output: d(x)/d(x) = 1 adds on
    assert x.grad == pytest.approx(once + 1.0)


def test_sigmoid_and_tanh_stay_finite_at_extreme_inputs():
    for x in (-1e4, -800.0, 800.0, 1e4):
        s = Value(x).sigmoid()
        t = Value(x).tanh()
        assert 0.0 <= s.data <= 1.0 and math.isfinite(s.local_grads[0])
        assert -1.0 <= t.data <= 1.0
    assert Value(-1e4).sigmoid().data == 0.0
    assert Value(1e4).sigmoid().data == 1.0


def test_graph_introspection_for_drawing():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    assert c.children == (a, b)
    assert c.op == "*"
    assert c.local_grads == (-3.0, 2.0)
    assert a.op == "" and a.children == ()
    assert "c" in repr(c) and "-6" in repr(c)


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: Value("3"), TypeError, "data must be a number"),
        (lambda: Value(None), TypeError, "data must be a number"),
        (lambda: Value([1.0]), TypeError, "data must be a number"),
        (lambda: Value(True), TypeError, "data must be a number"),
        (lambda: Value(1.0) + "a", TypeError, "operand must be a number"),
        (lambda: Value(1.0) * None, TypeError, "operand must be a number"),
        (lambda: Value(2.0) ** Value(2.0), TypeError, "exponent k"),
        (lambda: Value(-2.0) ** 0.5, ValueError, "fractional power"),
        (lambda: Value(0.0).log(), ValueError, "log needs a positive"),
        (lambda: Value(1000.0).exp(), OverflowError, "too large"),
        (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, "is 0"),
    ],
)
def test_bad_input_gets_a_clear_message(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_random_expressions_match_numerical_gradients():
    rng = random.Random(7)
    ops = [
        lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b,
        lambda a, b: tanh(a * 0.5) * b, lambda a, b: a / (b * b + 1.0),
    ]
    for _ in range(25):
        chosen = [rng.choice(ops) for _ in range(4)]

        def f(x, y, chosen=chosen):
            for op in chosen:
                x, y = op(x, y), x
            return x

        xs = [rng.uniform(-1, 1), rng.uniform(-1, 1)]
        _, grads = autograd_grads(f, xs)
        for g, n in zip(grads, numerical_grads(f, xs)):
            assert abs(g - n) <= 1e-6 * max(1.0, abs(n))


def test_builtin_sum_starts_from_zero_without_an_extra_node():
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    assert 0 + a is a  # sum() computes 0 + a first: that is a itself
    total = sum([a * 2.0, b, c])
    # nodes: a*2 (and its constant 2.0), then one + per term after the first
    adds = [total, total.children[0]]
    assert [n.op for n in adds] == ["+", "+"]
    assert adds[1].children[0].op == "*"
    total.backward()
    assert (a.grad, b.grad, c.grad) == (2.0, 1.0, 1.0)
    assert (1 + a).data == 2.0 and (1 + a).op == "+"  # any other number still makes a node


def test_micrograd_style_neuron_chain_backpropagates_without_recursion():
    rng = random.Random(3)
    w = [Value(rng.uniform(-1, 1)) for _ in range(3000)]
    x = [rng.uniform(-1, 1) for _ in range(3000)]
    b = Value(0.5)
    z = sum(wi * xi for wi, xi in zip(w, x)) + b  # a chain of 3000 adds
    z.backward()
    assert [wi.grad for wi in w] == pytest.approx(x)
    assert b.grad == 1.0


def _count_values():
    return sum(1 for obj in gc.get_objects() if type(obj) is Value)


def test_a_graph_is_freed_by_reference_counting_alone():
    """The graph has no reference cycles, which is why engine.py may ask the
    cyclic garbage collector to do its full scan less often."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        before = _count_values()
        w = [Value(0.1 * i) for i in range(20)]
        loss = sum((wi * 3.0 - 1.0) ** 2 for wi in w) * (1.0 / 20)
        loss.backward()
        assert _count_values() > before + 100  # the graph is alive
        del loss
        assert _count_values() == before + 20  # only the inputs w are left, without any collection
    finally:
        if was_enabled:
            gc.enable()


def test_importing_the_engine_only_delays_full_garbage_scans():
    code = ("import gc, json; before = gc.get_threshold(); import nnlib.engine; "
            "print(json.dumps([before, gc.get_threshold()]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(pathlib.Path(__file__).resolve().parents[1]))
    before, after = json.loads(out.stdout)
    assert after[:2] == before[:2]  # young and middle generations: unchanged
    assert after[2] == max(before[2], 100)


def test_division_by_a_tiny_number_keeps_its_gradient():
    # d(a / b)/db = -a/b^2: written as -(a/b)/b, since b * b underflows to 0 for b = 1e-200
    a, b = Value(1e-200), Value(1e-200)
    q = a / b
    q.backward()
    assert q.data == 1.0
    assert a.grad == pytest.approx(1e200) and b.grad == pytest.approx(-1e200)
    # 1 / 1e-200 fits in a float; its slope -1e400 does not: -inf, as Python's own 1e200 / 1e-200
    a, b = Value(1.0), Value(1e-200)
    q = a / b
    q.backward()
    assert q.data == pytest.approx(1e200) and a.grad == pytest.approx(1e200)
    assert b.grad == -math.inf


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda: Value(10.0) ** 400, r"10\.0 \*\* 400"),  # 1e400 itself
        (lambda: Value(1e-200) ** -1, r"1e-200 \*\* -1"),  # 1e200 fits, its derivative -1e400 not
    ],
    ids=["value too large", "slope too large"],
)
def test_a_power_beyond_the_largest_float_is_a_clear_overflow_error(make, expected):
    with pytest.raises(OverflowError, match=expected) as error:
        make()
    assert "too large for a float" in str(error.value)
    assert "Numerical result" not in str(error.value)  # not Python's bare errno message


def test_x_to_the_power_0_is_1_with_slope_0_even_at_0():
    for x in (0.0, 1e-320, 3.0, -2.0):
        v = Value(x)
        y = v**0
        y.backward()
        assert y.data == 1.0 and v.grad == 0.0  # x^0 = 1 is a constant


def test_0_to_a_negative_or_fractional_power_names_the_problem():
    with pytest.raises(ZeroDivisionError, match=r"0 \*\* -1 is 1 / 0 \*\* 1, a division by 0"):
        Value(0.0) ** -1
    with pytest.raises(ZeroDivisionError, match=r"0 \*\* 0\.5 has no finite derivative"):
        Value(0.0) ** 0.5
    assert (Value(0.0) ** 2).data == 0.0 and (Value(0.0) ** 2).local_grads == (0.0,)


def test_exp_works_up_to_the_largest_float():
    # e^x fits in a float up to x = ln(1.8e308) = 709.78
    assert Value(709.5).exp().data == math.exp(709.5)
    assert Value(709.78).exp().data == math.exp(709.78) > 1e308
    with pytest.raises(OverflowError, match=r"exp\(709\.79\) is too large.*x <= 709\.78"):
        Value(709.79).exp()
