"""The start page's smoke test: if you can drag this slider and see the line move, widgets work."""
import ipywidgets as widgets
import numpy as np

from nnlib import validate
from .base import FigureWidget


def line_formula(w, b):
    """'y = -1.5·x - 1.0', as written by hand: b's sign as the operator, not '+ -1.0'."""
    w, b = round(w, 1) + 0.0, round(b, 1) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"y = {w:.1f}·x {'-' if b < 0 else '+'} {abs(b):.1f}"


class HelloWidget(FigureWidget):
    """A straight line y = w * x + b; sliders for w and b."""

    def __init__(self, w=1.0, b=0.0):
        w = validate.check_slider(w, "w", -3, 3, step=0.1)
        b = validate.check_slider(b, "b", -2, 2, step=0.1)
        super().__init__(figsize=(4.0, 3.0))
        self.w = widgets.FloatSlider(value=w, min=-3, max=3, step=0.1, description="w (slope)")
        self.b = widgets.FloatSlider(value=b, min=-2, max=2, step=0.1, description="b (shift)")
        self.controls = [self.w, self.b]
        self.x = np.linspace(-2, 2, 50)
        self.setup_figure()
        self.observe_controls()
        self.refresh()

    def setup_figure(self):
        ax = self.fig.add_subplot()
        (self.line,) = ax.plot(self.x, self.x, lw=2)
        ax.set(xlim=(-2, 2), ylim=(-4, 4), xlabel="x", ylabel="y", title="y = w·x + b")
        ax.grid(alpha=0.3)
        self.ax = ax
        # Only these change when a slider moves; the rest is drawn once (see base.py).
        # The spines come after the line, which can cross the top or bottom edge.
        self.moving = [self.line, *ax.spines.values(), ax.title]

    def update(self):
        self.line.set_ydata(self.w.value * self.x + self.b.value)
        self.ax.set_title(line_formula(self.w.value, self.b.value))

    def state(self):
        return {"w": self.w.value, "b": self.b.value}
