"""Lesson 03: enough hidden units can draw (almost) any curve.

A network with one hidden layer of N units and one output computes

    y_hat(x) = v_1 * f(w_1 * x + b_1) + ... + v_N * f(w_N * x + b_N) + c

a sum of N simple shapes: steps (tanh, sigmoid) or bends (relu), each one
shifted, stretched and scaled.  Enough of them, placed side by side, follow any
smooth curve: the universal approximation theorem.

How this widget fits, and why it is not gradient descent: it follows the idea
of the theorem's proof.  The hidden units are placed by hand, the same way every
time (no randomness): their centres, where z = w_j * x + b_j = 0, are spread
evenly over [-1, 1].  Then only the output weights v_1..v_N and c are chosen,
by least squares (np.linalg.lstsq): for fixed hidden units y_hat is a linear
function of v and c, so the best ones come out of one exact, instant solve.
"""
import ipywidgets as widgets
import numpy as np

from nnlib import validate
from nnlib.activations import identity, relu, sigmoid, tanh
from nnlib.data import CURVES, curve
from .base import FigureWidget

ACTIVATIONS = {"tanh": tanh, "relu": relu, "sigmoid": sigmoid, "linear": identity}
MAX_UNITS = 20


def hidden_units(n_units, activation):
    """Weights w and biases b of n_units hidden units, centres spread over [-1, 1].

    Unit j is centred at x = c_j (there z = w_j * (x - c_j) = 0, so b_j = -w_j * c_j).
    tanh, sigmoid: c_j in the middle of n_units equal slices of [-1, 1], and
      w_j = n_units, so each step rises over about one slice.
    relu, linear: the bends at c_j = -1, -1 + 2/n, ...: the first one at -1 makes
      a straight line on the whole interval; each next one adds a change of slope.
    """
    j = np.arange(n_units)
    if activation in ("tanh", "sigmoid"):
        centres = -1 + (2 * j + 1) / n_units
        w = np.full(n_units, float(n_units))
    else:
        centres = -1 + 2 * j / n_units
        w = np.ones(n_units)
    return w, -w * centres


def fit_output(f, w, b, x, y):
    """Least-squares output weights: minimise mean((F @ v + c - y)^2) over v and c.

    F[i, j] = f(w_j * x_i + b_j) is unit j's output for sample i.  A column of
    ones stands for c.  Returns v (one per unit) and c.
    """
    F = f(np.outer(x, w) + b)
    A = np.column_stack([F, np.ones_like(x)])
    coefs = np.linalg.lstsq(A, y, rcond=None)[0]
    return coefs[:-1], coefs[-1]


class UniversalApproximation(FigureWidget):
    """Fit a 1-D curve with N hidden units; see each unit's share and their sum."""

    def __init__(self, target="sine", n_units=4, activation="tanh"):
        validate.check_choice(target, "target", list(CURVES))
        validate.check_slider(n_units, "n_units", 0, MAX_UNITS, whole=True)
        validate.check_choice(activation, "activation", list(ACTIVATIONS))
        super().__init__(figsize=(5.2, 3.8))
        self.target = widgets.Dropdown(options=list(CURVES), value=target,
                                       description="target curve",
                                       style={"description_width": "initial"})
        self.n_units = widgets.IntSlider(value=n_units, min=0, max=MAX_UNITS,
                                         description="hidden units N",
                                         style={"description_width": "initial"})
        self.activation = widgets.Dropdown(options=list(ACTIVATIONS), value=activation,
                                           description="activation f",
                                           style={"description_width": "initial"})
        self.controls = [self.target, self.n_units, self.activation]
        self.x_plot = np.linspace(-1, 1, 200)
        self.setup_figure()
        self.observe_controls()
        self.refresh()

    def setup_figure(self):
        ax = self.ax = self.fig.add_subplot()
        self.unit_lines = [ax.plot([], [], lw=0.8, color="#777777", alpha=0.8)[0]
                           for _ in range(MAX_UNITS)]
        self.unit_lines[0].set_label("one unit's share  v·f(w·x + b)")
        self.dots = ax.scatter([], [], s=10, color="#E69F00", label="target", zorder=3)
        (self.sum_line,) = ax.plot(self.x_plot, self.x_plot, lw=2.5, color="#0072B2",
                                   label="network: sum of shares + c", zorder=4)
        # Few, fixed ticks: tick labels are redrawn on every frame (text is slow),
        # and the layout is worked out for the first frame only.
        ax.set(xlim=(-1.05, 1.05), xlabel="x", ylabel="y", xticks=[-1, 0, 1], yticks=[-1, 0, 1])
        ax.grid(alpha=0.3)
        ax.legend(handles=[self.dots, self.unit_lines[0], self.sum_line], loc="upper center",
                  bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=8, frameon=False)
        # Redrawn on every frame, in drawing order (see base.py): the grey shares
        # under the spines (lines can leave the axes) and the target dots, the sum
        # on top.  Ticks, grid and the legend below the axes are drawn once.
        self.moving = [*self.unit_lines, *ax.spines.values(), self.dots, self.sum_line,
                       ax.title]

    def update(self):
        x, y = curve(self.target.value, n=100)
        x = x[:, 0]
        n, name = self.n_units.value, self.activation.value
        f = ACTIVATIONS[name]
        w, b = hidden_units(n, name)
        v, c = fit_output(f, w, b, x, y)
        shares = v * f(np.outer(self.x_plot, w) + b)  # column j: unit j's share
        y_hat = f(np.outer(x, w) + b) @ v + c
        self.mse = float(np.mean((y_hat - y) ** 2))
        self.dots.set_offsets(np.column_stack([x, y]))
        for j, line in enumerate(self.unit_lines):
            line.set_visible(j < n)
            if j < n:
                line.set_data(self.x_plot, shares[:, j])
        self.sum_line.set_ydata(shares.sum(axis=1) + c)
        # New limits (and so new ticks) redraw the background by themselves.
        self.ax.set_ylim(-1.6 if y.min() < -0.5 else -0.6, 1.6)
        units = f"N = {n} {name} unit{'s' if n != 1 else ''}" if n else "N = 0 hidden units"
        self.ax.set_title(f"{units}:  mean squared error = {self.mse:.2g}")
        if n == 0:
            self.say("Add at least one hidden unit: with none, the network can only "
                     "output a constant c (the flat line).", kind="warning")
        elif name == "linear":
            self.say("Linear units are straight lines, and a sum of straight lines is a "
                     "straight line: more units cannot bend it.", kind="warning")
        else:
            self.say("Thin grey lines: each unit's share. Thick blue line: their sum plus c. "
                     "More units, more bends, a closer fit.")

    def state(self):
        return {"n_units": self.n_units.value, "activation": self.activation.value,
                "target": self.target.value, "mse": self.mse}
