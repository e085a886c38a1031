"""PerceptronWidget and HiddenSpaceWidget: one line cannot do XOR, a hidden layer can."""
import itertools

import numpy as np
import pytest

from nnlib.data import truth_table
from nnlib.widgets.perceptron import (HAND_BUILT, OUTPUT, HiddenSpaceWidget,
                                      PerceptronWidget, perceptron, step_ge)

pytestmark = pytest.mark.filterwarnings("error")

SLIDER_VALUES = np.round(np.arange(-3, 3.01, 0.1), 1)  # every value the sliders can take


def best_correct_over_sliders(gate):
    """Brute force: the most points any slider setting (w1, w2, b) gets right."""
    X, y = truth_table(gate)
    w1, w2, b = (v.reshape(-1, 1) for v in np.meshgrid(*[SLIDER_VALUES] * 3))
    y_hat = perceptron(X[None, :, :], w1, w2, b)  # (settings, 4 points)
    correct = (y_hat == y).sum(axis=1)
    best = int(np.argmax(correct))
    return int(correct[best]), (float(w1[best, 0]), float(w2[best, 0]), float(b[best, 0]))


def set_weights(widget, w1, w2, b):
    widget.w1.value, widget.w2.value, widget.b.value = w1, w2, b


def test_state_describes_the_picture():
    w = PerceptronWidget(gate="AND", w1=1.0, w2=1.0, b=-1.5)
    s = w.state()
    assert s == {"gate": "AND", "w1": 1.0, "w2": 1.0, "b": -1.5, "correct": 4,
                 "predictions": [0, 0, 0, 1]}
    assert w.frame()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "4/4 correct" in w.ax.get_title()


@pytest.mark.parametrize("control, value", [("w1", -1.0), ("w2", 2.5), ("b", 0.7),
                                            ("gate", "NAND")])
def test_every_control_redraws(control, value):
    w = PerceptronWidget()
    before_state, before_frame = w.state(), w.frame()
    getattr(w, control).value = value
    assert w.state() != before_state
    assert w.state()[control] == value
    assert w.frame() != before_frame


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND"])
def test_linearly_separable_gates_can_reach_4_of_4(gate):
    best, setting = best_correct_over_sliders(gate)
    assert best == 4
    w = PerceptronWidget(gate=gate)
    set_weights(w, *setting)
    assert w.state()["correct"] == 4
    assert "All four right" in w.message.value


def test_xor_never_reaches_4_of_4_with_any_slider_setting():
    best, _ = best_correct_over_sliders("XOR")
    assert best == 3  # 3/4 is possible, 4/4 never
    w = PerceptronWidget(gate="XOR")
    for setting in itertools.product([-2.0, 2.0], repeat=3):  # the widget agrees
        set_weights(w, *setting)
        assert w.state()["correct"] <= 3
    assert "no straight line" in w.message.value


def test_widget_counts_like_the_perceptron_function():
    X, y = truth_table("OR")
    w = PerceptronWidget(gate="OR")
    for setting in [(0.5, -1.2, 0.3), (2.0, 2.0, -1.0), (-0.3, 0.8, -0.1)]:
        set_weights(w, *setting)
        y_hat = perceptron(X, *setting)
        assert w.state()["predictions"] == y_hat.tolist()
        assert w.state()["correct"] == int(np.sum(y_hat == y))


def test_a_point_on_the_line_counts_as_1():
    assert step_ge(0.0) == 1 and step_ge(-0.1) == 0
    assert step_ge(0.3 - 0.1 - 0.2) == 1  # -2.8e-17 is a rounding error, really 0
    w = PerceptronWidget(gate="OR", w1=1.0, w2=1.0, b=-1.0)  # (0,1), (1,0) sit on the line
    assert w.state()["predictions"] == [0, 1, 1, 1]


def test_zero_weights_give_a_message_not_an_error():
    w = PerceptronWidget(gate="AND")
    set_weights(w, 0.0, 0.0, 0.5)
    assert w.state()["predictions"] == [1, 1, 1, 1]
    assert "no line" in w.message.value
    assert w.frame()


# ---- the hidden layer ------------------------------------------------------

def test_hand_built_network_solves_xor_in_hidden_space():
    w = HiddenSpaceWidget()
    s = w.state()
    assert s["h1"] == HAND_BUILT["h1"] and s["h2"] == HAND_BUILT["h2"]
    assert s["correct"] == 4 and s["all_correct"] is True
    assert s["predictions"] == [0, 1, 1, 0]
    assert len(set(s["hidden"])) <= 3  # (0,1) and (1,0) land on the same spot
    # One straight line in hidden space, the output unit's, separates the classes.
    H = np.array(s["hidden"], dtype=float)
    _, y = truth_table("XOR")
    assert perceptron(H, *OUTPUT).tolist() == y.tolist()
    assert "4/4 correct" in w.ax_h.get_title()


def test_hidden_sliders_move_the_points_and_reset_restores():
    w = HiddenSpaceWidget()
    before_state, before_frame = w.state(), w.frame()
    w.sliders["h2"][2].value = 3.0  # h2 = 1 everywhere: NAND becomes "always 1"
    s = w.state()
    assert s["h2"] == (-1.0, -1.0, 3.0)
    assert s["hidden"] != before_state["hidden"]
    assert not s["all_correct"]
    assert w.frame() != before_frame
    assert "wrong side" in w.message.value
    w.reset_button.click()
    assert w.state() == before_state
    assert w.frame() == before_frame


def test_reset_draws_one_frame_not_one_per_slider():
    w = HiddenSpaceWidget()
    for slider in w.sliders["h1"] + w.sliders["h2"]:
        slider.value = 2.0
    drawn = w.frames_drawn
    w.reset()  # six sliders move
    assert w.frames_drawn == drawn + 1


@pytest.mark.parametrize("unit", ["h1", "h2"])
@pytest.mark.parametrize("index", [0, 1, 2])
def test_every_hidden_slider_redraws(unit, index):
    w = HiddenSpaceWidget()
    before_state, before_frame = w.state(), w.frame()
    w.sliders[unit][index].value += 0.7
    assert w.state()[unit] != before_state[unit]
    assert w.frame() != before_frame


# ---- found by a mutation audit: messages no test pinned down ----

WARNING = '<span style="color:#b35900">'  # FigureWidget.say's colour for kind="warning"


def test_one_zero_weight_still_draws_a_line_and_counts_the_wrong_points():
    w = PerceptronWidget(gate="AND", w1=0.0, w2=1.0, b=-0.5)  # the line x2 = 0.5
    X, y = truth_table("AND")
    wrong = int(np.sum(perceptron(X, 0.0, 1.0, -0.5) != y))
    assert w.state()["correct"] == 4 - wrong and wrong == 1  # (0, 1) is on the 1 side
    assert "no line" not in w.message.value
    assert "1 point(s) on the wrong side" in w.message.value


def test_the_message_counts_the_wrong_points_not_the_right_ones():
    w = PerceptronWidget(gate="OR", w1=1.0, w2=1.0, b=-1.5)  # that is AND: 2 of 4 wrong for OR
    assert w.state()["correct"] == 2
    assert "2 point(s) on the wrong side" in w.message.value
    w.b.value = -2.5  # all 0: three of OR's 1s are wrong
    assert w.state()["correct"] == 1 and "3 point(s) on the wrong side" in w.message.value


def test_hidden_space_message_is_a_warning_until_xor_is_solved():
    w = HiddenSpaceWidget()
    assert w.state()["all_correct"] and not w.message.value.startswith(WARNING)
    w.sliders["h2"][2].value = -3.0  # h2 is 0 everywhere now: XOR is lost
    assert not w.state()["all_correct"]
    assert w.message.value.startswith(WARNING) and "wrong side of the output line" in w.message.value
