"""Blitting must not leave stale pictures behind.

Widgets redraw only their moving artists on most frames and paste a saved
background under them (FigureWidget.render).  If a widget forgets to call
redraw_all() when the background changes (new axis limits, colour scale,
curves), or lists its moving artists in the wrong order, its frames drift away
from what a full drawing shows.  Each test drives one widget through a sequence
of control changes and compares every frame, pixel by pixel, with a fresh widget
brought to the same state and drawn completely from scratch.
"""
import io

import numpy as np
import pytest
from PIL import Image

from nnlib.blit import freeze_layout, text_style
from nnlib.widgets.activation_explorer import ActivationExplorer
from nnlib.widgets.hello import HelloWidget
from nnlib.widgets.init_explorer import InitExplorer
from nnlib.widgets.perceptron import HiddenSpaceWidget, PerceptronWidget
from nnlib.widgets.universal import UniversalApproximation

pytestmark = pytest.mark.filterwarnings("error")


def pixels(png):
    """PNG bytes -> (height, width, 4) array of 0..255 ints."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"), dtype=np.int16)


def never_blit(widget):
    """From now on, draw every frame of `widget` completely, with no saved background.

    Even if the widget changes its list of moving artists later (DescentExplorer
    does on a surface switch), every artist is drawn in the normal order.
    """
    canvas = widget.canvas

    def draw_everything():
        for artist in canvas.moving:
            artist.set_animated(False)  # back into the normal drawing order
        with text_style():          # letters drawn as the blitting canvas draws them
            canvas.agg.draw()
        freeze_layout(canvas.fig)  # as the blitting canvas does after its first frame

    canvas.draw = draw_everything


def full_drawing(widget):
    """The widget's current picture drawn completely, with no saved background."""
    never_blit(widget)
    widget.refresh()
    return widget.frame()


def assert_same_picture(blitted, reference, step):
    a, b = pixels(blitted), pixels(reference)
    assert a.shape == b.shape, step
    diff = np.abs(a - b)
    # Anti-aliasing may differ in a pixel or two where a picture meets a spine;
    # a stale or misordered artist changes hundreds of pixels by a lot.
    assert diff.mean() < 1, f"after {step}: mean difference {diff.mean():.2f}"
    changed = int(np.sum(diff.max(axis=-1) > 32))
    assert changed < 50, f"after {step}: {changed} pixels differ"


def control(widget, name):
    """A control by name; 'h1.b' is HiddenSpaceWidget's slider for h1's bias."""
    if "." in name:
        h, weight = name.split(".")
        return widget.sliders[h][("w1", "w2", "b").index(weight)]
    return getattr(widget, name)


def apply(widget, step):
    name, value = step
    if name == "reset":
        widget.reset()
    else:
        control(widget, name).value = value


def check_sequence(make, steps, make_final=None):
    """Blitted frames equal full drawings of the same state, step after step.

    The reference widget is made at the same default settings (so its layout,
    fixed at the first frame, is the same), then never blits.  At the end, a
    fresh widget given only the final control values must agree as well
    (made by make_final(widget) if given, else by make()).
    """
    widget, reference = make(), make()
    full_drawing(reference)
    for step in steps:
        apply(widget, step)
        apply(reference, step)
        assert_same_picture(widget.frame(), reference.frame(), step)
    final = make() if make_final is None else make_final(widget)
    with final.one_frame():
        for name in dict(steps):
            if name != "reset":
                control(final, name).value = control(widget, name).value
    assert_same_picture(widget.frame(), full_drawing(final), "the final state")


def test_hello():
    check_sequence(HelloWidget, [("w", 2.0), ("b", 1.5), ("w", -3.0), ("b", -2.0)])


def test_perceptron():
    # The gate recolours the points; w1 = w2 = 0 hides the line.
    check_sequence(PerceptronWidget, [("w1", -1.0), ("gate", "NAND"), ("b", 2.5),
                                      ("gate", "XOR"), ("w1", 0.0), ("w2", 0.0),
                                      ("w1", 2.0)])


def test_hidden_space():
    check_sequence(HiddenSpaceWidget, [("h1.b", 0.3), ("h2.w1", 2.0), ("h1.w1", -3.0),
                                       ("reset", None), ("h2.b", -3.0)])


def test_activation_explorer():
    # Every activation switch changes the y-limits, the curves and the colour bar.
    # Coming back to an activation seen before pastes its kept background.
    check_sequence(ActivationExplorer, [("w1", 2.5), ("activation", "relu"), ("b", -1.0),
                                        ("w2", -3.0), ("activation", "step"),
                                        ("activation", "identity"), ("b", 3.0),
                                        ("activation", "relu"), ("w1", -1.0),
                                        ("activation", "sigmoid")])


def test_init_explorer():
    # The activation switch changes the left x axis and its title (background).
    check_sequence(InitExplorer, [("std", 0.5), ("activation", "relu"), ("std", 0.05),
                                  ("activation", "sigmoid"), ("std", 1.0)])


def test_universal_approximation():
    # "step" has no negative values: the y-limits shrink, so the background changes.
    check_sequence(UniversalApproximation, [("n_units", 10), ("target", "step"),
                                            ("activation", "relu"), ("n_units", 0),
                                            ("target", "sine"), ("activation", "linear"),
                                            ("n_units", 20)])


def test_descent_explorer():
    """The log-scale loss axis changes limits and tick labels on nearly every change.

    Dragging the learning rate moves the loss over many decades; steps changes
    the x-limits; each surface switch redraws the surface, changes the loss
    axis's label and its ticks.  A stale background shows old tick labels
    ("10^0" twice) or loses the left panel's axis label.
    """
    from nnlib.widgets.descent import DescentExplorer

    steps = [("lr", 0.001), ("lr", 0.5), ("steps", 10), ("lr", 1.05), ("surface", "valley"),
             ("lr", 0.001), ("momentum", 0.9), ("steps", 150), ("surface", "two minima"),
             ("lr", 3.0), ("surface", "parabola"), ("lr", 0.02), ("surface", "rosenbrock"),
             ("lr", 0.0005), ("surface", "valley"), ("surface", "parabola")]
    check_sequence(DescentExplorer, steps,
                   make_final=lambda w: DescentExplorer(surface=w.surface.value))


def test_descent_explorer_axis_labels_stay_in_the_picture():
    """Laid out on the parabola (narrow tick labels), then switched to every surface:
    the left panel's y label ("f(x)" or "y") must stay inside the picture."""
    from nnlib.descent import SURFACES
    from nnlib.widgets.descent import DescentExplorer

    widget = DescentExplorer(surface="parabola")
    for name in SURFACES:
        widget.surface.value = name
        renderer = widget.canvas.agg.get_renderer()
        for label in (widget.ax.yaxis.label, widget.ax.xaxis.label, widget.ax_loss.yaxis.label):
            box = label.get_window_extent(renderer)
            assert label.get_text() and box.x0 >= 0 and box.y0 >= 0, (name, label.get_text(), box)


def descent_explorer():
    from nnlib.widgets.descent import DescentExplorer
    return DescentExplorer()


@pytest.mark.parametrize("make, name", [(ActivationExplorer, "activation"),
                                        (InitExplorer, "activation"),
                                        (descent_explorer, "surface")])
def test_a_first_switch_pastes_a_background_prepared_when_the_widget_was_made(make, name):
    """FigureWidget.prepare_scenes: a new widget's first switch to each option draws
    no background (as quick as a slider move), and shows what a full drawing shows."""
    widget, reference = make(), make()
    never_blit(reference)  # switched alongside, and drawn completely every time
    drawn = []
    draw_background = widget.canvas._draw_background
    widget.canvas._draw_background = lambda: (drawn.append(1), draw_background())
    for option in getattr(widget, name).options:
        if option == getattr(widget, name).value:
            continue
        getattr(widget, name).value = option
        assert drawn == [], f"switching to {option} drew a background"
        getattr(reference, name).value = option
        assert_same_picture(widget.frame(), reference.frame(), (name, option))


def test_a_stale_background_is_caught():
    """The check above notices a widget that skips redraw_all (it is not blind).

    The change must not touch an axis's limits: new limits redraw the
    background by themselves (see nnlib/blit.py).
    """
    widget, reference = ActivationExplorer(), ActivationExplorer()
    full_drawing(reference)
    for w in (widget, reference):
        w.f_line.set_color("red")  # the background changes, and no redraw_all()
        w.w1.value = 2.0
    with pytest.raises(AssertionError):
        assert_same_picture(widget.frame(), reference.frame(), "a red f(z) line")


def test_playground():
    """Training ticks, a growing loss axis and architecture changes, frame by frame."""
    from nnlib.widgets.playground import Playground

    widget, reference = Playground(), Playground()
    full_drawing(reference)
    actions = [("tick", None), ("tick", None), ("lr", 1.0), ("tick", None),
               ("hidden_layers", 0), ("tick", None), ("dataset", "circles"), ("tick", None)]
    for name, value in actions:
        for w in (widget, reference):
            if name == "tick":
                w.step_epochs(20)
            else:
                getattr(w, name).value = value
        assert_same_picture(widget.frame(), reference.frame(), (name, value))


def test_backprop_arrows_go_round_other_boxes_and_text_is_legible():
    """A node used twice, far apart (a in (a*b + c)*f + a, x in x*x + x): its long
    arrow must not run through other boxes; box text is at least 11 pixels high."""
    from nnlib.engine import Value
    from nnlib.widgets.backprop import BackpropStepper

    a, b, c, f = (Value(v, label=n) for v, n in ((2.0, "a"), (-3.0, "b"), (10.0, "c"), (-2.0, "f")))
    x = Value(3.0, label="x")
    for output in ((a * b + c) * f + a, x * x + x, None):
        widget = BackpropStepper(output)
        renderer = widget.canvas.agg.get_renderer()
        boxes = {node: box.get_window_extent(renderer).padded(-2)
                 for node, box in widget.boxes.items()}
        for child, parent, arrow in widget.arrows:
            # The arrow's outline (line and head) in pixels, 20 points along each piece.
            path = arrow.get_transform().transform_path(arrow.get_path())
            points = np.concatenate([np.linspace(p, q, 20) for polygon in path.to_polygons(closed_only=False)
                                     for p, q in zip(polygon, polygon[1:])])
            px, py = points.T
            for node, box in boxes.items():
                if node is not child and node is not parent:
                    inside = (px > box.x0) & (px < box.x1) & (py > box.y0) & (py < box.y1)
                    assert not inside.any(), \
                        f"the arrow {widget.names[child]} -> {widget.names[parent]} " \
                        f"crosses the box of {widget.names[node]}"
        for label in widget.labels.values():
            assert label.get_fontsize() * widget.fig.dpi / 72 >= 11
        assert widget.fig.get_figwidth() * widget.fig.dpi <= 860    # fits a notebook


def test_playground_points_are_drawn_by_class_in_their_colours():
    """BoundaryPlot draws the points as one marker line per class (quicker than a
    scatter): every training and test point is on its class's line, in its colour."""
    from matplotlib.colors import to_hex

    from nnlib.animation import BLUE, ORANGE
    from nnlib.widgets.playground import Playground

    widget = Playground(dataset="circles")
    for lines, X, y, rim in ((widget.boundary.train, widget.X_train, widget.y_train, "white"),
                             (widget.boundary.test, widget.X_test, widget.y_test, "black")):
        for k, (line, color) in enumerate(zip(lines, (BLUE, ORANGE))):
            assert np.array_equal(np.column_stack(line.get_data()), X[y == k])
            assert to_hex(line.get_markerfacecolor()) == color.lower()
            assert to_hex(line.get_markeredgecolor()) == to_hex(rim)
        assert sum(len(line.get_xdata()) for line in lines) == len(X) > 0
