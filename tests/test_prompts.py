"""Every "Try this" / "Notice" prompt of lessons 01-06 that states a number: the widget, driven
headless to the prompt's setting, shows that number.

Each test first finds the prompt's words in the lesson (so that a changed sentence fails here
until its test is changed too), then sets the widget's controls as the prompt says and reads
the figure from the widget's own state, as the learner reads it from the picture.
"""
import json
from pathlib import Path

import numpy as np

from nnlib.widgets import (ActivationExplorer, BackpropStepper, DescentExplorer, Playground,
                           UniversalApproximation)
from nnlib.widgets.perceptron import HiddenSpaceWidget, PerceptronWidget

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def lesson_text(number):
    """All the markdown of lesson `number`, with every run of white space made one space."""
    (path,) = NOTEBOOKS.glob(f"{number:02d}-*.ipynb")
    cells = json.loads(path.read_text())["cells"]
    return " ".join(" ".join("".join(c["source"]).split()) for c in cells
                    if c["cell_type"] == "markdown")


def says(number, *phrases):
    """Assert that lesson `number` says each phrase (white space does not matter)."""
    text = lesson_text(number)
    for phrase in phrases:
        assert " ".join(phrase.split()) in text, f"lesson {number:02d} no longer says: {phrase!r}"


# ================================================================ lesson 01 ==

def test_01_the_and_widget_starts_at_2_of_4_and_doubling_changes_nothing():
    says(1, "it starts at $w_1 = w_2 = 1$, $b = -0.5$: only 2 of 4 right",
         "Multiply all three numbers by 2 (say $1, 1, -1.5 \\to 2, 2, -3$)",
         "Doubling all three leaves the line and every answer unchanged")
    w = PerceptronWidget(gate="AND")
    assert w.state()["correct"] == 2 and w.state()["predictions"] == [0, 1, 1, 1]
    w.b.value = -1.5
    before = w.state()
    w.w1.value, w.w2.value, w.b.value = 2.0, 2.0, -3.0
    after = w.state()
    assert before["correct"] == after["correct"] == 4
    assert before["predictions"] == after["predictions"]


def test_01_xor_never_gets_past_3_of_4():
    says(1, "For XOR you never get past **3/4**")
    w = PerceptronWidget(gate="XOR")
    picture = w.render()
    w.render = lambda: picture  # the counts are what matters here, not 1,000 pictures
    best = 0
    for w1 in np.linspace(w.w1.min, w.w1.max, 11):
        for w2 in np.linspace(w.w2.min, w.w2.max, 11):
            for b in np.linspace(w.b.min, w.b.max, 11):
                w.w1.value, w.w2.value, w.b.value = w1, w2, b
                best = max(best, w.state()["correct"])
    assert best == 3


def test_01_hidden_space_moves_the_points_and_the_two_breaks():
    says(1, "Drag **h2: b** from 1.5 up to 2.5",
         "$(0,1)$ and $(1,0)$ share one hidden spot, on the 1 side of the line",
         "With $b = 2.5$, $h_2$ says 1 for every input, so $(1,1)$ lands on the same spot as the 1s",
         "drag **h1: b** from $-0.5$ down to $-1.5$ (so $h_1$ becomes an AND)",
         "With $h_1$ = AND, a 0 and a 1 land on the *same* hidden spot")
    w = HiddenSpaceWidget()
    s = w.state()
    assert s["hidden"][1] == s["hidden"][2] and s["correct"] == 4   # (0,1), (1,0) together
    w.sliders["h2"][2].value = 2.5
    s = w.state()
    assert s["hidden"][3] == s["hidden"][1] and s["predictions"][3] == 1 and s["correct"] == 3
    w.sliders["h2"][2].value = 1.5
    w.sliders["h1"][2].value = -1.5
    s = w.state()
    targets = [0, 1, 1, 0]
    shared = [(i, j) for i in range(4) for j in range(i + 1, 4)
              if s["hidden"][i] == s["hidden"][j] and targets[i] != targets[j]]
    assert shared and s["correct"] < 4


# ================================================================ lesson 02 ==

def test_02_big_weights_saturate_more_than_half_the_square_small_ones_almost_nothing():
    says(2, "With **sigmoid**, set $w_1 = w_2 = 3$. Then set them to $0.3$",
         "more than half the square is striped", "Small weights: almost nothing is saturated")
    w = ActivationExplorer(activation="sigmoid")
    w.w1.value = w.w2.value = 3.0
    assert w.state()["saturated_fraction"] > 0.5
    w.w1.value = w.w2.value = 0.3
    assert w.state()["saturated_fraction"] < 0.01


def test_02_relu_is_dead_on_a_half_plane_and_almost_everywhere_at_b_minus_3():
    says(2, "Switch to **relu** with $b = 0$, then drag $b$ down to $-3$",
         "ReLU is dead on a whole **half-plane**", "until almost the whole square is dead")
    w = ActivationExplorer(activation="relu", b=0.0)
    assert 0.45 < w.state()["saturated_fraction"] < 0.55
    w.b.value = -3.0
    assert w.state()["saturated_fraction"] > 0.9


def test_02_leaky_relu_is_marked_saturated_but_keeps_a_1_percent_slope():
    says(2, "Switch to **leaky_relu** and repeat the last step",
         "Leaky ReLU's negative side is still marked saturated (its slope 0.01 is only 1% of the other\n"
         "side's), but it is not **zero**")
    from nnlib.activations import get_activation
    w = ActivationExplorer(activation="leaky_relu", b=-3.0)
    assert w.state()["saturated_fraction"] > 0.9
    _, slope = get_activation("leaky_relu")
    assert slope(np.array([-2.0]))[0] == 0.01 and slope(np.array([2.0]))[0] == 1.0


def test_02_step_saturated_everywhere_and_the_output_ranges():
    says(2, "The step is saturated **everywhere**",
         "tanh's outputs run from $-1$ to $1$, sigmoid's from 0 to 1; GELU dips slightly below 0")
    w = ActivationExplorer(activation="step")
    for w1 in (0.3, 3.0):
        w.w1.value = w1
        assert w.state()["saturated_fraction"] == 1.0
    w = ActivationExplorer(activation="tanh", w1=3.0, w2=3.0)
    low, high = w.state()["output_range"]
    assert low < -0.99 and high > 0.99
    w.activation.value = "sigmoid"
    low, high = w.state()["output_range"]
    assert 0 <= low < 0.01 and 0.99 < high <= 1
    w.activation.value = "gelu"
    low, _ = w.state()["output_range"]
    assert -0.2 < low < 0


# ================================================================ lesson 03 ==

def mse(target, activation, n):
    return UniversalApproximation(target=target, n_units=n, activation=activation).state()["mse"]


def test_03_five_tanh_units_cut_the_error_more_than_a_hundredfold():
    says(3, "by N = 5 the curve is almost on the dots, and the error has fallen more than a hundredfold",
         "N = 2 is no better than N = 1")
    assert mse("sine", "tanh", 1) / mse("sine", "tanh", 5) > 100
    assert mse("sine", "tanh", 2) >= 0.999 * mse("sine", "tanh", 1)


def test_03_linear_units_are_stuck_at_0_21():
    says(3, "the blue line stays straight whatever N is, and from N = 1 on its error is stuck at 0.21")
    errors = [mse("sine", "linear", n) for n in range(1, 21)]
    assert all(round(e, 2) == 0.21 for e in errors)
    assert round(mse("sine", "linear", 0), 2) != 0.21   # N = 0, the slider's left end: no unit at all


def test_03_the_step_target_shrinks_slowly_and_abs_with_two_relus_is_exact():
    says(3, "Pick target `step` with `tanh` and try N = 3, 10, 20", "The error shrinks slowly",
         "Pick target `abs` ($|x|$, a V shape) with `relu`, N = 2",
         "the title shows an error like `5.6e-31`")
    step = [mse("step", "tanh", n) for n in (3, 10, 20)]
    assert step[0] > step[1] > step[2] > 0.1 * step[0]   # falls, but not a hundredfold
    assert mse("abs", "relu", 2) < 1e-20


# ================================================================ lesson 04 ==

def explorer(surface="parabola", lr=None, momentum=0.0, steps=None, x0=None, w=None):
    """Lesson 04's DescentExplorer with its controls set as a prompt says.

    w: the explorer whose controls to move, as a learner tries a prompt's settings one
    after another on one widget; None makes a new one on `surface`.
    """
    if w is None:
        w = DescentExplorer(surface=surface)
    if lr is not None:
        w.lr.value = lr
    w.momentum.value = momentum
    if steps is not None:
        w.steps.value = steps
    if x0 is not None:
        w.x0.value = x0
    return w


def test_04_parabola_learning_rates_from_smooth_to_diverging():
    says(4, "stop at 0.316, 0.501, 0.891, 1, 1.12 and 1.41",
         "its first step lands at $x = -0.004$", "bounces between $1.8$ and $-1.8$ forever",
         "(the note says *Bouncing*)", "from 3.24 to about $10^{10}$ in 50 steps",
         "at 1.41 it **diverges** after 22 steps")
    says(4, "At 0.316 each step multiplies $x$ by $1 - 2\\eta \\approx 0.37$")
    w = explorer(lr=10 ** -0.5)
    path = w.result.path[:, 0]
    assert np.allclose(path[1:6] / path[:5], 0.37, atol=0.005) and np.all(path > 0)
    explorer(lr=10 ** -0.3, w=w)
    assert round(w.result.path[1][0], 3) == -0.004
    explorer(lr=10 ** -0.05, w=w)
    assert not w.state()["diverged"] and w.state()["final_loss"] < 1e-3
    explorer(lr=1.0, w=w)
    assert {round(float(x), 6) for x in w.result.path[:, 0]} == {1.8, -1.8}
    assert "Bouncing" in w.state()["note"]
    explorer(lr=10 ** 0.05, w=w)
    first, last = w.result.losses[0], w.state()["final_loss"]
    assert round(first, 2) == 3.24 and 1e9 < last < 1e11
    explorer(lr=10 ** 0.15, w=w)
    assert w.state()["diverged"] and w.state()["steps_taken"] == 22


def test_04_mirror_learning_rates_end_alike_and_a_small_one_is_slow():
    says(4, "0.112 and 0.891 end at almost the **same** loss (about $3 \\times 10^{-11}$ and "
            "$7 \\times 10^{-11}$)", "is still at a loss of 0.43 after 50 steps")
    w = explorer(lr=10 ** -0.95)
    assert round(w.state()["final_loss"] * 1e11) == 3
    assert round(explorer(lr=10 ** -0.05, w=w).state()["final_loss"] * 1e11) == 7
    assert round(explorer(lr=0.01, w=w).state()["final_loss"], 2) == 0.43


def test_04_the_valley_blows_up_above_0_1_and_momentum_has_a_sweet_spot():
    says(4, "In the valley, 0.112 blows up: the loss climbs from 28.6 to about $7 \\times 10^{10}$",
         "momentum 0.3 takes the final loss from about $5 \\times 10^{-4}$ to $3 \\times 10^{-6}$, "
         "and 0.5 to below $10^{-13}$",
         "even worse than with no momentum at all (about $0.13$)")
    w = explorer("valley", lr=10 ** -0.95)
    assert round(w.result.losses[0], 1) == 28.6
    assert 5e10 < w.state()["final_loss"] < 1e11
    loss = {m: explorer(lr=10 ** -1.05, momentum=m, w=w).state()["final_loss"]
            for m in (0.0, 0.3, 0.5, 0.9)}
    assert round(loss[0.0] * 1e4) == 5 and round(loss[0.3] * 1e6) == 3
    assert loss[0.5] < 1e-13
    assert loss[0.9] > loss[0.0] > loss[0.5] and round(loss[0.9], 2) == 0.13


def test_04_two_minima_the_start_decides_and_its_values_dip_below_0():
    says(4, "starts at $x_0 = 0.05$ or further left roll into the **left** minimum",
         "starts at $0.1$ or further right into the **right** one",
         "With momentum 0.9 the ball started at $1.5$ gathers enough speed",
         "Its values dip below 0, to about $-0.305$ at the deeper minimum")
    w = explorer("two minima", x0=0.05)
    assert w.state()["final_point"][0] < 0
    assert explorer(x0=-1.5, w=w).state()["final_point"][0] < 0
    assert explorer(x0=0.1, w=w).state()["final_point"][0] > 0
    assert explorer(x0=1.5, w=w).state()["final_point"][0] > 0
    heavy = explorer(x0=1.5, momentum=0.9, w=w).state()
    assert heavy["final_point"][0] < 0                      # over the ridge, into the deeper one
    settled = explorer(x0=-1.5, w=w).state()
    assert round(settled["final_loss"], 3) == -0.305       # the deeper minimum's value


def test_04_rosenbrock_plain_crawls_and_momentum_arrives():
    says(4, "Set **steps** to 200, then add momentum 0.9",
         "after 200 steps it is still far from $(1, 1)$")
    w = explorer("rosenbrock", steps=200)
    plain = w.state()["final_point"]
    heavy = explorer(steps=200, momentum=0.9, w=w).state()["final_point"]
    assert np.hypot(plain[0] - 1, plain[1] - 1) > 0.1
    assert np.hypot(heavy[0] - 1, heavy[1] - 1) < 0.01


# ================================================================ lesson 05 ==

def stepper_at(step, output=None):
    w = BackpropStepper(output)
    w.step_slider.value = min(step, w.n_steps)
    return w.state()


def test_05_the_neuron_forward_then_backward():
    says(5, "Press **Next** until the forward pass is done (step 10)",
         "The output is $o = \\tanh(-0.25) = -0.2449$", "$o$.grad is 1",
         "tanh passes $(1 - o^2) \\cdot 1 = 0.94$ back to $n$",
         "the $+$ node copies $n$.grad $= 0.94$ unchanged to **both** of its inputs",
         "$w_1$.grad $= x_1 \\cdot 0.94 = 1.88$ and $x_1$.grad $= w_1 \\cdot 0.94 = 0.47$",
         "it is $w_1$, the weight on the largest input")
    s = stepper_at(10)
    assert s["phase"] == "forward" and round(s["data"]["o"], 4) == -0.2449
    assert s["data"]["n"] == -0.25
    s = stepper_at(12)
    assert s["grads"]["o"] == 1.0 and round(s["grads"]["n"], 2) == 0.94
    s = stepper_at(14)
    assert round(s["grads"]["b"], 2) == round(s["grads"]["s"], 2) == 0.94
    s = stepper_at(20)
    assert round(s["grads"]["w1"], 2) == 1.88 and round(s["grads"]["x1"], 2) == 0.47
    weights = {n: abs(g) for n, g in s["grads"].items() if n in ("w1", "w2", "b")}
    assert max(weights, key=weights.get) == "w1"


def test_05_a_saturated_tanh_passes_back_nothing():
    says(5, "with `(s * d).tanh()` every grad is 0, except the output's own (1).", "$\\tanh(20)$ is so saturated")
    from nnlib.engine import Value
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    c, d = Value(-1.0, label="c"), Value(4.0, label="d")
    e = a * b
    s = e + c
    L = (s * d).tanh()
    state = stepper_at(10**6, L)
    assert (s * d).data == 20.0 and state["phase"] == "done"
    assert [state["grads"][n] for n in "abcd"] == [0.0, 0.0, 0.0, 0.0]
    # The unlabelled output, eighth in the order, is v7: its own grad is 1, every other one 0.
    assert state["grads"]["v7"] == 1.0
    assert all(g == 0.0 for name, g in state["grads"].items() if name != "v7")


# ================================================================ lesson 06 ==

def run(ticks, **settings):
    """A Playground with these settings after `ticks` ticks of Play (3 epochs each), and what
    it showed after each tick: scores, epoch, and whether the "loss is higher" warning was up.
    (Only the pictures of the ticks in between are skipped, to save time: the numbers are the
    widget's own, from the same step_epochs that Play calls.)"""
    w = Playground(**settings)
    w.refresh = lambda: None
    history = []
    for _ in range(ticks):
        w.step_epochs()
        history.append(dict(w.scores, epoch=w.epoch, warned="higher than before" in w.message.value))
    del w.refresh
    w.refresh()
    return w, history


def test_06_xor_is_solved_by_epoch_18():
    says(6, "XOR is solved by epoch 18: every training and test point is right")
    _, history = run(6)
    solved = [h["epoch"] for h in history if h["train_accuracy"] == h["test_accuracy"] == 1.0]
    assert solved and solved[0] == 18


def test_06_no_hidden_layer_stalls_near_56_percent_on_xor():
    says(6, "training stalls near 56% on XOR")
    _, history = run(100, hidden_layers=0)
    assert round(history[-1]["train_accuracy"], 2) == 0.56
    assert max(h["train_accuracy"] for h in history) <= 0.56


def test_06_spirals_need_capacity():
    says(6, "let it run to epoch 600",
         "2 layers of 4 neurons are still below 90% after 600 epochs (86% of the training points)",
         "reach 99% on the training points (from about epoch 480)")
    _, small = run(200, dataset="spirals")
    assert small[-1]["epoch"] == 600 and round(small[-1]["train_accuracy"], 2) == 0.86
    _, big = run(200, dataset="spirals", hidden_layers=3, neurons=8)
    reached = [h["epoch"] for h in big if h["train_accuracy"] >= 0.99]
    assert reached and 450 <= reached[0] <= 510 and big[-1]["train_accuracy"] >= 0.99


def test_06_learning_rate_3_jumps_with_small_batches_and_overfits_with_full_ones():
    says(6, "drag the **learning rate** up to 3.16", "run to epoch 300",
         "the training loss **jumps around** between about 0.3 and 3.8 for all 300 epochs",
         "the training accuracy swings between 47% and 88%",
         "from about epoch 40 on the Playground warns that the loss jumped higher than before training",
         "the loss still jumps (between about 0.02 and 1) until about epoch 200",
         "then the training loss falls to 0.006 (every training point right) while the test loss "
         "stays near 0.5 (90% right)")
    settings = dict(dataset="circles", activation="tanh", hidden_layers=2, neurons=4,
                    lr=10 ** 0.5, batch_size=10)
    _, jumpy = run(100, **settings)
    losses = [h["train_loss"] for h in jumpy]
    assert round(min(losses), 1) == 0.3 and round(max(losses), 1) == 3.8
    accuracies = [h["train_accuracy"] for h in jumpy]
    assert round(min(accuracies), 2) == 0.47 and round(max(accuracies), 2) == 0.88
    first_warned = min(h["epoch"] for h in jumpy if h["warned"])
    assert 30 <= first_warned <= 50 and all(h["warned"] for h in jumpy if h["epoch"] >= first_warned)
    _, full = run(100, **{**settings, "batch_size": "full"})
    last_jump = max(h["epoch"] for h in full if h["train_loss"] > 0.2)
    assert 180 <= last_jump <= 220
    before = [h["train_loss"] for h in full if h["epoch"] <= last_jump]
    assert round(min(before), 2) == 0.02 and round(max(before)) == 1
    end = full[-1]
    assert round(end["train_loss"], 3) == 0.006 and end["train_accuracy"] == 1.0
    assert round(end["test_loss"], 1) == 0.5 and round(end["test_accuracy"], 2) == 0.9


def test_06_batch_size_1_solves_xor_in_2_epochs_and_full_batches_stay_below_80_percent():
    says(6, "solves XOR in 2 epochs", "after 100 epochs is still below 80% correct")
    w = Playground(batch_size=1)
    w.step_epochs(1)
    assert w.scores["train_accuracy"] < 1.0
    w.step_epochs(1)
    assert w.epoch == 2 and w.scores["train_accuracy"] == 1.0
    w = Playground(batch_size="full")
    w.refresh = lambda: None
    w.step_epochs(100)
    assert w.scores["train_accuracy"] < 0.8


def test_06_over_fitting_live_and_more_data_as_the_cure():
    says(6, "Run to epoch 300 and watch the *test* loss",
         "the **train loss keeps falling while the test loss climbs** from about epoch 20 on",
         "With 90% for training (180 points) the test loss no longer climbs")
    settings = dict(dataset="moons", noise=0.5, hidden_layers=4, neurons=8, lr=10 ** -0.5,
                    batch_size=10)
    w, few = run(100, train_percent=10, **settings)
    assert len(w.X_train) == 20
    test = [h["test_loss"] for h in few]
    lowest = few[int(np.argmin(test))]["epoch"]
    assert 15 <= lowest <= 25 and few[-1]["test_loss"] > 1.5 * min(test)
    assert few[-1]["train_loss"] < few[lowest // 3 - 1]["train_loss"]
    w, many = run(100, train_percent=90, **settings)
    assert len(w.X_train) == 180
    test = np.array([h["test_loss"] for h in many])
    assert test[-33:].mean() < test[:33].mean() and test[-1] < test[lowest // 3 - 1]


def test_06_the_text_names_the_play_buttons_by_their_symbols_and_the_control_says_them_too():
    says(6, "press ▶ (Play)", "the buttons ▶ (Play), ⏸ (Pause) and ■ (Stop, here the same as Pause; "
            "hover over them to see this), **Step** (3 epochs)")
    w = Playground()
    assert all(word in w.play.tooltip for word in ("▶ Play", "⏸ Pause", "■ Stop"))
    assert w.epochs_per_tick == 3
    w.step_button.click()
    assert w.epoch == 3
