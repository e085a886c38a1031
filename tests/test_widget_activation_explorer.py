"""ActivationExplorer: f and f', the neuron's output over the plane, saturated regions."""
import numpy as np
import pytest

from nnlib.activations import ACTIVATIONS
from nnlib.widgets.activation_explorer import ActivationExplorer

pytestmark = pytest.mark.filterwarnings("error")


def explorer(activation, w1, w2, b):
    return ActivationExplorer(activation=activation, w1=w1, w2=w2, b=b)


def test_state_keys_and_values():
    s = explorer("tanh", 1.0, -0.5, 0.2).state()
    assert set(s) == {"activation", "w1", "w2", "b", "saturated_fraction", "output_range"}
    assert (s["activation"], s["w1"], s["w2"], s["b"]) == ("tanh", 1.0, -0.5, 0.2)
    lo, hi = s["output_range"]
    assert -1 <= lo < hi <= 1
    assert 0 <= s["saturated_fraction"] <= 1


@pytest.mark.parametrize("control, value", [("w1", 2.5), ("w2", -2.0), ("b", 1.5),
                                            ("activation", "relu")])
def test_every_control_redraws(control, value):
    w = ActivationExplorer()
    before_state, before_frame = w.state(), w.frame()
    getattr(w, control).value = value
    assert w.state()[control] == value
    assert w.state() != before_state
    assert w.frame() != before_frame


def test_big_weights_saturate_sigmoid_far_more_than_small_ones():
    small = explorer("sigmoid", 0.3, 0.3, 0.0).state()["saturated_fraction"]
    big = explorer("sigmoid", 3.0, 3.0, 0.0).state()["saturated_fraction"]
    assert small < 0.05
    assert big > 0.4
    assert big > 10 * small


@pytest.mark.parametrize("w1, w2", [(1.0, 0.0), (0.5, 2.0), (-1.5, 1.0), (3.0, 3.0)])
def test_relu_is_dead_on_about_half_the_plane_when_b_is_0(w1, w2):
    s = explorer("relu", w1, w2, 0.0).state()
    assert s["saturated_fraction"] == pytest.approx(0.5, abs=0.05)
    assert s["output_range"][0] == 0.0


def test_relu_bias_moves_the_dead_region():
    w = explorer("relu", 1.0, 0.0, 0.0)
    w.b.value = 2.0  # z = x1 + 2 < 0 only for x1 < -2: a sixth of the plane
    assert w.state()["saturated_fraction"] == pytest.approx(1 / 6, abs=0.03)


def test_identity_never_saturates():
    w = explorer("identity", 1.0, 1.0, 0.0)
    for w1, w2, b in [(0.1, 0.1, 0.0), (3.0, -3.0, 3.0), (0.0, 0.0, -3.0)]:
        w.w1.value, w.w2.value, w.b.value = w1, w2, b
        assert w.state()["saturated_fraction"] == 0.0


def test_step_is_saturated_everywhere_and_says_why():
    w = explorer("step", 1.0, 1.0, 0.0)
    assert w.state()["saturated_fraction"] == 1.0
    assert w.state()["output_range"] == (0.0, 1.0)
    assert "cannot learn" in w.message.value
    assert "f'(z) = 0 everywhere" in w.message.value


def test_switching_activation_changes_the_frame_and_the_colour_scale():
    w = ActivationExplorer(activation="sigmoid")
    frames = {}
    for name in ACTIVATIONS:
        w.activation.value = name
        frames[name] = bytes(w.frame())
        assert w.state()["activation"] == name
        assert name in w.ax_f.get_title()
    assert len(set(frames.values())) == len(ACTIVATIONS)
    w.activation.value = "tanh"
    assert w.plane.get_clim() == pytest.approx((-1, 1), abs=1e-4)
    w.activation.value = "relu"
    assert w.plane.get_clim() == pytest.approx((0, 6))


def test_extreme_settings_draw_without_warnings_for_every_activation():
    w = explorer("identity", 3.0, -3.0, 3.0)
    for name in ACTIVATIONS:
        w.activation.value = name
        assert np.all(np.isfinite(w.state()["output_range"]))
        assert w.message.value and "went wrong" not in w.message.value


def test_colours_beyond_the_colour_bar_are_marked_and_explained():
    """identity with w1 = w2 = b = 3: a runs from -15 to 21, the colour bar from -6 to 6.
    Both ends of the bar get an arrow, and the note says where the colours stop."""
    w = explorer("identity", 3.0, 3.0, 3.0)
    assert w.plane.get_clim() == pytest.approx((-6, 6))
    assert w.state()["output_range"] == pytest.approx((-15, 21))
    bottom, top = w.arrows
    assert bottom.get_visible() and top.get_visible()
    assert "Colours stop at the colour bar's ends, -6 and 6 (the arrows)" in w.message.value
    assert "a runs from -15 to 21" in w.message.value
    w.activation.value = "relu"                  # never below 0: only the top arrow
    assert (bottom.get_visible(), top.get_visible()) == (False, True)
    assert "ends, 0 and 6 (the arrow): here a runs from 0 to 21" in w.message.value
    w.w1.value = w.w2.value = w.b.value = 0.5    # a <= 3.5: inside the bar, no note
    assert "Colours stop" not in w.message.value
    assert top.get_visible()                     # (the arrow is f's: relu can go beyond)
    for name in ("sigmoid", "tanh", "step"):     # bounded: never beyond the bar
        w.activation.value = name
        w.w1.value = w.w2.value = w.b.value = 3.0
        assert not any(arrow.get_visible() for arrow in w.arrows), name
        assert "Colours stop" not in w.message.value, name


def curve_points_under(box, lines):
    """How many points of these lines (in pixels) lie inside a box of the picture."""
    count = 0
    for line in lines:
        x, y = line.get_transform().transform(line.get_xydata()).T
        count += int(np.sum((box.x0 <= x) & (x <= box.x1) & (box.y0 <= y) & (y <= box.y1)))
    return count


@pytest.mark.parametrize("first", ["sigmoid", "tanh", "relu"])
def test_left_panel_label_and_legend_stay_clear_after_every_switch(first):
    """The layout is fixed by the first activation shown; after a switch (sigmoid to
    tanh, whose tick labels are wider) the y label "value" must still be inside the
    picture, left of the tick labels, and the legend must cover none of f and f'."""
    w = ActivationExplorer(activation=first)
    for name in ACTIVATIONS:
        w.activation.value = name
        renderer = w.canvas.agg.get_renderer()
        label = w.ax_f.yaxis.label.get_window_extent(renderer)
        lo, hi = w.ax_f.get_ylim()
        ticks = [t.get_window_extent(renderer) for t in w.ax_f.yaxis.get_ticklabels()
                 if t.get_text() and lo <= t.get_position()[1] <= hi]
        assert label.x0 >= 0, (name, label)
        assert label.x1 < min(t.x0 for t in ticks), (name, label, ticks)
        legend = w.ax_f.get_legend().get_window_extent(renderer)
        assert curve_points_under(legend, [w.f_line, w.slope_line]) == 0, name


# ---- found by a mutation audit: the 5% rule and the message's kind ----

@pytest.mark.parametrize("b, saturated", [(2.0, 0.0), (2.5, 1.0)])
def test_saturated_means_a_slope_at_most_5_percent_of_the_peak(b, saturated):
    # w1 = w2 = 0: z = b everywhere. tanh' = 1 - tanh(z)^2, peak 1: 0.071 at z = 2 (not
    # saturated, though below 10%), 0.027 at z = 2.5 (saturated).
    assert (1 - np.tanh(b) ** 2 <= 0.05) == bool(saturated)
    assert explorer("tanh", 0.0, 0.0, b).state()["saturated_fraction"] == saturated


def test_step_is_a_warning_and_the_smooth_activations_are_not():
    warning = '<span style="color:#b35900">'  # FigureWidget.say's colour for kind="warning"
    assert explorer("step", 1.0, 0.5, 0.0).message.value.startswith(warning)
    assert not explorer("sigmoid", 1.0, 0.5, 0.0).message.value.startswith(warning)


def test_a_sliver_of_saturation_is_not_called_0_or_100_percent():
    """0.3% of the plane in grey stripes was announced as "0% ... saturated", 99.86% as "100%"
    (a review found them); exactly none and all still read 0% and 100%."""
    w = ActivationExplorer(activation="sigmoid")
    with w.one_frame():
        w.w1.value, w.w2.value, w.b.value = -1.2, -0.3, 0.0
    assert 0 < w.state()["saturated_fraction"] < 0.005
    assert "under 1% of the plane is saturated" in w.message.value
    with w.one_frame():
        w.activation.value = "relu"
        w.w1.value, w.w2.value, w.b.value = -0.6, -0.3, -2.6
    assert 0.995 <= w.state()["saturated_fraction"] < 1
    assert "over 99% of the plane is saturated" in w.message.value
    with w.one_frame():
        w.activation.value = "step"
    assert "<b>100% of the plane is saturated.</b>" in w.message.value
