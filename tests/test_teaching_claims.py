"""What docs/teaching.md tells a teacher the widgets and lessons will show, recomputed.

The instructor guide quotes figures in its misconception tables ("what shows otherwise"), its
activities, the Playground's challenge cards and its recall and exit questions.  A teacher acts on
them in front of a class, so each one is checked here the way tests/test_prompts.py checks the
lessons' prompts: a test first finds the guide's sentence (white space does not matter, so a
changed sentence fails here until its test changes too), then drives the real widget, or runs
the lesson's own code cells, and reads the figure from what they show.

The InitExplorer activity of session 7 is checked in tests/test_widget_init_explorer.py.
"""
import contextlib
import io
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from nnlib.widgets import (ActivationExplorer, BackpropStepper, DescentExplorer, Playground,
                           UniversalApproximation)
from nnlib.widgets.perceptron import HiddenSpaceWidget, PerceptronWidget, perceptron
from tests.test_lesson_claims import code_cells, run_cells
from tests.test_prompts import lesson_text, says

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "teaching.md"


def guide_says(*phrases):
    """Assert that docs/teaching.md says each phrase (white space does not matter)."""
    text = " ".join(GUIDE.read_text(encoding="utf-8").split())
    for phrase in phrases:
        assert " ".join(phrase.split()) in text, f"docs/teaching.md no longer says: {phrase!r}"


def printed(path):
    """Everything the code cells of a notebook printed, as stored in it."""
    cells = json.loads((ROOT / path).read_text(encoding="utf-8"))["cells"]
    return " ".join("".join(o.get("text", "")) for c in cells if c["cell_type"] == "code"
                    for o in c.get("outputs", []))


def play(w, ticks):
    """Press Play for `ticks` ticks (3 epochs each) without drawing the frames in between
    (the numbers come from the same step_epochs that Play calls); returns the train losses
    of every epoch so far, as the loss plot shows them."""
    w.refresh = lambda: None
    for _ in range(ticks):
        w.step_epochs()
    del w.refresh
    return np.array(w.history["train_loss"])


# ======================================================= session 1 · lesson 01 ==

def test_s1_no_setting_of_the_sliders_gets_xor_past_3_of_4():
    guide_says("**PerceptronWidget**, gate XOR: no setting of the three sliders gets past 3/4.",
               "Collect the best scores on the board: every one is 3/4.")
    w = PerceptronWidget(gate="XOR")
    # Every notch of the three sliders at once, through the function the widget draws with.
    notches = [np.round(np.arange(s.min, s.max + s.step / 2, s.step), 10) for s in (w.w1, w.w2, w.b)]
    w1, w2, b = (a[..., None] for a in np.meshgrid(*notches, indexing="ij"))
    X, y = np.array([[0, 0], [0, 1], [1, 0], [1, 1]]), np.array([0, 1, 1, 0])
    correct = (perceptron(X, w1, w2, b) == y).sum(axis=-1)
    assert len(notches[0]) == 61 and correct.max() == 3
    best = np.unravel_index(np.argmax(correct), correct.shape)
    w.w1.value, w.w2.value, w.b.value = (float(n[i]) for n, i in zip(notches, best))
    assert w.state()["correct"] == 3


def test_s1_doubling_a_working_and_changes_no_answer_and_the_race_starts_at_2_of_4():
    guide_says("multiply a working setting by 2 ($1, 1, -1.5 \\to 2, 2, -3$): the line and every "
               "answer stay the same", "gate AND, starting from the widget's default",
               "The first pair to reach 4/4")
    w = PerceptronWidget(gate="AND")
    assert w.state()["correct"] == 2          # the default: something left to win
    w.b.value = -1.5
    before, line = w.state(), [np.copy(a) for a in w.line.get_data()]
    w.w1.value, w.w2.value, w.b.value = 2.0, 2.0, -3.0
    after = w.state()
    assert before["correct"] == after["correct"] == 4 and before["predictions"] == after["predictions"]
    assert all(np.allclose(a, b) for a, b in zip(line, w.line.get_data()))


def test_s1_the_bias_slides_the_line_and_the_weights_turn_it():
    guide_says("drag only **b**. The line slides and never turns; $w_1$ and $w_2$ turn it.")
    w = PerceptronWidget(gate="AND")

    def direction():
        x, y = w.line.get_data()
        d = np.array([x[-1] - x[0], y[-1] - y[0]])
        return d / np.hypot(*d)

    def offset():                               # where the line crosses the x1 axis
        x, y = w.line.get_data()
        return x[0] - y[0] * (x[-1] - x[0]) / (y[-1] - y[0])

    start, where = direction(), offset()
    for b in (-2.0, -1.0, 0.5):
        w.b.value = b
        assert abs(abs(direction() @ start) - 1) < 1e-9 and offset() != where
    w.w1.value = 2.5
    assert abs(abs(direction() @ start) - 1) > 0.05


def test_s1_and_works_for_a_whole_range_of_b():
    guide_says("find AND with $w_1 = 2$, $w_2 = 1$. A whole range of $b$ works ($-3 \\le b < -2$ "
               "here, $-2 \\le b < -1$ for $w = (1,1)$)")
    w = PerceptronWidget(gate="AND", w1=2, w2=1)
    notches = np.round(np.arange(w.b.min, w.b.max + w.b.step / 2, w.b.step), 10)

    def working():
        found = []
        for b in notches:
            w.b.value = float(b)
            if w.state()["correct"] == 4:
                found.append(float(b))
        return found

    found = working()
    assert min(found) == -3 and max(found) == -2.1 and len(found) == 10   # -3 <= b < -2, every notch
    w.w1.value = 1.0
    found = working()
    assert min(found) == -2 and max(found) == -1.1 and len(found) == 10   # -2 <= b < -1


def test_s1_hidden_space_an_and_puts_a_0_and_a_1_on_one_point():
    guide_says("press **reset to hand-built**, then drag **h1: b** from $-0.5$ to $-1.5$ so that "
               "$h_1$ becomes an AND. A 0 and a 1 land on the same hidden point")
    w = HiddenSpaceWidget()
    w.sliders["h2"][0].value = 0.3              # some earlier fiddling, undone by the button
    w.reset_button.click()
    assert w.state()["correct"] == 4 and w.sliders["h1"][2].value == -0.5
    w.sliders["h1"][2].value = -1.5
    s = w.state()
    X = [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [perceptron(np.array([x]), *s["h1"])[0] for x in X] == [0, 0, 0, 1]   # h1 is AND
    target = [0, 1, 1, 0]
    merged = [(i, j) for i in range(4) for j in range(i + 1, 4)
              if s["hidden"][i] == s["hidden"][j] and target[i] != target[j]]
    assert merged and s["correct"] < 4


def test_s1_a_point_on_the_line_is_1_and_the_check_has_a_hint_for_z_greater_than_0():
    guide_says("The lesson's neuron answers 1 at $z = 0$ (section 1). Exercise 01's check for Task 1 "
               "has a hint for exactly this slip, `z > 0` instead of `z >= 0`.")
    from nnlib.checks import lesson01
    neuron = run_cells("notebooks/01-xor.ipynb", "def neuron(")["neuron"]
    assert neuron(np.array([[1.0, 0.5]]), [1.0, 2.0], -2.0).tolist() == [1]        # z = 0 exactly

    def strict(X, w, b):
        X = np.asarray(X, dtype=float)
        return (w[0] * X[..., 0] + w[1] * X[..., 1] + b > 0).astype(int)

    with pytest.raises(AssertionError) as failed:
        lesson01.neuron(strict)
    assert "use z >= 0, not z > 0" in str(failed.value)


# ======================================================= session 2 · lesson 02 ==

def test_s2_the_nudge_moves_the_sigmoid_and_not_the_step():
    guide_says("the figure nudges $w$ from 0.2 to 0.1 and 0.3, and the printout under it from 0.2 to "
               "0.21; the step's output does not change (slope 0), while the sigmoid's output moves "
               "(slope 0.24)")
    code = "\n".join(code_cells("notebooks/02-activation-functions.ipynb"))
    assert "plot_nudge(f, name, w0=0.2, dw=0.1, ax=ax)" in code
    lesson = run_cells("notebooks/02-activation-functions.ipynb", "def numerical_slope(")
    from nnlib.activations import sigmoid, step
    slope = lesson["numerical_slope"]
    assert step(0.2 - 0.5) == step(0.21 - 0.5) and slope(lambda w: step(w - 0.5), 0.2) == 0
    assert sigmoid(0.21 - 0.5) > sigmoid(0.2 - 0.5)
    assert round(slope(lambda w: sigmoid(w - 0.5), 0.2), 2) == 0.24


def test_s2_activation_explorer_big_weights_saturate_relu_dies_step_is_all_stripes():
    guide_says("**ActivationExplorer** on `step`: the whole square is striped as saturated, whatever the "
               "sliders say.",
               "sigmoid, $w_1 = w_2 = 3$: more than half of the square is striped (saturated, slope near "
               "0). At $0.3$ almost nothing is striped.",
               "relu, drag **b** from 0 down to $-3$: the dead half-plane grows until almost the whole "
               "square is dead", "Switch to `leaky_relu`: the slope there is small but not zero.",
               "The step pair finishes at once")
    w = ActivationExplorer(activation="sigmoid", w1=3.0, w2=3.0)
    assert w.state()["saturated_fraction"] > 0.5            # 57%
    w.w1.value = w.w2.value = 0.3
    assert w.state()["saturated_fraction"] < 0.01           # 0%
    w.activation.value = "relu"                   # one widget, as in class
    w.w1.value, w.w2.value, w.b.value = 1.0, 0.5, 0.0         # the widget's own start
    dead = [w.state()["saturated_fraction"]]
    for b in (-1.0, -2.0, -3.0):
        w.b.value = b
        dead.append(w.state()["saturated_fraction"])
    assert 0.45 < dead[0] < 0.55 and dead == sorted(dead) and dead[-1] > 0.9    # 50% .. 93%
    w.activation.value = "leaky_relu"
    from nnlib.activations import get_activation
    _, slope = get_activation("leaky_relu")
    assert 0 < slope(np.array([-2.0]))[0] < 0.1
    w.activation.value = "step"
    for w1, w2, b in [(3.0, 3.0, 0.0), (0.1, 0.1, 0.0), (-2.0, 1.0, 3.0), (0.0, 0.0, -3.0)]:
        w.w1.value, w.w2.value, w.b.value = w1, w2, b
        assert w.state()["saturated_fraction"] == 1.0


def test_s2_tanh_is_the_sigmoid_moved_steeper_and_with_range_minus_1_to_1():
    guide_says("$\\tanh(z) = 2\\sigma(2z) - 1$. In the **ActivationExplorer**, switch between the two: "
               "the left plot shows the same S shape, steeper for tanh, and the colour bar shows its "
               "range moved from $0..1$ to $-1..1$.",
               "Why would anyone ever use the sigmoid in a hidden layer, given its largest slope is 0.25?")
    from nnlib.activations import sigmoid, sigmoid_prime, tanh_prime
    z = np.linspace(-6, 6, 241)
    assert np.allclose(np.tanh(z), 2 * sigmoid(2 * z) - 1)
    assert sigmoid_prime(z).max() == 0.25 and tanh_prime(z).max() == 1.0
    w = ActivationExplorer(activation="sigmoid", w1=3.0, w2=3.0)
    low, high = w.state()["output_range"]
    assert 0 <= low < 0.01 and 0.99 < high <= 1
    w.activation.value = "tanh"
    low, high = w.state()["output_range"]
    assert -1 <= low < -0.99 and 0.99 < high <= 1


def test_s2_the_central_difference_agrees_with_every_slope_of_nnlib():
    guide_says("the central difference measures every slope in `nnlib/activations.py` and agrees with "
               "the formulas.")
    from nnlib import activations
    lesson = run_cells("notebooks/02-activation-functions.ipynb", "def numerical_slope(")
    names = list(activations.ACTIVATIONS)
    assert {"step", "sigmoid", "tanh", "relu", "leaky_relu", "softplus", "gelu"} <= set(names)
    z = np.linspace(-5, 5, 201) + 0.0123     # the lesson's points: none exactly on a bend
    for name in names:
        f, f_prime = activations.get_activation(name)
        assert np.max(np.abs(lesson["numerical_slope"](f, z, h=1e-6) - f_prime(z))) < 1e-8, name


def test_s2_ten_sigmoid_layers_shrink_the_slope_a_millionfold_relu_keeps_1():
    guide_says("after 10 sigmoid layers the slope is a few million times smaller; ReLU's product "
               "stays at 1 for positive $z$.",
               "Have students predict $0.25^{10}$ before showing it")
    lesson = run_cells("notebooks/02-activation-functions.ipynb", "def slopes_through_chain(")
    chain = lesson["slopes_through_chain"]
    sigmoid_product = np.prod(chain("sigmoid"))
    assert 1e-7 < sigmoid_product < 5e-7        # 3.5e-7: about 3 million times smaller
    assert 0.5e-6 < 0.25 ** 10 < 2e-6             # the best case: about a millionth
    assert np.all(np.cumprod(chain("relu")) == 1.0)


# ======================================================= session 3 · lesson 03 ==

def test_s3_ten_linear_layers_with_over_80000_numbers_collapse_into_one_neuron():
    guide_says("a 10-layer linear network with over 80,000 numbers collapses into one neuron with the "
               "same outputs (`np.allclose` says True)")
    lesson = run_cells("notebooks/03-nonlinearity.ipynb", "W1, b1 = rng.normal(", "def collapse(",
                       "deep = mlp(")
    deep = lesson["deep"]
    assert len(deep.layers) == 10 and lesson["n_numbers"] > 80_000
    W, b = lesson["collapse"](deep)
    assert W.shape == (2, 1) and b.shape == (1,)
    X = np.random.default_rng(0).normal(size=(50, 2))
    assert np.allclose(deep(X), X @ W + b)


def test_s3_on_circles_the_linear_network_tosses_a_coin_and_tanh_rings_the_inner_ring():
    guide_says("on `circles` the linear network scores about a coin toss; the tanh network of the same "
               "shape draws a boundary around the inner ring.")
    lesson = run_cells("notebooks/03-nonlinearity.ipynb", "X, y = circles(", "models = {}")
    from nnlib.train import accuracy
    X, y, models = lesson["X"], lesson["y"], lesson["models"]
    assert 0.4 <= accuracy(models["identity"], X, y) <= 0.6
    assert accuracy(models["tanh"], X, y) >= 0.98
    # Around the ring: the centre is class 1's, and so is no point far outside in any direction.
    inner = int(np.round(np.mean(y[np.hypot(*X.T) < 0.3])))
    angle = np.linspace(0, 2 * np.pi, 16)
    far = 1.8 * np.column_stack([np.cos(angle), np.sin(angle)])
    logits = models["tanh"](np.vstack([[0.0, 0.0], far]))[:, 0]
    assert (logits[0] > 0) == bool(inner) and np.all((logits[1:] > 0) != bool(inner))


def mse(target, activation, n):
    return UniversalApproximation(target=target, n_units=n, activation=activation).state()["mse"]


def test_s3_linear_units_stay_straight_stuck_at_0_21_from_n_1():
    guide_says("**UniversalApproximation** with activation `linear`: the curve stays straight for every "
               "N, and from N = 1 on the error is stuck at 0.21.")
    w = UniversalApproximation(target="sine", activation="linear")
    for n in range(1, w.n_units.max + 1):
        w.n_units.value = n
        curve = w.sum_line.get_ydata()
        assert np.allclose(np.diff(curve, 2), 0, atol=1e-9)       # a straight line
        assert round(w.state()["mse"], 2) == 0.21
    w.n_units.value = 0
    assert round(w.state()["mse"], 2) != 0.21


def test_s3_abs_with_two_relus_is_exact_and_sine_with_two_tanh_no_better_than_one():
    guide_says("**UniversalApproximation**, target `abs`, activation `relu`, N = 2: the error is about "
               "$10^{-31}$, zero up to rounding.",
               "**UniversalApproximation**, sine with tanh: N = 2 is no better than N = 1",
               "The overall trend still falls.")
    assert 1e-32 < mse("abs", "relu", 2) < 1e-29
    assert mse("sine", "tanh", 2) >= mse("sine", "tanh", 1)
    errors = [mse("sine", "tanh", n) for n in (1, 5, 10, 20)]
    assert errors == sorted(errors, reverse=True) and errors[-1] < errors[0] / 100


def test_s3_the_step_target_overshoots_next_to_the_jump_even_at_n_20():
    guide_says("With the `step` target, even N = 20 overshoots next to the jump.")
    w = UniversalApproximation(target="step", n_units=20, activation="tanh")
    dots = w.dots.get_offsets()
    top = dots[:, 1].max()
    jump = dots[np.argmax(dots[:, 1] > (top + dots[:, 1].min()) / 2), 0]   # first dot of the upper step
    curve = w.sum_line.get_ydata()
    peak = int(np.argmax(curve))
    assert curve[peak] > top + 0.1                        # 1.21 where the target is 1
    assert abs(w.x_plot[peak] - jump) < 0.2               # right next to the jump


def test_s3_activity_the_first_n_with_error_below_0_001():
    guide_says("with the widget's fixed placement, the error first drops below 0.001 at N = 4 for "
               "sigmoid and at N = 6 for tanh and for relu. That sigmoid needs fewer units than tanh")

    def first_n(activation):
        return next(n for n in range(1, 21) if mse("sine", activation, n) < 0.001)

    assert (first_n("sigmoid"), first_n("tanh"), first_n("relu")) == (4, 6, 6)


# ======================================================= session 4 · lesson 04 ==

def notch(slider, value):
    """Where the browser's log slider lands when dragged (or typed) to `value`."""
    k = round((math.log10(value) - slider.min) / slider.step)
    return slider.base ** (slider.min + k * slider.step)


def test_s4_parabola_from_one_step_to_the_bottom_to_divergence():
    guide_says("at 0.501 (the slider's notch next to 0.5) the first step lands almost exactly on the "
               "bottom; at 1 the walker bounces between 1.8 and $-1.8$ forever; at 1.12 the loss goes "
               "*up*; at 1.41 it diverges after 22 steps.")
    w = DescentExplorer(surface="parabola")
    w.lr.value = notch(w.lr, 0.5)
    assert format(w.lr.value, w.lr.readout_format) == "0.501"
    assert abs(w.result.path[1][0]) < 0.005 < abs(w.result.path[0][0])
    w.lr.value = 1.0
    assert {round(float(x), 9) for x in w.result.path[:, 0]} == {1.8, -1.8}
    assert "Bouncing" in w.state()["note"]
    w.lr.value = notch(w.lr, 1.12)
    assert w.state()["final_loss"] > w.result.losses[0] and not w.state()["diverged"]
    w.lr.value = notch(w.lr, 1.41)
    assert w.state()["diverged"] and w.state()["steps_taken"] == 22


def test_s4_activity_the_readouts_and_the_rule_1_minus_2_eta():
    guide_says("Go through 0.316, 0.501, 0.891, 1, 1.12, 1.41 (the learning-rate slider moves in notches, "
               "so students drag to these readouts; a typed 0.3 would jump to 0.316)",
               "ask for the rule ($|1 - 2\\eta| < 1$)")
    w = DescentExplorer(surface="parabola")
    assert format(notch(w.lr, 0.3), w.lr.readout_format) == "0.316"
    for readout in ["0.316", "0.501", "0.891", "1", "1.12", "1.41"]:
        w.lr.value = notch(w.lr, float(readout))
        assert format(w.lr.value, w.lr.readout_format) == readout       # a notch shows this readout
        eta, s = w.lr.value, w.state()
        if abs(1 - 2 * eta) < 1:
            assert s["final_loss"] < 1e-9 and not s["diverged"]
        else:
            assert s["final_loss"] >= w.result.losses[0] - 1e-9        # bounces or climbs


def test_s4_0_112_and_0_891_end_alike_and_0_01_is_still_at_0_43():
    guide_says("0.112 and 0.891 end at almost the *same* loss. Each step multiplies $x$ by $0.78$ or by "
               "$-0.78$; one slides, the other zig-zags, equally fast. The cautious 0.01 (factor $0.98$) "
               "is still at a loss of 0.43 after 50 steps, far behind both.")
    w = DescentExplorer(surface="parabola")
    factors, losses = {}, {}
    for readout in (0.112, 0.891, 0.01):
        w.lr.value = notch(w.lr, readout)
        x = w.result.path[:, 0]
        factors[readout] = x[1:] / x[:-1]
        losses[readout] = w.state()["final_loss"]
    assert np.allclose(factors[0.112], 0.78, atol=0.005) and np.allclose(factors[0.891], -0.78, atol=0.005)
    assert 1 / 3 < losses[0.112] / losses[0.891] < 3 and max(losses[0.112], losses[0.891]) < 1e-10
    assert np.allclose(factors[0.01], 0.98) and round(losses[0.01], 2) == 0.43


def test_s4_valley_arrows_point_across_and_the_path_zig_zags():
    guide_says("in the valley the downhill arrows point mostly *across* the valley, at right angles to "
               "the contour lines. **DescentExplorer**, valley: the path zig-zags from wall to wall.")
    code = "\n".join(code_cells("notebooks/04-gradient-descent.ipynb"))
    arrows = "AX, AY = np.meshgrid(np.linspace(*s.xlim, 9)[1:-1], np.linspace(*s.ylim, 6)[1:-1])"
    assert arrows in code and "GX, GY = s.grad(AX, AY)" in code
    from nnlib.descent import SURFACES
    s = SURFACES["valley"]
    AX, AY = np.meshgrid(np.linspace(*s.xlim, 9)[1:-1], np.linspace(*s.ylim, 6)[1:-1])
    GX, GY = s.grad(AX, AY)
    assert np.all(np.abs(GY) > np.abs(GX))      # across (y) beats along (x) at every arrow
    w = DescentExplorer(surface="valley")
    y = w.result.path[:12, 1]
    assert np.all(y[1:] * y[:-1] < 0)           # from one wall to the other, step after step


def test_s4_valley_momentum_0_5_below_1e_13_and_0_9_ends_worse():
    guide_says("**DescentExplorer**, valley at $\\eta = 0.0891$: momentum 0.5 takes the final loss below "
               "$10^{-13}$, while 0.9 overshoots, circles, and ends *worse* than 0.5.")
    w = DescentExplorer(surface="valley")
    w.lr.value = notch(w.lr, 0.0891)
    assert format(w.lr.value, w.lr.readout_format) == "0.0891"
    w.momentum.value = 0.5
    half = w.state()["final_loss"]
    w.momentum.value = 0.9
    heavy = w.state()["final_loss"]
    x = w.result.path[:, 0]
    assert half < 1e-13 < heavy
    assert np.sum(np.diff(np.sign(x)) != 0) >= 2          # passes the minimum and comes back


def test_s4_two_minima_the_start_decides_the_valley():
    guide_says("**DescentExplorer**, two minima, momentum 0: starts at $x_0 \\le 0.05$ end in the left "
               "(deeper) minimum, starts at $x_0 \\ge 0.1$ in the right one.")
    w = DescentExplorer(surface="two minima")
    assert w.momentum.value == 0
    ends = {}
    for x0 in np.round(np.arange(w.x0.min, w.x0.max + w.x0.step / 2, w.x0.step), 10):
        w.x0.value = float(x0)
        ends[float(x0)] = w.state()
    assert all(s["final_point"][0] < 0 for x0, s in ends.items() if x0 <= 0.05)
    assert all(s["final_point"][0] > 0 for x0, s in ends.items() if x0 >= 0.1)
    assert ends[-1.5]["final_loss"] < ends[1.5]["final_loss"]             # the left one is deeper


def test_s4_batches_of_8_scatter_about_three_times_less():
    guide_says("the estimates from batches of 1 and of 8 both scatter around the full gradient, and the "
               "batches of 8 scatter about three times less.")
    lesson = run_cells("notebooks/04-gradient-descent.ipynb", "x = rng.uniform(-1, 1, size=30)",
                       "def loss(w, b):",
                       "def numerical_slope(",
                       "def gradient(w, b, x, y):", "batch_rng = np.random.default_rng(1)")
    full, estimates = np.array(lesson["full"]), lesson["estimates"]
    spread = {size: np.linalg.norm(e.std(axis=0)) for size, e in estimates.items()}
    assert 2.5 < spread[1] / spread[8] < 3.5
    for e in estimates.values():     # around the full gradient: their mean is within a spread of it
        assert np.linalg.norm(e.mean(axis=0) - full) < np.linalg.norm(e.std(axis=0)) / 2


def test_s4_the_critical_rate_for_3x_squared_is_one_third():
    guide_says("let students derive the critical rate for $3x^2$ (*Check yourself* 3; the answer is $1/3$)")
    from nnlib.engine import Value

    def descend_3x2(eta, steps=300):
        x = 1.0
        for _ in range(steps):
            v = Value(x)
            (3 * v * v).backward()
            x -= eta * v.grad
        return abs(x)

    for eta in (0.3, 0.32, 0.34, 0.36):
        assert (descend_3x2(eta) < 1e-6) == (eta < 1 / 3) and (descend_3x2(eta) > 1e3) == (eta > 1 / 3)
    assert descend_3x2(1 / 3, steps=7) == pytest.approx(1.0)      # exactly 1/3: bounces forever


# ======================================================= session 5 · lesson 05 ==

def stepper_at(w, step):
    w.step_slider.value = step
    return w.state()


def test_s5_human_backprop_the_cards_and_0_94_copied_unchanged_at_steps_13_14():
    guide_says("Use the stepper's default graph, the neuron $o = \\tanh(x_1w_1 + x_2w_2 + b)$. Give nine "
               "students a card each, one per node ($x_1$, $w_1$, $x_2$, $w_2$, $b$, $x_1w_1$, $x_2w_2$, "
               "$s$, $n$), and keep $o$ yourself.",
               "you start with $o$.grad $= 1$ and pass $0.94$ to $n$",
               "**BackpropStepper**, steps 13–14: the $+$ node copies $n$.grad $= 0.94$ *unchanged* to "
               "both inputs.")
    w = BackpropStepper()
    cards = {"x1", "w1", "x2", "w2", "b", "x1w1", "x2w2", "s", "n"}
    assert set(w.names.values()) == cards | {"o"}
    s = stepper_at(w, 11)
    assert s["current"] == "o" and s["grads"]["o"] == 1.0
    s = stepper_at(w, 12)
    assert s["current"] == "n" and round(s["grads"]["n"], 2) == 0.94
    n_grad = s["grads"]["n"]
    got = {stepper_at(w, k)["current"]: stepper_at(w, k)["grads"] for k in (13, 14)}
    assert set(got) == {"b", "s"}                    # the + node's two inputs, one per step
    assert got["b"]["b"] == n_grad and got["s"]["s"] == n_grad


def test_s5_the_stepper_only_fills_in_grads_each_from_one_local_gradient():
    guide_says("**BackpropStepper**: it only fills in `grad`s and never changes a weight.",
               "each backward step's caption uses one local gradient times the grad that arrived from "
               "the right, nothing else.")
    w = BackpropStepper()
    data = {v: v.data for v in w.order}
    node = {name: v for v, name in w.names.items()}
    forward_done = stepper_at(w, len(w.order))["data"]
    for step in range(len(w.order) + 1, w.n_steps + 1):
        s = stepper_at(w, step)
        assert s["data"] == forward_done
        name, caption = s["current"], s["explanation"]
        assert caption.startswith(f"{name}.grad = ")
        used = set(re.findall(r"(\w+)\.grad", caption)) - {name}
        if name != "o":                                     # the output's own grad is 1
            assert len(used) == 1, caption                  # one grad from the right
            (parent,) = used
            assert node[name] in node[parent]._children      # ... and it is this node's user's
    assert all(v.data == d for v, d in data.items())        # no weight changed


def test_s5_a_value_used_twice_the_last_caption_adds_two_terms():
    guide_says("**BackpropStepper** with the section-3 graph edited to `L = s * a`: the caption of the "
               "last step adds **two** terms for $a$.")
    (cell,) = [c for c in code_cells("notebooks/05-backpropagation.ipynb") if "L = s * d;" in c]
    lesson = run_cells("notebooks/05-backpropagation.ipynb")          # the imports
    exec(compile(cell.replace("L = s * d;", "L = s * a;"), "section 3, edited", "exec"), lesson)
    w = BackpropStepper(lesson["L"])
    last = stepper_at(w, w.n_steps)
    assert last["current"] == "a"
    terms = last["explanation"].split("=")[1]
    assert terms.count(".grad") == 2 and "+" in terms
    assert last["grads"]["a"] == 3 * 2 + 5 * 1              # b * e.grad + s * L.grad


def test_s5_section_8_twice_doubles_and_equals_halves_the_slope_of_a_squared():
    guide_says("Section 8: calling `y.backward()` twice doubles the grads.",
               "Section 8 shows that `=` instead of `+=` gets the slope of $a^2$ wrong by half.")
    lesson = run_cells("notebooks/05-backpropagation.ipynb", "class TinyValue", "def tiny_add(",
                       "def topological_order(", "def tiny_backward(", "def backward_overwriting(")
    TinyValue, overwriting = lesson["TinyValue"], lesson["backward_overwriting"]
    wrong, right = TinyValue(3.0), TinyValue(3.0)
    overwriting(wrong * wrong)
    (right * right).backward()
    assert right.grad == 6.0 and wrong.grad == right.grad / 2
    from nnlib.engine import Value
    a, b = Value(2.0), Value(3.0)
    y = a * b
    y.backward()
    once = (a.grad, b.grad)
    y.backward()
    assert (a.grad, b.grad) == (2 * once[0], 2 * once[1])


def test_s5_without_zero_grad_the_loss_stalls_at_0_100_and_the_weights_blow_up():
    guide_says("**The figure in section 9**: without `zero_grad()` the loss stalls at 0.100 and the "
               "weights blow up.")
    lesson = run_cells("notebooks/05-backpropagation.ipynb", "def loss_of(", "net = MLP(2, [8, 1]",
                       "forgetful = MLP(2, [8, 1]")
    stuck = lesson["forgetful_losses"]
    assert round(stuck[-1], 3) == 0.100 and round(stuck[-10], 3) == 0.100
    largest = {name: max(abs(p.data) for p in lesson[name].parameters()) for name in ("net", "forgetful")}
    assert largest["forgetful"] > 4 * largest["net"]          # 24.6 against 4.3


def test_s5_numerical_gradients_take_hours_per_step_for_a_million_weights():
    guide_says("Section 1's estimate: two forward passes per weight, hours per step for a million weights.")
    lesson = run_cells("notebooks/05-backpropagation.ipynb", "runs = 0", "n_weights = 1_000_000")
    assert lesson["runs"] == 2 * len(lesson["w"])
    assert lesson["n_weights"] == 1_000_000 and 1 < lesson["hours"] < 24


# ======================================================= session 6 · lesson 06 ==

def test_s6_over_fitting_test_loss_climbs_from_about_epoch_20_and_90_percent_stops_it():
    guide_says("**Playground**: moons, noise 0.5, training data 10%, 4 hidden layers of 8, learning rate "
               "0.316. The train loss keeps falling while the test loss climbs from about epoch 20.",
               "Moving training data to 90% and pressing Reset stops the test loss from climbing")
    w = Playground(dataset="moons", noise=0.5, train_percent=10, hidden_layers=4, neurons=8,
                   lr=10 ** -0.5)
    assert format(w.lr.value, w.lr.readout_format) == "0.316"
    train = play(w, 100)                                  # to epoch 300
    test = np.array(w.history["test_loss"])
    lowest = int(np.argmin(test))                         # history[0] is epoch 0
    assert 15 <= lowest <= 25                             # 18
    assert test[-1] > 1.5 * test[lowest] and np.all(np.diff(test[lowest::30]) > 0)
    windows = [train[start:start + 50].mean() for start in range(lowest, len(train) - 49, 50)]
    assert windows == sorted(windows, reverse=True) and train[-1] < train[lowest]
    w.train_percent.value = 90
    w.reset_button.click()
    assert w.epoch == 0 and len(w.X_train) == 180
    play(w, 100)
    test = np.array(w.history["test_loss"])
    assert test[-100:].mean() < test[1:101].mean() and test[-1] < test[lowest]


def test_s6_section_4_plateau_near_0_35_for_about_150_epochs_then_a_drop():
    guide_says("**The loss curve in section 4**: it sits on a plateau near 0.35 for about 150 epochs, "
               "then drops again once the boundary finds the bend.")
    lesson = run_cells("notebooks/06-putting-it-together.ipynb", 'X, y = make_dataset("moons"',
                       "X_train, X_test, y_train, y_test = train_test_split(",
                       "optimizer = SGD(lr=0.5)\nlosses = []")
    losses = np.array(lesson["losses"])
    plateau = losses[10:150]
    assert np.all((plateau > 0.3) & (plateau < 0.4)) and plateau[0] - plateau[-1] < 0.05
    assert losses[-1] < 0.5 * plateau[-1]


def test_s6_linear_layers_draw_one_straight_line_and_no_hidden_layer_stalls_at_56():
    guide_says("**Playground**: 2 hidden layers with activation `linear`, on XOR or circles: the boundary "
               "stays a straight line. With 0 hidden layers, XOR stalls near 56%.")
    grid = np.stack(np.meshgrid(np.linspace(-1.5, 1.5, 7), np.linspace(-1.5, 1.5, 7)), axis=-1).reshape(-1, 2)
    A = np.column_stack([grid, np.ones(len(grid))])
    for dataset in ("xor", "circles"):
        w = Playground(dataset=dataset, activation="linear")
        assert w.hidden_layers.value == 2
        play(w, 20)
        z = w.model.forward(grid)[:, 0]
        fit = A @ np.linalg.lstsq(A, z, rcond=None)[0]
        assert np.allclose(z, fit, atol=1e-9)          # the logit is a plane: its zero line is straight
    w = Playground(hidden_layers=0)
    play(w, 100)
    assert round(w.scores["train_accuracy"], 2) == 0.56
    assert max(w.history["train_loss"][-30:]) - min(w.history["train_loss"][-30:]) < 0.01   # stalled


def test_s6_circles_at_learning_rate_3_16_the_loss_jumps_between_0_3_and_3_8():
    guide_says("**Playground**, circles with tanh, batch size 10, learning rate 3.16: the training loss "
               "jumps around between about 0.3 and 3.8 for 300 epochs.")
    w = Playground(dataset="circles", activation="tanh", batch_size=10)
    w.lr.value = notch(w.lr, 3.16)
    assert format(w.lr.value, w.lr.readout_format) == "3.16"
    losses = play(w, 100)[1:]                             # epochs 1 to 300
    assert round(losses.min(), 1) == 0.3 and round(losses.max(), 1) == 3.8
    assert np.sum(np.diff(losses) > 0.1) > 50              # up and down, all the way
    assert np.sum(np.diff(losses[-100:]) > 0.1) > 15


def test_s6_card_3_a_lower_learning_rate_calms_the_loss_at_once_without_reset():
    guide_says("Card 3: lower the learning rate while it plays (to 0.316, say); the widget takes the new "
               "rate at once, without Reset, and the jumps stop whenever you do it.",
               "The learning rate is the cause; lower it and the jumps stop.")
    for ticks in (10, 40, 80):                             # whenever the class gets to it
        w = Playground(dataset="circles", activation="tanh", batch_size=10, lr=10 ** 0.5)
        before = play(w, ticks)
        assert np.sum(np.diff(before) > 0.1) >= ticks // 5             # it jumps
        w.lr.value = notch(w.lr, 0.316)
        assert w.optim.lr == w.lr.value and w.epoch == 3 * ticks       # taken at once, no Reset
        after = play(w, 34)[3 * ticks + 10:]                           # ~100 epochs, the first 10 aside
        assert np.all(np.diff(after) < 0.1) and after.max() < 1.0
        assert not w.rising


def test_s6_card_3_full_batches_chosen_while_it_plays_calm_it_only_early_on():
    guide_says("The *Notice* list's other remedy, `full` batches, is no sure cure: chosen while it plays it "
               "calms the loss only early on, and after a Reset the loss still jumps until about epoch 200.")
    rises = {}
    for ticks in (10, 50):                                 # epoch 30, epoch 150
        w = Playground(dataset="circles", activation="tanh", batch_size=10, lr=10 ** 0.5)
        play(w, ticks)
        w.batch_size.value = "full"                        # no Reset
        after = play(w, 34)[3 * ticks + 3:]                # ~100 epochs
        rises[ticks] = int(np.sum(np.diff(after) > 0.1))
    assert rises[10] <= 2 and rises[50] > 20, rises


def test_s6_card_2_spirals_2_layers_of_8_reach_92_and_of_6_only_78_after_900_epochs():
    guide_says("Solve the spirals with as few neurons as you can, reaching 90% test accuracy.",
               "in our runs, 2 hidden layers of 8 reached 92% test accuracy after 900 epochs, and 2 layers "
               "of 6 only 78%.")
    reached = {}
    for neurons in (8, 6):
        w = Playground(dataset="spirals", hidden_layers=2, neurons=neurons)
        play(w, 300)
        assert w.epoch == 900
        reached[neurons] = round(w.scores["test_accuracy"], 2)
    assert reached == {8: 0.92, 6: 0.78}


def test_s6_binary_cross_entropy_starts_near_0_69():
    guide_says("Section 3: binary cross-entropy (the 0.69 rule of thumb)",
               "A fresh two-class network starts near a loss of 0.69.")
    assert round(-np.log(0.5), 2) == 0.69
    assert "probability of the correct class  0.5:  loss -log(p) = 0.693" in printed(
        "notebooks/06-putting-it-together.ipynb")
    for dataset in ("xor", "moons", "circles", "spirals"):
        assert abs(Playground(dataset=dataset).scores["train_loss"] - 0.69) < 0.1, dataset


# ======================================================= session 7 · lesson 07 ==

def test_s7_cross_entropy_below_0_5_by_epoch_7_the_squared_error_at_214():
    guide_says("from output 0.998 with label 0, cross-entropy is below 0.5 by epoch 7, the squared error "
               "only at epoch 214.")
    runs = run_cells("notebooks/07-training-well.ipynb", "def train_neuron(", "runs = {loss")["runs"]
    assert all(round(a[0], 3) == 0.998 for a in runs.values())
    assert int(np.argmax(np.array(runs["cross-entropy"]) < 0.5)) == 7
    assert int(np.argmax(np.array(runs["squared error"]) < 0.5)) == 214


def test_s7_equal_weights_stay_identical_columns_after_300_epochs():
    guide_says("**Section 2's first cell**: after 300 epochs the four hidden neurons' weights are still "
               "identical columns.")
    same = run_cells("notebooks/07-training-well.ipynb", "same = mlp(")["same"]
    W1 = same.layers[0].W
    assert W1.shape == (2, 4) and np.allclose(W1, W1[:, :1]) and not np.allclose(W1, 0.5)


def test_s7_init_explorer_table_tanh_fades_at_0_01_and_relu_needs_he():
    guide_says("**InitExplorer**, tanh, weight std 0.01: layer 8's activations are about $10^{-9}$ and "
               "every gradient about $10^{-11}$.",
               "**InitExplorer**, relu: Xavier lets the signal fade (0.59 to 0.045 over 8 layers); He keeps "
               "it (0.83 to 0.72).")
    from nnlib.widgets import InitExplorer
    w = InitExplorer(activation="tanh")
    w.std.value = 0.01
    s = w.state()
    assert 5e-10 < s["activation_std"][-1] < 5e-9 and all(5e-12 < g < 5e-11 for g in s["gradient_rms"])
    w.activation.value = "relu"
    w.xavier_button.click()
    x = w.state()["activation_std"]
    w.he_button.click()
    h = w.state()["activation_std"]
    assert (round(x[0], 2), round(x[-1], 3)) == (0.59, 0.045)
    assert (round(h[0], 2), round(h[-1], 2)) == (0.83, 0.72)


def test_s7_moons_in_other_units_stay_at_0_693_and_learn_when_standardised():
    guide_says("**Section 3**: the moons with feature 2 times 30 plus 100 stay at loss 0.693 at learning "
               "rates 0.01 and 0.1, and end worse (0.874) at 1; standardised, they learn at every rate.")
    (cell,) = [c for c in code_cells("notebooks/07-training-well.ipynb") if "X_units = X *" in c]
    assert "X * np.array([1.0, 30.0]) + np.array([0.0, 100.0])" in cell
    assert "for lr in [0.01, 0.1, 1.0]" in cell
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        lesson = run_cells("notebooks/07-training-well.ipynb",
                           'X, y = make_dataset("moons", n=200, noise=0.1')
        exec(compile(cell, "lesson 07, section 3", "exec"), lesson)
    text = out.getvalue()
    assert "in units, loss after 200 epochs:  lr 0.01: 0.693,  lr 0.1: 0.693,  lr 1.0: 0.874" in text
    standardised = [float(v) for v in re.findall(r"lr [\d.]+: ([\d.]+)", text.split("standardised")[1])]
    assert len(standardised) == 3 and max(standardised) < 0.5


def test_s7_l2_0_03_draws_a_nearly_straight_boundary_and_under_fits():
    guide_says("L2 0.03 gives a nearly straight boundary and a higher training loss than 0.003: "
               "under-fitting.")
    lesson = run_cells("notebooks/07-training-well.ipynb", 'X, y = make_dataset("moons", n=200, noise=0.35',
                       "decay_runs = {}")
    runs, X = lesson["decay_runs"], lesson["X_train"]
    assert runs[0.03][1].loss[-1] > runs[0.003][1].loss[-1]
    g = np.linspace(X.min(axis=0), X.max(axis=0), 60)
    grid = np.stack(np.meshgrid(g[:, 0], g[:, 1]), axis=-1).reshape(-1, 2)
    A = np.column_stack([grid, np.ones(len(grid))])

    def straight(net):
        """How often the net's side of the boundary is the side of the best-fitting straight line."""
        z = net.forward(grid)[:, 0]
        return np.mean((A @ np.linalg.lstsq(A, z, rcond=None)[0] > 0) == (z > 0))

    assert straight(runs[0.03][0]) > 0.99 > 0.95 > straight(runs[0.003][0])


# ======================================================= session 8 · lesson 08 ==

def test_s8_the_data_13_writers_and_0_to_16_ink_per_pixel():
    guide_says("the data (13 writers, 0–16 ink per pixel)")
    assert "13 of the 43 people" in " ".join((ROOT / "nnlib" / "datasets" / "README.md").read_text().split())
    says(8, "this set holds those of 13 writers")
    from nnlib.data import digit_images
    images, _ = digit_images()
    assert images.min() == 0 and images.max() == 16 and len(np.unique(images)) == 17


def test_s8_the_loss_starts_near_log_10_and_the_test_accuracy_is_near_98():
    guide_says("the loss starts near $\\log 10 \\approx 2.30$; train it (about a second); the test "
               "accuracy near 98%",
               "**Section 8**: 4 of the 11 mistakes were made with more than 90% for the wrong digit.")
    lesson = run_cells("notebooks/08-handwritten-digits.ipynb", "X_train, X_test, y_train, y_test = digits(",
                       "untrained = mlp(", 'model = mlp([64, 32, 10], activation="tanh"')
    from nnlib.losses import softmax_cross_entropy
    from nnlib.train import accuracy, predict_proba
    start = softmax_cross_entropy(lesson["untrained"].forward(lesson["X_train"]), lesson["y_train"])
    assert abs(start - np.log(10)) < 0.05 and round(np.log(10), 2) == 2.30
    model, X_test, y_test = lesson["model"], lesson["X_test"], lesson["y_test"]
    assert round(accuracy(model, X_test, y_test, loss="softmax_ce") * 100) in (97, 98, 99)
    P = predict_proba(model, X_test, loss="softmax_ce")
    wrong = np.flatnonzero(P.argmax(axis=1) != y_test)
    assert len(wrong) == 11 and np.sum(P[wrong].max(axis=1) > 0.9) == 4


def test_s8_the_digit_drawer_reads_a_blank_page_as_a_4_with_35_percent():
    guide_says("**DigitDrawer**: the blank page is read as a 4 with 35%.")
    from nnlib.widgets import DigitDrawer
    w = DigitDrawer()
    w.draw(np.full((8, 8), 16))                 # some ink first, then Clear
    w.clear_button.click()
    s = w.state()
    assert not np.any(s["image"]) and s["prediction"] == 4 and round(s["confidence"], 2) == 0.35


# ======================================================= session 9 · lesson 09 ==

def lesson_09_counting():
    return run_cells("notebooks/09-words.ipynb", "train_names, test_names = names(", "vocab = Vocabulary(",
                     "N = bigram_counts(", "P = bigram_probs(N, alpha=1.0)", "X1, y1 = make_pairs(",
                     "P_raw = bigram_probs(")


def test_s9_log_27_and_the_13_unseen_pairs_and_2_33_against_2_34():
    guide_says("what would 27 classes start at? ($\\log 27 = 3.30$)",
               "the 13 unseen held-out pairs that make the unsmoothed loss infinite",
               "without smoothing, the counting model fits its own training names a little better than with "
               "smoothing (2.33 against 2.34; the 2.33 is not printed in the lesson), yet its held-out loss "
               "is infinite (13 unseen pairs)")
    assert round(np.log(27), 2) == 3.30
    from nnlib.language import nll
    lesson = lesson_09_counting()
    P_raw, X1, y1 = lesson["P_raw"], lesson["X1"], lesson["y1"]
    unsmoothed = nll(P_raw[X1[:, 0].astype(int)], y1)
    assert (round(unsmoothed, 2), round(lesson["bigram_train"], 2)) == (2.33, 2.34)
    assert lesson["unseen"].sum() == 13
    assert nll(P_raw[lesson["X1_test"][:, 0].astype(int)], lesson["y1_test"]) == np.inf
    assert not re.search(r"(?<![\d.])2\.33(?!\d)", printed("notebooks/09-words.ipynb"))


def test_s9_the_lookups_of_n_5_in_anna_3_in_two_contexts_and_their_sum_25_28():
    guide_says("count the lookups of \"n\" in \"anna\" (5, *Check yourself* 3), then in the lesson's two "
               "contexts \".an\" and \"ann\" (3)",
               "`np.add.at` gives row \"n\" the sum of its three pieces from \".an\" and \"ann\", $(25, 28)$ "
               "in the lesson's example.",
               "`Dense(27, 2)` on a one-hot \"n\" gives exactly row `C[n]`")
    lesson = run_cells("notebooks/09-words.ipynb", "train_names, test_names = names(", "vocab = Vocabulary(",
                       "emb = Embedding(27, dim=2",
                       "layer = Dense(27, 2, seed=0)", 'i = vocab.index["n"]')
    from nnlib.language import make_pairs
    vocab, n = lesson["vocab"], lesson["vocab"].index["n"]
    X, _ = make_pairs(["anna"], vocab, context=3)
    assert np.sum(X == n) == 5 and np.sum(lesson["X2"] == n) == 3
    assert lesson["emb"].dC[n].tolist() == [25.0, 28.0]
    layer, one_hot = lesson["layer"], lesson["one_hot"]
    assert np.array_equal(layer.forward(one_hot)[0], layer.W[n])


def test_s9_held_out_2_37_and_2_29_and_the_vowels_cluster():
    guide_says("the held-out losses 2.37 and 2.29, the embeddings where the vowels cluster",
               "the vowels end up together (mean distance 0.76 against 2.00 to the consonants)",
               "training for 8 epochs")
    lesson = run_cells("notebooks/09-words.ipynb", "train_names, test_names = names(", "vocab = Vocabulary(",
                       "N = bigram_counts(", "P = bigram_probs(N, alpha=1.0)", "X1, y1 = make_pairs(",
                       "X_train, y_train = make_pairs(", "history = fit(", "C_table = model.layers[0].C",
                       "vowels = [vocab.index[ch]")
    assert lesson["history"].epochs == 8
    assert (round(lesson["bigram_test"], 2), round(lesson["history"].test_loss[-1], 2)) == (2.37, 2.29)
    dist, vowels, consonants = lesson["dist"], lesson["vowels"], lesson["consonants"]
    within = dist[np.ix_(vowels, vowels)][np.triu_indices(5, 1)].mean()
    across = dist[np.ix_(vowels, consonants)].mean()
    assert (round(within, 2), round(across, 2)) == (0.76, 2.00)


def test_s9_namelab_after_ann_e_gets_77_percent_at_0_5_and_23_at_2():
    guide_says("**NameLab**: the model is the same; after `ann`, \"e\" gets 77% at 0.5 and 23% at 2.0, only "
               "the sharpness of the same probabilities changes.")
    from nnlib.widgets import NameLab
    w = NameLab(prefix="ann", temperature=0.5)
    sharp = w.state()
    w.temperature.value = 2.0
    flat = w.state()
    assert sharp["top"][0][0] == flat["top"][0][0] == "e"
    assert round(sharp["probabilities"]["e"], 2) == 0.77 and round(flat["probabilities"]["e"], 2) == 0.23
    order = lambda s: sorted(s["probabilities"], key=s["probabilities"].get)  # noqa: E731
    assert order(sharp) == order(flat)                  # the same ranking, only sharper or flatter


# ============================================== the guide's pointers into lessons ==

def check_yourself(number, k):
    """Question k of lesson `number`'s Check yourself, without its answer."""
    text = lesson_text(number)
    section = text[text.rindex("Check yourself **1.**"):]
    start = section.index(f"**{k}.**")
    return section[start:section.index("<details>", start)]


@pytest.mark.parametrize("guide, lesson, k, question", [
    ("Exit question: *Check yourself* 2 (why scaling the weights cannot fix XOR)", 1, 2, "rescaling"),
    ("Recall: *Check yourself* 1 of lesson 01 (weights for NOR)", 1, 1, "**NOR**"),
    ("Exit question: *Check yourself* 5 (the 20-layer sigmoid network)", 2, 5,
     "20-layer network with sigmoid"),
    ("*Check yourself* 3: $\\tanh(z) = 2\\sigma(2z) - 1$", 2, 3, "\\tanh(z) = 2\\,\\sigma(2z) - 1"),
    ("Recall: *Check yourself* 2 of lesson 02 (why a ReLU with a very negative bias stops learning)", 2, 2,
     "ReLU neuron with a very negative bias"),
    ("Exit question: *Check yourself* 2 (9 linear hidden layers of width 100 and a linear output: how many "
     "straight lines?)", 3, 2, "9 linear hidden layers of width 100"),
    ("Recall: *Check yourself* 5 of lesson 03 (the theorem does not say training finds the weights)", 3, 5,
     "Does that mean training"),
    ("Exit question: *Check yourself* 2 (why momentum helps in a long, narrow valley)", 4, 2,
     "momentum help in a long, narrow valley"),
    ("the critical rate for $3x^2$ (*Check yourself* 3;", 4, 3, "$f(x) = 3x^2$"),
    ("Recall: *Check yourself* 4 of lesson 04 (why minus the gradient)", 4, 4, "*minus* the gradient"),
    ("Exit question: *Check yourself* 4 ($L = (a + b)(a - b)$ by graph)", 5, 4,
     "$L = (a + b) \\cdot (a - b)$"),
    ("Recall: *Check yourself* 3 of lesson 05 (what goes wrong without `zero_grad()`)", 5, 3,
     "forget `zero_grad()`"),
    ("Recall: *Check yourself* 1 of lesson 06 (the test loss that rises at epoch 300)", 6, 1,
     "test loss started rising at epoch 300"),
    ("Exit question: *Check yourself* 3 (the 20-layer relu network with Xavier's std)", 7, 3,
     "relu network of 20 layers, initialised with Xavier's std"),
    ("Exit question: *Check yourself* 2 (a ten-class network that starts at loss 9.7)", 8, 2, "9.7"),
    ("Recall: *Check yourself* 2 of lesson 08 (a ten-class loss starts near $\\log 10$)", 8, 2, "2.30"),
    ("count the lookups of \"n\" in \"anna\" (5, *Check yourself* 3)", 9, 3,
     "how many times is row \"n\" of $C$ looked up for the name \"anna\""),
    ("Exit question: *Check yourself* 5 (names at a temperature near 0 and a very high one)", 9, 5,
     "temperature near 0, and at a very high temperature"),
])
def test_the_check_yourself_questions_the_guide_names_are_those_questions(guide, lesson, k, question):
    guide_says(guide)
    assert question in check_yourself(lesson, k)


def test_each_lesson_estimates_40_to_60_minutes_and_05_is_the_longest():
    guide_says("Each lesson from 01 on estimates 40 to 60 minutes for one person working alone.",
               "Lesson 05, the longest", "This is the heaviest lesson (about 60 minutes alone).")
    minutes = {}
    for number in range(1, 10):
        found = re.search(r"\*\*Time:\*\* about (\d+) minutes", lesson_text(number))
        assert found, f"lesson {number:02d} states no time"
        minutes[number] = int(found.group(1))
    assert all(40 <= m <= 60 for m in minutes.values())
    assert minutes[5] == 60 == max(minutes.values())


def test_the_check_messages_the_guide_shows_are_what_the_checks_say():
    guide_says("`✅ RIGHT · or_weights: right — w = (1, 1), b = -0.5 computes OR on all four rows`",
               "❌ NOT YET · or_weights() returned w = (1, 1), b = -1.5\n"
               "     at x = (0, 1): z = -0.5, expected 1, got 0\n"
               "     hint: these weights compute AND: for OR a single 1 must already reach z >= 0. ...")
    from nnlib.checks import lesson01
    from nnlib.checks.base import CheckFailed
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        lesson01.or_weights(lambda: ((1, 1), -0.5))
    assert out.getvalue().strip() == ("✅ RIGHT · or_weights: right — w = (1, 1), b = -0.5 "
                                      "computes OR on all four rows")
    with pytest.raises(CheckFailed) as failed:
        lesson01.or_weights(lambda: ((1, 1), -1.5))
    shown = failed.value._render_traceback_()          # what the notebook shows
    assert shown[:2] == ["❌ NOT YET · or_weights() returned w = (1, 1), b = -1.5",
                         "     at x = (0, 1): z = -0.5, expected 1, got 0"]
    assert shown[2].startswith("     hint: these weights compute AND: "
                               "for OR a single 1 must already reach z >= 0. ")


def test_exercise_points_7_for_01_and_4_for_03():
    guide_says("an exercise is worth as many points as it has check cells "
               "(7 for exercise 01, 4 for exercise 03)")
    for name, expected in (("01-xor", 7), ("03-nonlinearity", 4)):
        cells = json.loads((ROOT / "solutions" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
        checks = [c for c in cells if c["cell_type"] == "code"
                  and c["metadata"].get("nbgrader", {}).get("grade")
                  and not c["metadata"]["nbgrader"].get("solution")]
        assert len(checks) == expected and all(c["metadata"]["nbgrader"]["points"] == 1 for c in checks)


def exercise_parts(name):
    """{number: title} of the tasks and questions of exercises/<name>.ipynb, and its text."""
    cells = json.loads((ROOT / "exercises" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    parts = dict(re.findall(r"^## (?:Task|Question) (\d+) · (.+)$", text, flags=re.M))
    return {int(k): v for k, v in parts.items()}, text


@pytest.mark.parametrize("guide, exercise, titles, written", [
    ("Exercise 01, Tasks 1–4 (the neuron, three gates, why not XOR, XOR from three neurons)", "01-xor",
     {1: "The neuron", 2: "three gates", 3: "Why not XOR", 4: "XOR from three neurons"}, ()),
    ("Tasks 5 and 6 (rescue a badly built hidden layer, split two clouds of points) and the written "
     "question 5b are homework.", "01-xor", {5: "hidden layer", 6: "split two clouds"}, ("5b",)),
    ("Exercise 02, Tasks 1–4 (a stable sigmoid, the slopes of sigmoid and tanh, ReLU and its slope, "
     "measuring a slope)", "02-activation-functions",
     {1: "sigmoid that never overflows", 2: "slopes of sigmoid and tanh", 3: "ReLU and its slope",
      4: "Measure a slope"}, ()),
    ("Homework: Task 5 (where the sigmoid saturates), the written questions 3c and 6.",
     "02-activation-functions", {5: "where does the sigmoid saturate", 6: "The vanishing gradient"}, ("3c",)),
    ("Exercise 03, Tasks 1, 2 and 4 (a dense layer's forward pass, collapsing two layers, a bump)",
     "03-nonlinearity", {1: "A layer is a matrix product", 2: "Two linear layers are one", 4: "bump"}, ()),
    ("Homework: Task 5 (fit a curve with bumps), the written questions 3 and 6.", "03-nonlinearity",
     {5: "fit a curve with bumps", 3: "Deep but linear", 6: "Beyond the samples"}, ()),
    ("Exercise 04, Tasks 1–4 (the gradient of the MSE, descent step by step, momentum, choosing a "
     "learning rate)", "04-gradient-descent",
     {1: "mean squared error", 2: "step by step", 3: "Momentum", 4: "Choose a learning rate"}, ()),
    ("Exercise 05, Tasks 1–3 (the backward rules of $\\times$, tanh and the power)", "05-backpropagation",
     {1: "backward rule of $\\times$", 2: "backward rule of $\\tanh$", 3: "backward rule of a power"}, ()),
    ("Homework: Task 4 (a backward pass by hand), Task 5 (numerical gradient and the relative error), and "
     "the written question 6 (a value used twice).", "05-backpropagation",
     {4: "A backward pass by hand", 5: "Checking gradients", 6: "A value used twice"}, ()),
    ("Exercise 07, Tasks 1–4 (the cross-entropy gradient, an initialiser, L2's gradient, early stopping)",
     "07-training-well", {1: "gradient of cross-entropy", 2: "Xavier and He", 3: "L2 weight decay",
                          4: "early-stopping"}, ()),
    ("Exercise 08, Tasks 1–4 (stable softmax, its cross-entropy gradient, the training loop to 95%, a "
     "confusion matrix)", "08-handwritten-digits",
     {1: "softmax that never overflows", 2: "gradient of softmax cross-entropy",
      3: "The training loop: 95%", 4: "confusion matrix"}, ()),
    ("Exercise 09, Tasks 1–5 (the pairs, the lookup forward and backward, sampling, the held-out loss)",
     "09-words", {1: "pairs", 2: "lookup, forward", 3: "lookup, backward", 4: "Sampling", 5: "held-out loss"},
     ()),
])
def test_the_exercise_tasks_the_guide_assigns_are_those_tasks(guide, exercise, titles, written):
    guide_says(guide)
    parts, text = exercise_parts(exercise)
    for number, words in titles.items():
        assert words in parts.get(number, ""), (exercise, number, parts.get(number))
    for label in written:
        assert f"**Question {label}.**" in text


def test_exercise_01_task_4_fails_with_wrong_or_weights_too():
    guide_says("Exercise 01's Task 4 calls the student's own `neuron` and gate weights, so wrong OR weights "
               "fail Task 4 too. Fix the earliest ❌ first.",
               "A student whose OR weights are wrong loses Task 4's point as well")
    from nnlib.checks import lesson01
    from nnlib.checks.base import CheckFailed
    answers = run_cells("solutions/01-xor.ipynb", "def neuron(", "def and_weights(", "def or_weights(",
                        "def nand_weights(", "def xor_network(")
    with contextlib.redirect_stdout(io.StringIO()):
        lesson01.xor_network(answers["xor_network"])              # the model answer passes
    exec("def or_weights():\n    return [1, 1], -1.5\n", answers)  # AND's weights where OR's belong
    with pytest.raises(CheckFailed):
        lesson01.or_weights(answers["or_weights"])                # Task 2 says so ...
    with pytest.raises(CheckFailed):
        lesson01.xor_network(answers["xor_network"])              # ... and so does Task 4


def test_an_untouched_stub_is_not_started_and_both_failures_are_assertion_errors():
    guide_says("⏳ **not started**: the stub still raises `NotImplementedError`.",
               "Both failures are `AssertionError` subclasses (`CheckFailed`, and `NotImplementedYet` "
               "for ⏳).")
    from nnlib.checks import lesson01
    from nnlib.checks.base import CheckFailed, NotImplementedYet
    assert issubclass(CheckFailed, AssertionError) and issubclass(NotImplementedYet, AssertionError)

    def or_weights():
        raise NotImplementedError()

    with pytest.raises(NotImplementedYet) as failed:
        lesson01.or_weights(or_weights)
    assert failed.value._render_traceback_()[0].startswith("⏳ NOT STARTED · ")
