"""InitExplorer: a deep net's activations and gradients, layer by layer, under an initial std.

The numbers the lesson's Try this / Notice prompts quote are measured here, at the
prompts' own settings (notebooks/07-training-well.ipynb, section 3).
"""
import numpy as np
import pytest

from nnlib.layers import init_scale
from nnlib.widgets.init_explorer import (A_RANGE, DEPTH, HE, STD_NOTCH, XAVIER, InitExplorer, histogram,
                                         signals)
from tests.test_prompts import says

pytestmark = pytest.mark.filterwarnings("error")


def notch(k):
    """The weight-std slider's k-th notch above Xavier (k < 0: below)."""
    return 10 ** (np.log10(XAVIER) + k * STD_NOTCH)


def test_the_buttons_values_and_the_lessons_are_notches_of_the_slider():
    """The browser's slider shows the notch nearest its value: the buttons' Xavier and He,
    and the lesson's 0.315, 0.5 and the ends 0.01 and 1, must be notches, or its readout
    would say another number than the button or the lesson (0.126 for 0.125, say)."""
    w = InitExplorer()

    def place(value):                     # the value's place on the slider, in notches from its left end
        return (np.log10(value) - w.std.min) / w.std.step

    def readout(value):                   # what the browser shows: the nearest notch, 3 decimals
        return f"{10 ** (w.std.min + round(place(value)) * w.std.step):.3f}"

    for value in (XAVIER, HE, 0.5, 1.0, notch(8), 10 ** w.std.min, 10 ** w.std.max):
        assert place(value) == pytest.approx(round(place(value)), abs=1e-9), value
    assert [readout(v) for v in (XAVIER, HE, notch(8), 0.5, 0.01, 1.0)] == [
        "0.125", "0.177", "0.315", "0.500", "0.010", "1.000"]
    assert w.xavier_button.description == "Xavier 0.125" and w.he_button.description == "He 0.177"
    says(7, "a log slider from 0.01 to 1", "drag weight std to 0.315 (about 0.3)",
         "drag weight std to 0.5.")


def at(activation, std):
    w = InitExplorer(activation=activation)
    w.std.value = std
    return w.state()


def test_the_buttons_are_the_recipes_of_nnlib():
    assert XAVIER == pytest.approx(init_scale(64, 64, "tanh")) == pytest.approx(0.125)
    assert HE == pytest.approx(init_scale(64, 64, "relu")) == pytest.approx(0.177, abs=1e-3)
    w = InitExplorer(std=0.5)
    w.xavier_button.click()
    assert w.state()["std"] == XAVIER and "Xavier" in w.title.get_text()
    w.he_button.click()
    assert w.state()["std"] == HE and "He" in w.title.get_text()


def test_state_has_one_number_per_layer():
    s = InitExplorer().state()
    per_layer = ("activation_std", "saturated", "gradient_rms", "a_above_axis",
                 "gradient_below_axis", "gradient_above_axis")
    assert set(s) == {"activation", "std", *per_layer}
    assert all(len(s[k]) == DEPTH for k in per_layer)


@pytest.mark.parametrize("control, value", [("std", 0.5), ("activation", "relu"),
                                            ("activation", "sigmoid")])
def test_every_control_redraws(control, value):
    w = InitExplorer()
    before_state, before_frame = w.state(), w.frame()
    getattr(w, control).value = value
    assert w.state() != before_state
    assert w.frame() != before_frame


def test_the_same_settings_give_the_same_numbers():
    assert at("tanh", 0.3) == at("tanh", 0.3)


# ---- the prompts' numbers ------------------------------------------------------------

def test_prompt_xavier_keeps_tanh_alive():
    """Xavier, tanh: layer 1 std 0.63, layer 8 still 0.24; gradients within a factor 2 (0.0014 to 0.0028)."""
    s = at("tanh", XAVIER)
    assert round(s["activation_std"][0], 2) == 0.63
    assert round(s["activation_std"][-1], 2) == 0.24
    g = s["gradient_rms"]
    assert max(g) / min(g) < 2
    assert round(min(g), 4) == 0.0014 and round(max(g), 4) == 0.0028
    assert max(s["saturated"]) < 0.02


def test_prompt_too_small_fades_away():
    """std 0.01, tanh: about 12-fold smaller per layer; layer 8 about 1e-9, gradients about 1e-11.
    Also at the slider's left end (0.0098, read as 0.010), where "all the way down" lands."""
    for std in (0.01, 10 ** InitExplorer().std.min):
        s = at("tanh", std)
        a = s["activation_std"]
        assert all(11 < a[i] / a[i + 1] < 14 for i in range(DEPTH - 1))
        assert 5e-10 < s["activation_std"][-1] < 5e-9
        assert all(5e-12 < g < 5e-11 for g in s["gradient_rms"])
        assert s["activation_std"][0] == pytest.approx(0.08, abs=0.005)


def test_prompt_too_large_saturates_tanh():
    """std 1, tanh: about 72% of layer 8's outputs beyond |a| > 0.99."""
    s = at("tanh", 1.0)
    assert round(s["saturated"][-1], 2) == 0.72
    g = s["gradient_rms"]                           # growing backwards: 0.02 (layer 8) .. 5 (layer 1)
    assert round(g[-1], 2) == 0.02 and round(g[0]) == 5 and all(np.diff(g) < 0)
    assert all(f > 0.7 for f in s["saturated"])


def test_prompt_relu_needs_he():
    """relu: Xavier lets the signal fade (0.59 -> 0.045), He keeps it (0.83 -> 0.72)."""
    x, h = at("relu", XAVIER), at("relu", HE)
    assert round(x["activation_std"][0], 2) == 0.59 and round(x["activation_std"][-1], 3) == 0.045
    assert round(h["activation_std"][0], 2) == 0.83 and round(h["activation_std"][-1], 2) == 0.72
    big = at("relu", notch(8))                      # the slider's notch at 0.315 ("about 0.3")
    assert round(big["activation_std"][0], 1) == 1.5 and round(big["activation_std"][-1]) == 73
    says(7, "At about 0.3 relu\n  **explodes** instead (std about 73 in layer 8, up from 1.5 in layer 1)")
    below = InitExplorer(activation="relu", std=notch(7))     # the notch below, 0.281: still explodes
    assert "explodes" in below.message.value


def test_the_message_says_what_happens():
    w = InitExplorer(activation="tanh", std=1.0)
    assert "Saturated" in w.message.value
    w.std.value = 0.01
    assert "fades" in w.message.value
    w.activation.value, w.std.value = "relu", 1.0
    assert "explodes" in w.message.value
    w.std.value = HE
    assert "keeps its size" in w.message.value


def test_healthy_means_the_gradients_keep_their_size_too():
    """sigmoid keeps its signal's size at std 0.01 and at Xavier, but its gradients
    vanish on the way back (4e9 and 150 times): the advice must not call that healthy."""
    for std, ratio in ((0.01, "4e+09"), (XAVIER, "153")):
        s = at("sigmoid", std)
        g = s["gradient_rms"]
        assert s["activation_std"][-1] > s["activation_std"][0] / 10   # the signal does keep it
        assert g[0] < g[-1] / 100
        w = InitExplorer(activation="sigmoid", std=std)
        advice = w.message.value.split("</div>")[0]
        assert f"the gradients vanish on their way back ({ratio} times smaller)" in advice
        assert f"from {g[-1]:.1g} in layer 8 to {g[0]:.1g} in layer 1" in advice
        assert "the early layers would hardly learn" in advice
    w = InitExplorer(activation="tanh")                                 # Xavier, tanh: healthy
    assert "keeps its size" in w.message.value
    assert "the gradients of all 8 layers are within a factor 2." in w.message.value
    w.activation.value = "relu"
    w.std.value = HE
    assert "within a factor 1.8." in w.message.value


def layer_heights(line, layer, x_from, x_to):
    """The heights (0 to 0.85) a ridge line draws for one layer between two x values."""
    x, y = (np.asarray(v, dtype=float) for v in line.get_data())
    mine = (y >= -layer - 1e-9) & (y <= -layer + 0.85 + 1e-9) & (x >= x_from) & (x <= x_to)
    return y[mine] + layer


def test_values_beyond_the_axes_go_into_marked_boxes_not_the_edge_bins():
    """relu, std 1: half of layer 8's activations are beyond 3 (up to about 1e6) and most
    gradients beyond 100; sigmoid, std 0.01: layer 1's gradients are about 2e-16.
    None of them may be drawn in the edge bins; each lands in its orange box."""
    w = InitExplorer(activation="relu", std=1.0)
    s = w.state()
    assert s["a_above_axis"][-1] > 0.45 and s["gradient_above_axis"][0] > 0.95
    bin_width = 3 / 40
    last_bin = layer_heights(w.a_line, 7, 3 - bin_width, 3)
    assert last_bin.size and last_bin.max() < 0.01                # the edge bin: nearly empty
    # The box "> 3" holds more of layer 8 than its tallest bin (relu's zeros): it is the tallest.
    assert s["a_above_axis"][-1] > np.mean(w.a[-1] == 0)
    assert layer_heights(w.a_beyond, 7, 3, 4).max() == pytest.approx(0.85)
    g_last_bin = layer_heights(w.g_line, 0, 2 - 14 / 40, 2)        # gradients above 100
    assert g_last_bin.max() < 0.01 and layer_heights(w.g_beyond, 0, 2, 4).max() == 0.85
    labels = {t.get_text() for t in w.ax_a.get_xticklabels() + w.ax_g.get_xticklabels()}
    assert {">3", "<1e-12", ">100"} <= labels
    w.activation.value, w.std.value = "sigmoid", 0.01
    s = w.state()
    assert s["gradient_below_axis"][0] == 1.0 and s["gradient_below_axis"][-1] == 0.0
    assert layer_heights(w.g_line, 0, -12, -12 + 14 / 40).max() == 0  # not in the 1e-12 bin
    assert layer_heights(w.g_beyond, 0, -14, -12).max() == 0.85       # but in the box "<1e-12"
    assert "|dL/dW| &lt; 1e-12 (or 0)" in w.message.value            # and the table says so
    w.activation.value, w.std.value = "tanh", XAVIER                  # nothing beyond: no box
    assert len(w.a_beyond.get_xdata()) == len(w.g_beyond.get_xdata()) == 0
    assert "1e-12 (or 0)" not in w.message.value


def test_signals_are_nnlibs_own_forward_and_backward():
    a, dW = signals("tanh", 0.2)
    assert len(a) == len(dW) == DEPTH
    assert a[0].shape == (256, 64) and dW[0].shape == (64, 64)
    assert np.all(np.abs(a[0]) <= 1)


@pytest.mark.parametrize("kwargs, error", [({"activation": "step"}, ValueError),
                                           ({"std": 5.0}, ValueError), ({"std": "big"}, TypeError)])
def test_bad_settings_are_refused_with_their_name(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        InitExplorer(**kwargs)


@pytest.mark.parametrize("activation, std", [("relu", 1.0), ("sigmoid", 0.01), ("tanh", XAVIER)])
def test_the_histograms_count_as_numpy_does(activation, std):
    """init_explorer.histogram is a quicker np.histogram: the same counts, and what is below."""
    a, dW = signals(activation, std)
    lo, hi = A_RANGE[activation]
    for values, (lo, hi) in [(a[-1], (lo, hi)), (np.log10(np.abs(dW[0]) + 1e-300), (-12, 2))]:
        counts, below = histogram(values, lo, hi)
        assert np.array_equal(counts, np.histogram(values, bins=40, range=(lo, hi))[0])
        assert below == np.sum(values < lo)


def test_prompt_sigmoid_needs_more_than_xavier():
    """sigmoid: Xavier keeps the signal, but the gradients are about 150 times smaller in layer 1
    than in layer 8, and the message says they vanish; at 0.5 they stay within a factor 2."""
    says(7, "Choose **sigmoid** and press **Xavier**. Then drag weight std to 0.5.",
         "the gradients are about 150 times smaller in layer 1 than in layer 8",
         "At 0.5, four times Xavier's std, they stay within a factor 2")
    x = at("sigmoid", XAVIER)
    g = x["gradient_rms"]
    assert 120 < g[-1] / g[0] < 200
    w = InitExplorer(activation="sigmoid", std=XAVIER)
    assert "vanish" in w.message.value
    wide = at("sigmoid", notch(12))                  # the slider's notch at 0.5
    assert max(wide["gradient_rms"]) / min(wide["gradient_rms"]) < 2


def test_prompt_sigmoid_the_error_shrinks_about_4_fold_per_layer_on_the_way_back():
    """The lesson's reason: each layer multiplies the error passed back by sigmoid's slope
    (at most 0.25).  Measured on the widget's own network at Xavier's std: the error dL/dz
    of each hidden layer against the one after it."""
    from nnlib.widgets.init_explorer import N_SAMPLES, WIDTH, deep_net
    says(7, "on the way back each layer multiplies the error by the sigmoid's slope, at most 0.25, "
            "so the error shrinks about 4-fold per layer.")
    rng = np.random.default_rng(1)                     # as signals() does
    net = deep_net("sigmoid", XAVIER)
    out = net.forward(rng.normal(size=(N_SAMPLES, WIDTH)))
    da, error = rng.normal(size=out.shape) / N_SAMPLES, []
    da = net.layers[-1].backward(da)
    for layer in reversed(net.layers[:DEPTH]):
        slope = layer.a * (1 - layer.a)
        assert slope.max() <= 0.25
        error.append(np.sqrt(np.mean((da * slope) ** 2)))   # dL/dz of this layer
        da = layer.backward(da)
    shrink = [later / earlier for later, earlier in zip(error, error[1:])]   # layer 8 back to 1
    assert all(3 < s < 5.5 for s in shrink), shrink
    assert 3.5 < np.exp(np.mean(np.log(shrink))) < 4.5


def test_teaching_activity_which_buttons_land_in_each_window():
    """docs/teaching.md's InitExplorer activity: for tanh, between the std where layer 8's
    std reaches 0.1 and the one where more than half of layer 8 saturates, both buttons;
    for relu, between 0.1 and 10, He only.  Walked notch by notch, as pairs do it."""
    from pathlib import Path
    text = " ".join((Path(__file__).resolve().parent.parent / "docs" / "teaching.md").read_text().split())
    assert ("Say which of the two buttons, Xavier and He, lands between each pair of values "
            "(for tanh both do; for relu only He).") in text
    from nnlib.widgets.init_explorer import saturated_fraction
    notches = [notch(k) for k in range(-36, 37) if 0.0098 <= notch(k) <= 1.001]

    def first(activation, holds):
        for std in notches:
            a = signals(activation, std)[0][-1]
            if holds(a):
                return std
        raise AssertionError(f"{activation}: never on the slider")
    tanh = (first("tanh", lambda a: a.std() >= 0.1), first("tanh", lambda a: saturated_fraction(a, "tanh") > 0.5))
    relu = (first("relu", lambda a: a.std() >= 0.1), first("relu", lambda a: a.std() > 10))
    assert tanh[0] <= XAVIER < HE < tanh[1], tanh
    assert XAVIER < relu[0] <= HE < relu[1], relu


# ---- found by a mutation audit: behaviour no test pinned down ----

def test_sigmoid_is_saturated_at_both_flat_ends():
    from nnlib.widgets.init_explorer import saturated_fraction
    a = np.array([0.001, 0.2, 0.5, 0.8, 0.999])  # flat near 0 and near 1, steep between
    assert saturated_fraction(a, "sigmoid") == pytest.approx(2 / 5)
    assert saturated_fraction(np.array([-0.995, 0.0, 0.5, 0.995]), "tanh") == pytest.approx(2 / 4)
    assert saturated_fraction(np.array([0.0, 5.0]), "relu") == 0.0


def explorer_at(activation, std):
    w = InitExplorer(activation=activation)
    w.std.value = std
    return w


@pytest.mark.parametrize("activation, std, words", [
    ("tanh", 0.08, "The signal fades"), ("relu", 0.125, "The signal fades"),
    ("relu", 0.3, "The signal explodes"),
])
def test_a_tenfold_change_of_the_signal_is_named(activation, std, words):
    # The advice's rule: layer 8's std below a tenth of layer 1's fades, above ten times explodes.
    w = explorer_at(activation, std)
    first, last = w.state()["activation_std"][0], w.state()["activation_std"][-1]
    assert (last < first / 10) if "fades" in words else (last > 10 * first)
    assert max(last / first, first / last) < 100  # a tenfold rule, not a hundredfold one
    assert words in w.message.value


def test_the_table_shares_read_as_a_learner_writes_them():
    from nnlib.widgets.init_explorer import share
    assert share(0.0) == "" and share(0.004) == "&lt;1%" and share(0.12) == "12%"


def test_relu_has_no_saturated_row_in_the_table():
    assert ">saturated<" not in explorer_at("relu", HE).message.value.replace("<td>", ">")
    assert ">saturated<" in explorer_at("tanh", XAVIER).message.value.replace("<td>", ">")


def test_a_sevenfold_fall_of_the_signal_is_called_fading_not_keeping_its_size():
    """tanh two notches below Xavier: std 0.56 in layer 1, 0.075 in layer 8.  The verdict said
    "The signal keeps its size" above a table showing the fall (a review found it)."""
    w = InitExplorer(activation="tanh", std=notch(-2))
    s = w.state()
    assert 5 < s["activation_std"][0] / s["activation_std"][-1] < 10
    assert "The signal fades: its std falls from 0.56 (layer 1) to 0.075 (layer 8)." in w.message.value
    w.set_std(notch(-1))                                  # a 4-fold fall still keeps its size
    assert "The signal keeps its size" in w.message.value


def test_the_slider_s_left_end_can_be_given_to_the_constructor():
    w = InitExplorer(std=0.0098)                          # the readout says 0.010
    assert format(w.std.value, w.std.readout_format) == "0.010"
    with pytest.raises(ValueError, match="std"):
        InitExplorer(std=0.009)
