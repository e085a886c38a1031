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
