"""Lesson 01: one neuron draws one straight line, so it cannot learn XOR.

A perceptron with inputs x1, x2 computes

    z = w1 * x1 + w2 * x2 + b        y_hat = 1 if z >= 0, else 0.

The points where z = 0 form a straight line, the *decision line*: on one side the
neuron answers 1, on the other 0.  AND, OR and NAND can be split by a line; XOR
cannot (its 1s sit on opposite corners of the square).  Two neurons in a hidden
layer fix that: `HiddenSpaceWidget` shows how they move the four points to new
positions where one line is enough.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D

from nnlib import validate
from nnlib.data import GATES, truth_table
from .base import FigureWidget

BLUE, ORANGE, RED = "#1f77b4", "#ff7f0e", "#d62728"  # class 0, class 1, wrong
CLASS_COLORS = np.array([BLUE, ORANGE])
SHADE = ListedColormap(["#ffffff", "#ffe0c2"])  # answer 0: white, answer 1: light orange
LIMITS = (-0.5, 1.5)  # the unit square with a margin, so lines near it stay visible


def step_ge(z):
    """The perceptron's threshold: 1 if z >= 0, else 0.

    As nnlib.activations.step, a point exactly on the line counts as 1.  Sliders
    move in steps of 0.1, so z = 0 happens often here: with w1 = w2 = 1, b = -1 the
    point (0, 1) sits on the line.  Rounding z first stops 0.1 + 0.2 - 0.3 = 5.6e-17
    (a float rounding error) from deciding the answer.
    """
    return (np.round(z, 9) >= 0).astype(np.int64)


def perceptron(X, w1, w2, b):
    """y_hat = step(w1 * x1 + w2 * x2 + b) for every row (x1, x2) of X."""
    return step_ge(w1 * X[..., 0] + w2 * X[..., 1] + b)


def line_points(w1, w2, b, reach=10.0):
    """Two far-apart points on the line w1 * x1 + w2 * x2 + b = 0 (NaN if w = 0).

    p0 = -b * w / |w|^2 is the line's point nearest the origin; the line runs
    along (-w2, w1), at right angles to w.  The axes clip the long segment.
    """
    norm2 = w1 * w1 + w2 * w2
    if norm2 == 0:  # z = b everywhere: no line, every point gets the same answer
        return [np.nan, np.nan], [np.nan, np.nan]
    p0 = -b * np.array([w1, w2]) / norm2
    d = np.array([-w2, w1]) / np.sqrt(norm2)
    ends = [p0 - reach * d, p0 + reach * d]
    return [e[0] for e in ends], [e[1] for e in ends]


def slider(description, value):
    """A weight slider from -3 to 3 in steps of 0.1."""
    return widgets.FloatSlider(value=value, min=-3, max=3, step=0.1, description=description)


def draw_square(ax, X, y, xlabel="x1", ylabel="x2"):
    """Shading image, the points (coloured by target), rings for wrong answers."""
    shade = ax.imshow(np.zeros((2, 2)), extent=LIMITS * 2, origin="lower", cmap=SHADE,
                      vmin=0, vmax=1, interpolation="nearest", zorder=0)
    points = ax.scatter(X[:, 0], X[:, 1], s=140, c=CLASS_COLORS[y], edgecolors="k", zorder=3)
    wrong = ax.scatter([], [], s=420, facecolors="none", edgecolors=RED, linewidths=2.5, zorder=4)
    # Ticks only at the bits 0 and 1: every tick label costs time on every frame.
    ax.set(xlim=LIMITS, ylim=LIMITS, xlabel=xlabel, ylabel=ylabel, aspect="equal",
           xticks=[0, 1], yticks=[0, 1])
    return shade, points, wrong


def legend_handles():
    """Legend entries: the two classes, wrong answers, the shading, the line."""
    dot = dict(marker="o", linestyle="", markersize=9, markeredgecolor="k")
    return [Line2D([], [], color=BLUE, label="target 0", **dot),
            Line2D([], [], color=ORANGE, label="target 1", **dot),
            Line2D([], [], marker="o", linestyle="", markersize=13, markerfacecolor="none",
                   markeredgecolor=RED, markeredgewidth=2, label="wrong answer"),
            Line2D([], [], marker="s", linestyle="", markersize=11, color=SHADE(1),
                   label="neuron says 1"),
            Line2D([], [], color="k", lw=2, label="decision line\nw1·x1 + w2·x2 + b = 0")]


def spread_out(H, gap=0.12):
    """Drawing positions for points H, side by side where several share a spot.

    Returns the positions and a list of (spot, indices of the points there).
    """
    spots = H.astype(np.float64)
    groups = []
    for spot in sorted({tuple(h) for h in H.tolist()}):
        members = [i for i, h in enumerate(H.tolist()) if tuple(h) == spot]
        spots[members, 0] += gap * (np.arange(len(members)) - (len(members) - 1) / 2)
        groups.append((spot, members))
    return spots, groups


class PerceptronWidget(FigureWidget):
    """One neuron on a logic gate: drag w1, w2, b until all four points are right."""

    def __init__(self, gate="AND", w1=1.0, w2=1.0, b=-0.5):
        gate = validate.check_choice(gate.upper() if isinstance(gate, str) else gate, "gate", GATES)
        for name, value in (("w1", w1), ("w2", w2), ("b", b)):
            validate.check_slider(value, name, -3, 3, step=0.1)
        super().__init__(figsize=(5.8, 3.6))
        self.gate = widgets.Dropdown(options=list(GATES), value=gate,
                                     description="gate")
        self.w1, self.w2, self.b = slider("w1", w1), slider("w2", w2), slider("b (bias)", b)
        self.controls = [self.gate, self.w1, self.w2, self.b]
        g = np.linspace(*LIMITS, 81)
        self.grid = np.stack(np.meshgrid(g, g), axis=-1)  # (81, 81, 2) points for the shading
        self.setup_figure()
        self.observe_controls()
        self.refresh()

    def setup_figure(self):
        self.ax = self.fig.add_subplot()
        X, y = truth_table(self.gate.value)
        self.shade, self.points, self.wrong = draw_square(self.ax, X, y)
        (self.line,) = self.ax.plot([], [], color="k", lw=2)
        self.ax.legend(handles=legend_handles(), loc="upper left", bbox_to_anchor=(1.02, 1),
                       fontsize=9, frameon=False)
        # Redrawn on every frame, in this order (the order a full drawing uses):
        # the rest (ticks, labels, the legend beside the square) is drawn once.
        # The spines come after the shading and the line, which reach the edges.
        self.moving = [self.shade, self.line, *self.ax.spines.values(), self.points,
                       self.wrong, self.ax.title]

    def update(self):
        w1, w2, b = self.w1.value, self.w2.value, self.b.value
        self.X, self.y = truth_table(self.gate.value)
        self.y_hat = perceptron(self.X, w1, w2, b)
        self.points.set_facecolors(CLASS_COLORS[self.y])
        self.wrong.set_offsets(self.X[self.y_hat != self.y].reshape(-1, 2))
        self.shade.set_data(perceptron(self.grid, w1, w2, b))
        self.line.set_data(*line_points(w1, w2, b))
        correct = int(np.sum(self.y_hat == self.y))
        self.ax.set_title(f"{self.gate.value}: {correct}/4 correct")
        if correct == 4:
            self.say("All four right: this line separates the 1s from the 0s.")
        elif self.gate.value == "XOR":
            self.say("XOR's 1s sit on opposite corners: no straight line splits them, "
                     "so 3/4 is the best one neuron can do. A hidden layer can do it.",
                     kind="warning")
        elif w1 == 0 and w2 == 0:
            self.say("w1 = w2 = 0: z = b for every point, so there is no line and "
                     "every point gets the same answer.", kind="warning")
        else:
            self.say(f"{4 - correct} point(s) on the wrong side (red rings): move the line "
                     "with w1, w2 and b.")

    def state(self):
        return {"gate": self.gate.value, "w1": self.w1.value, "w2": self.w2.value,
                "b": self.b.value, "correct": int(np.sum(self.y_hat == self.y)),
                "predictions": self.y_hat.tolist()}


# The hand-built XOR network:  XOR(x1, x2) = AND(OR(x1, x2), NAND(x1, x2)).
HAND_BUILT = {"h1": (1.0, 1.0, -0.5), "h2": (-1.0, -1.0, 1.5)}  # (w1, w2, b): OR, NAND
OUTPUT = (1.0, 1.0, -1.5)  # the output neuron is a fixed AND of h1 and h2


class HiddenSpaceWidget(FigureWidget):
    """Two hidden neurons solve XOR: see the points move into "hidden space".

        h1 = step(w1 * x1 + w2 * x2 + b)    (hand-built: OR)
        h2 = step(w1 * x1 + w2 * x2 + b)    (hand-built: NAND; its own w1, w2, b)
        y_hat = step(h1 + h2 - 1.5)         (fixed: AND of h1 and h2)

    Left: the input square with both hidden lines, shaded where the network says 1.
    Right: each point drawn at its hidden coordinates (h1, h2), where the output
    neuron's single straight line now separates the classes.
    """

    def __init__(self):
        super().__init__(figsize=(7.2, 3.5))  # 576 px: fits beside the controls in 1024 px
        self.sliders = {h: [slider(f"{h}: {n}", v) for n, v in zip(("w1", "w2", "b"), ws)]
                        for h, ws in HAND_BUILT.items()}
        self.reset_button = widgets.Button(description="reset to hand-built",
                                           tooltip="h1 = OR, h2 = NAND: solves XOR")
        self.reset_button.on_click(lambda _: self.reset())
        self.controls = self.sliders["h1"] + self.sliders["h2"] + [self.reset_button]
        self.X, self.y = truth_table("XOR")
        g = np.linspace(*LIMITS, 81)
        self.grid = np.stack(np.meshgrid(g, g), axis=-1)
        self.setup_figure()
        self.observe_controls()
        self.refresh()

    def reset(self):
        """Put the hand-built OR and NAND weights back on the sliders."""
        with self.one_frame():  # draw once at the end, not once per slider that moves
            for h, ws in HAND_BUILT.items():
                for s, v in zip(self.sliders[h], ws):
                    s.value = v

    def forward(self, X):
        """Hidden coordinates H (..., 2) and the network's answer y_hat for inputs X."""
        H = np.stack([perceptron(X, *(s.value for s in self.sliders[h])) for h in HAND_BUILT],
                     axis=-1)
        return H, perceptron(H, *OUTPUT)

    def setup_figure(self):
        self.ax_in, self.ax_h = self.fig.subplots(1, 2)
        self.shade_in, self.points_in, self.wrong_in = draw_square(self.ax_in, self.X, self.y)
        self.shade_h, self.points_h, self.wrong_h = draw_square(self.ax_h, self.X, self.y,
                                                                "h1", "h2")
        self.ax_in.set_title("input space: shaded = network says 1")
        style = {"h1": dict(color="#009E73", ls="--"), "h2": dict(color="#CC79A7", ls="-.")}
        self.lines = {h: self.ax_in.plot([], [], lw=2, label=f"{h} line", **style[h])[0]
                      for h in HAND_BUILT}
        self.ax_h.plot(*line_points(*OUTPUT), color="k", lw=2, label="output line")
        # One legend under both squares, where nothing moves (see `self.moving`).
        self.fig.legend(loc="outside lower center", ncol=3, fontsize=10, frameon=False)
        self.labels = [self.ax_h.text(0, 0, "", fontsize=9, ha="center", zorder=5)
                       for _ in range(4)]
        # Redrawn on every frame, in drawing order; the rest is drawn once.  The
        # hidden-space shading and output line never change: they stay in the
        # background.  The spines come after the shading and lines, which reach them.
        self.moving = [self.shade_in, *self.lines.values(), *self.ax_in.spines.values(),
                       self.points_in, self.wrong_in,
                       self.points_h, self.wrong_h, *self.labels, self.ax_h.title]

    def update(self):
        for h, line in self.lines.items():
            line.set_data(*line_points(*(s.value for s in self.sliders[h])))
        self.H, self.y_hat = self.forward(self.X)
        self.shade_in.set_data(self.forward(self.grid)[1])
        self.shade_h.set_data(perceptron(self.grid, *OUTPUT))
        spots, groups = spread_out(self.H)
        self.points_h.set_offsets(spots)
        for rings, pts in ((self.wrong_in, self.X), (self.wrong_h, spots)):
            rings.set_offsets(pts[self.y_hat != self.y].reshape(-1, 2))
        # Above each hidden position, the inputs x that landed there.
        for label, (position, members) in zip(self.labels, groups + [(None, [])] * 4):
            label.set_visible(bool(members))
            if members:
                label.set_position((position[0], position[1] + 0.17))
                label.set_text("x = " + " ".join("(%d,%d)" % tuple(self.X[i]) for i in members))
        correct = int(np.sum(self.y_hat == self.y))
        self.ax_h.set_title(f"hidden space (h1, h2): XOR {correct}/4 correct")
        self.say("In hidden space one straight line splits the classes: the hidden layer "
                 "has made XOR separable." if correct == 4 else
                 "Some points end up on the wrong side of the output line: try the "
                 "hand-built weights.", kind="info" if correct == 4 else "warning")

    def state(self):
        return {**{h: tuple(s.value for s in self.sliders[h]) for h in HAND_BUILT},
                "hidden": [tuple(p) for p in self.H.tolist()],
                "predictions": self.y_hat.tolist(),
                "correct": int(np.sum(self.y_hat == self.y)),
                "all_correct": bool(np.all(self.y_hat == self.y))}
