"""The shared plotting helpers draw what they promise."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib import plots  # noqa: E402
from nnlib.data import xor_clouds  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_decision_boundary_colours_the_plane_and_draws_the_half_line():
    X, y = xor_clouds(n=40, seed=0)
    ax = plots.decision_boundary(lambda P: (P[:, 0] > 0.3).astype(float) * 0.8 + 0.1, X, y,
                                 resolution=30, extent=(-1, 2, -2, 1), title="t")
    image = ax.images[0].get_array()
    assert image.shape == (30, 30)
    assert image.min() == pytest.approx(0.1) and image.max() == pytest.approx(0.9)
    assert ax.get_xlim() == (-1, 2) and ax.get_ylim() == (-2, 1)
    assert len(ax.collections) >= 3  # the 0.5 contour and one scatter per class
    assert ax.get_title() == "t" and ax.get_xlabel() and ax.get_ylabel()


def test_no_boundary_line_when_the_model_says_the_same_everywhere():
    ax = plots.decision_boundary(lambda P: np.full(len(P), 0.9), resolution=10)
    assert len(ax.collections) == 0


def test_scatter_classes_names_the_classes_and_rejects_mismatched_data():
    X, y = xor_clouds(n=20, seed=1)
    ax = plots.scatter_classes(X, y, labels=["answer 0", "answer 1"])
    assert [t.get_text() for t in ax.legend().get_texts()] == ["answer 0", "answer 1"]
    with pytest.raises(ValueError, match="same number of samples"):
        plots.scatter_classes(X, y[:-1])
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        plots.scatter_classes(X[:, 0], y)


def test_loss_curve_and_plot_function_label_their_axes():
    ax = plots.loss_curve([3.0, 2.0, 1.0], xlabel="step", log=True)
    assert ax.get_xlabel() == "step" and ax.get_yscale() == "log"
    assert list(ax.lines[0].get_xdata()) == [1, 2, 3]
    ax = plots.plot_function(np.tanh, -2, 2, label="tanh")
    assert ax.get_ylabel() == "tanh(z)"
    assert ax.lines[0].get_ydata().max() == pytest.approx(np.tanh(2))


def test_plot_activation_draws_f_and_its_slope():
    ax = plots.plot_activation("sigmoid", -4, 4)
    f, slope = [np.asarray(line.get_ydata()) for line in ax.lines if len(line.get_ydata()) > 2]
    assert f.max() == pytest.approx(1 / (1 + np.exp(-4)))
    assert slope.max() == pytest.approx(0.25, abs=1e-4)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sigmoid(z)", "sigmoid'(z)"]
    with pytest.raises(ValueError, match="unknown activation"):
        plots.plot_activation("swish")


def test_plot_nudge_shows_the_three_weights_apart():
    """Lesson 02's nudge figure: on the whole curve the dot and triangles are a few pixels
    apart, so a magnifier shows them; there they must not overlap (markers ~9 pt)."""
    from nnlib.activations import sigmoid, step

    for f in (step, sigmoid):
        ax = plots.plot_nudge(f, "f", w0=0.2, dw=0.1)
        (zoom,) = ax.child_axes
        ax.figure.canvas.draw()
        markers = [line for line in zoom.lines if len(line.get_xdata()) == 1]
        assert [float(m.get_xdata()[0]) for m in markers] == pytest.approx([0.2, 0.1, 0.3])
        xy = np.array([zoom.transData.transform((m.get_xdata()[0], m.get_ydata()[0]))
                       for m in markers])
        gaps = np.abs(np.diff(np.sort(xy[:, 0])))
        size_px = markers[0].get_markersize() * ax.figure.dpi / 72
        assert gaps.min() > 1.5 * size_px    # clearly apart, not merged


def test_plot_function_explains_functions_that_do_not_take_arrays():
    import math
    with pytest.raises(TypeError, match=r"f must work on a whole numpy array .*"
                                        r"\(use np.tanh, not math.tanh\)"):
        plots.plot_function(math.tanh)
    with pytest.raises(ValueError, match=r"f must return one value per x: for 400 values of x "
                                         r"it returned shape \(\) \(for a constant c, return "
                                         r"c \+ 0 \* x\)"):
        plots.plot_function(lambda x: 1.0)
    with pytest.raises(ValueError, match=r"one value per x: .* returned shape \(2,\)$"):
        plots.plot_function(lambda x: x[:2])
    assert plt.get_fignums() == []                 # no empty figure left behind
    line = plots.plot_function(lambda x: 1.0 + 0 * x).lines[0]
    assert np.all(line.get_ydata() == 1.0)


def test_decision_boundary_refuses_logits_and_says_what_to_pass():
    """A model's raw outputs (logits) are not probabilities: coloured with vmin 0, vmax 1 and
    cut at 0.5 they would show a wrong boundary (where the logit is 0.5, p = 0.62)."""
    from nnlib.layers import mlp
    model = mlp([2, 4, 1], seed=0)
    with pytest.raises(ValueError, match=r"predict_proba must return probabilities in \[0, 1\], got numbers "
                                         r"from -?\d.* to -?\d.*lambda P: predict_proba\(model, P\)"):
        plots.decision_boundary(lambda P: model.forward(P)[:, 0], resolution=10)
    plt.close("all")
    # probabilities at the very ends, and NaN, are fine
    plots.decision_boundary(lambda P: np.where(P[:, 0] > 0, 1.0, 0.0), resolution=10)
    plots.decision_boundary(lambda P: np.where(P[:, 0] > 0, np.nan, 0.2), resolution=10)
    plt.close("all")
