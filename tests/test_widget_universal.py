"""UniversalApproximation: a sum of simple unit shapes fits a curve; lines stay lines."""
import numpy as np
import pytest

from nnlib.data import CURVES, curve
from nnlib.widgets.universal import ACTIVATIONS, MAX_UNITS, UniversalApproximation

pytestmark = pytest.mark.filterwarnings("error")


def mse_for(target, n_units, activation):
    w = UniversalApproximation(target=target, n_units=n_units, activation=activation)
    assert "went wrong" not in w.message.value
    return w.state()["mse"]


def test_state_keys_and_title():
    w = UniversalApproximation(target="sine", n_units=5, activation="tanh")
    s = w.state()
    assert set(s) == {"n_units", "activation", "target", "mse"}
    assert (s["n_units"], s["activation"], s["target"]) == (5, "tanh", "sine")
    assert s["mse"] >= 0
    assert "N = 5" in w.ax.get_title() and "mean squared error" in w.ax.get_title()
    # 5 thin unit lines are shown, the other 15 hidden.
    assert sum(line.get_visible() for line in w.unit_lines) == 5


@pytest.mark.parametrize("control, value", [("target", "bump"), ("n_units", 9),
                                            ("activation", "relu")])
def test_every_control_redraws(control, value):
    w = UniversalApproximation()
    before_state, before_frame = w.state(), w.frame()
    getattr(w, control).value = value
    assert w.state()[control] == value
    assert w.state()["mse"] != before_state["mse"]
    assert w.frame() != before_frame


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_more_units_fit_the_sine_much_better(activation):
    few, many = mse_for("sine", 2, activation), mse_for("sine", 12, activation)
    assert many < few / 20
    assert many < 1e-3


def test_mse_keeps_falling_as_units_are_added():
    w = UniversalApproximation(target="bump", activation="tanh")
    errors = []
    for n in (1, 3, 6, 12, 20):
        w.n_units.value = n
        errors.append(w.state()["mse"])
    assert errors == sorted(errors, reverse=True)


def test_linear_units_only_ever_give_the_best_straight_line():
    x, y = curve("sine", n=100)
    slope, intercept = np.polyfit(x[:, 0], y, 1)
    best_line_mse = np.mean((slope * x[:, 0] + intercept - y) ** 2)
    w = UniversalApproximation(target="sine", activation="linear")
    for n in (1, 2, 10, MAX_UNITS):
        w.n_units.value = n
        assert w.state()["mse"] == pytest.approx(best_line_mse, rel=1e-9)
        # The drawn output is a straight line: constant slope everywhere.
        assert np.allclose(np.diff(w.sum_line.get_ydata(), 2), 0, atol=1e-9)
    assert "sum of straight lines is a" in w.message.value


def test_zero_units_give_a_friendly_message_and_a_constant():
    w = UniversalApproximation(target="sine", n_units=3)
    w.n_units.value = 0
    assert "add at least one hidden unit" in w.message.value.lower()
    assert "went wrong" not in w.message.value
    s = w.state()
    _, y = curve("sine", n=100)
    assert s["mse"] == pytest.approx(np.var(y))  # the best constant is the mean
    assert np.ptp(w.sum_line.get_ydata()) == pytest.approx(0, abs=1e-12)
    assert not any(line.get_visible() for line in w.unit_lines)
    w.n_units.value = 4  # and it recovers
    assert w.message.value == "" or "hidden unit" not in w.message.value


def test_deterministic():
    assert mse_for("step", 7, "sigmoid") == mse_for("step", 7, "sigmoid")


def test_every_target_and_activation_at_max_units_draws_cleanly():
    w = UniversalApproximation(n_units=MAX_UNITS)
    for target in CURVES:
        w.target.value = target
        for activation in ACTIVATIONS:
            w.activation.value = activation
            assert np.isfinite(w.state()["mse"])
            assert "went wrong" not in w.message.value


def test_title_says_unit_for_one_and_units_for_more():
    w = UniversalApproximation(target="sine", n_units=1, activation="tanh")
    assert w.ax.get_title().startswith("N = 1 tanh unit:")
    w.n_units.value = 2
    assert w.ax.get_title().startswith("N = 2 tanh units:")


# ---- found by a mutation audit: the units' placement the docstring promises ----

def test_hidden_units_are_placed_as_the_docstring_says():
    from nnlib.widgets.universal import hidden_units
    n = 4
    for activation in ("tanh", "sigmoid"):  # steepness n, centred in the middle of n slices
        w, b = hidden_units(n, activation)
        assert np.allclose(w, n) and np.allclose(-b / w, [-0.75, -0.25, 0.25, 0.75])
    for activation in ("relu", "linear"):  # slope 1, the bends at -1, -1 + 2/n, ...
        w, b = hidden_units(n, activation)
        assert np.allclose(w, 1) and np.allclose(-b / w, [-1.0, -0.5, 0.0, 0.5])
