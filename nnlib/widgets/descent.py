"""Gradient descent, drawn: watch a point roll downhill on a loss surface.

The rule used here is gradient descent with momentum (a "heavy ball"):

    v = momentum * v - lr * grad f(p)        (v: the velocity, starts at 0)
    p = p + v

With momentum = 0 this is plain gradient descent, p = p - lr * grad f(p).
(nnlib.optim.Momentum writes the same rule as v = beta*v + g; p = p - lr*v.
 Its v is this v divided by -lr, so both take exactly the same steps.)

The maths works without the widget:  descend("valley", (-3.5, 1.5), lr=0.09)
returns the whole path, the loss at every point, and whether it diverged.
"""
import math
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import BoundaryNorm
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

from nnlib import validate
from .base import FigureWidget


# ---- the surfaces: each f with its gradient, worked out by hand ----

def parabola(x, y):
    """f(x) = x^2   (1-D: y is ignored)."""
    return x**2


def parabola_grad(x, y):
    """f'(x) = 2x.  A step multiplies x by (1 - 2 lr): it blows up when lr > 1."""
    return 2 * x, 0.0


def bowl(x, y):
    """f(x, y) = x^2 + y^2, a round bowl."""
    return x**2 + y**2


def bowl_grad(x, y):
    """grad f = (2x, 2y): it points straight away from the minimum (0, 0)."""
    return 2 * x, 2 * y


def valley(x, y):
    """f(x, y) = 0.5 (x^2 + 20 y^2): steep across (y), gentle along (x)."""
    return 0.5 * (x**2 + 20 * y**2)


def valley_grad(x, y):
    """grad f = (x, 20 y).  lr must stay below 2/20 = 0.1 for the steep y
    direction, so steps along the gentle x direction are tiny: momentum helps."""
    return x, 20 * y


def rosenbrock(x, y):
    """f(x, y) = (1 - x)^2 + 10 (y - x^2)^2, a curved banana-shaped valley.

    (The classic Rosenbrock function uses 100 instead of 10.)  Minimum at (1, 1).
    """
    return (1 - x) ** 2 + 10 * (y - x**2) ** 2


def rosenbrock_grad(x, y):
    """df/dx = -2 (1 - x) - 40 x (y - x^2),   df/dy = 20 (y - x^2)."""
    return -2 * (1 - x) - 40 * x * (y - x**2), 20 * (y - x**2)


TILT = 0.3  # tilts the two-minima surface so the left basin is deeper


def two_minima(x, y):
    """f(x, y) = (x^2 - 1)^2 + 0.3 x + y^2: two basins, near x = -1 and x = +1."""
    return (x**2 - 1) ** 2 + TILT * x + y**2


def two_minima_grad(x, y):
    """df/dx = 4 x (x^2 - 1) + 0.3,   df/dy = 2 y."""
    return 4 * x * (x**2 - 1) + TILT, 2 * y


def _two_minima_points():
    """Where df/dx = 0 and f'' > 0: the real roots of 4x^3 - 4x + 0.3 with 12x^2 - 4 > 0."""
    roots = np.roots([4.0, 0.0, -4.0, TILT])
    xs = sorted(r.real for r in roots if abs(r.imag) < 1e-12 and 12 * r.real**2 - 4 > 0)
    return tuple((x, 0.0) for x in xs)


@dataclass(frozen=True)
class Surface:
    """A loss surface: f, its gradient, where to draw it and sensible defaults.

    curvature: the largest second derivative L inside the drawn region.  On a
    quadratic, descent is stable exactly when lr < 2 (1 + momentum) / L.
    """
    name: str
    formula: str
    f: object
    grad: object
    xlim: tuple
    ylim: tuple
    start: tuple
    lr: float
    curvature: float
    minima: tuple
    dims: int = 2
    f_min: float = 0.0


_TWO = _two_minima_points()
SURFACES = {s.name: s for s in [
    Surface("parabola", "f(x) = x²", parabola, parabola_grad, (-2, 2), (-0.3, 4.3),
            (1.8, 0.0), 0.1, 2.0, ((0.0, 0.0),), dims=1),
    Surface("bowl", "f = x² + y²", bowl, bowl_grad, (-2, 2), (-2, 2), (1.5, 1.8), 0.1, 2.0,
            ((0.0, 0.0),)),
    Surface("valley", "f = 0.5·(x² + 20·y²)", valley, valley_grad, (-4, 4), (-2, 2),
            (-3.5, 1.5), 0.09, 20.0, ((0.0, 0.0),)),
    # curvature: largest Hessian eigenvalue in the region, at x = ±2, y = -1.
    Surface("rosenbrock", "f = (1 - x)² + 10·(y - x²)²", rosenbrock, rosenbrock_grad,
            (-2, 2), (-1, 3), (-1.0, 2.5), 0.005, 535.0, ((1.0, 1.0),)),
    # curvature: f_xx = 12 x^2 - 4 is largest at the edge x = ±2.
    Surface("two minima", "f = (x² - 1)² + 0.3·x + y²", two_minima, two_minima_grad,
            (-2, 2), (-1.5, 1.5), (0.3, 1.2), 0.04, 44.0, _TWO,
            f_min=min(two_minima(*p) for p in _TWO)),
]}


@dataclass
class Descent:
    """The result of descend(): path[k] is the point after k steps, losses[k] = f(path[k])."""
    path: np.ndarray
    losses: np.ndarray
    diverged: bool

    @property
    def steps_taken(self):
        return len(self.path) - 1


def descend(surface, start, lr, momentum=0.0, steps=50, bound=1e6):
    """Run `steps` steps of  v = momentum*v - lr*grad f(p);  p = p + v  from `start`.

    surface: a name from SURFACES (or a Surface); start: (x0, y0), or (x0,) in 1-D.
    Stops early, with diverged=True, as soon as |p| > bound or p stops being a
    finite number: the path then ends at the last point that could be computed
    (so no overflow ever happens, and no RuntimeWarning either).
    """
    surface = SURFACES[validate.check_choice(surface, "surface", SURFACES)] \
        if isinstance(surface, str) else surface
    lr = validate.check_positive(lr, "lr")
    momentum = validate.check_number(momentum, "momentum")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}")
    steps = validate.check_positive_int(steps, "steps")
    start = validate.as_array(start, "start", ndim=1)
    # Plain Python floats: 10x faster than numpy for two numbers. A 1-D surface sets y = 0.
    x, y = float(start[0]), (float(start[1]) if surface.dims == 2 else 0.0)
    vx = vy = 0.0
    path, losses, diverged = [(x, y)], [surface.f(x, y)], False
    for _ in range(steps):
        try:
            gx, gy = surface.grad(x, y)
            vx, vy = momentum * vx - lr * gx, momentum * vy - lr * gy
            x, y = x + vx, y + vy
            loss = surface.f(x, y)
        except OverflowError:  # Python floats raise this where numpy would warn
            diverged = True
            break
        if not all(math.isfinite(t) for t in (x, y, loss)):
            diverged = True
            break
        path.append((x, y))
        losses.append(loss)
        if max(abs(x), abs(y)) > bound:
            diverged = True
            break
    return Descent(np.array(path), np.array(losses, dtype=float), diverged)


def stable_lr(surface, momentum=0.0):
    """A learning rate below which descent should not blow up: 2 (1 + momentum) / L."""
    return 2 * (1 + momentum) / surface.curvature


# ---- the widget ----

PATH_COLOR, START_COLOR = "#d55e00", "black"  # vermillion on blue: colour-blind safe


class DescentExplorer(FigureWidget):
    """Left: the surface and the whole descent path.  Right: the loss at each step.

    Every control change reruns descend() from the start point and redraws the
    path.  Switching the surface also resets the start point and learning rate
    to that surface's defaults (a good lr on one surface explodes on another).
    """

    def __init__(self, surface="parabola", momentum=0.0, steps=50):
        validate.check_choice(surface, "surface", SURFACES)
        super().__init__(figsize=(8.0, 3.6))
        wide = {"description_width": "initial"}
        self.surface = widgets.Dropdown(options=list(SURFACES), value=surface, description="surface")
        self.x0 = widgets.FloatSlider(step=0.05, description="start x0", style=wide)
        self.y0 = widgets.FloatSlider(step=0.05, description="start y0", style=wide)
        self.lr = widgets.FloatLogSlider(base=10, min=-4, max=1, step=0.05,
                                         readout_format=".3g", description="learning rate", style=wide)
        self.momentum = widgets.FloatSlider(value=momentum, min=0, max=0.99, step=0.01,
                                            description="momentum", style=wide)
        self.steps = widgets.IntSlider(value=steps, min=1, max=200, description="steps", style=wide)
        self.controls = [self.surface, self.x0, self.y0, self.lr, self.momentum, self.steps]
        self._quiet, self._drawn = False, None
        self.setup_figure()
        for control in self.controls[1:]:
            control.observe(lambda change: self.refresh(), names="value")
        self.surface.observe(lambda change: self._use_surface_defaults(), names="value")
        self._use_surface_defaults()

    def _use_surface_defaults(self):
        """Fit the start sliders to the surface, load its defaults, draw once."""
        s = SURFACES[self.surface.value]
        self._quiet = True  # one redraw at the end, not one per slider change
        try:
            for slider, lim, value in [(self.x0, s.xlim, s.start[0]), (self.y0, s.ylim, s.start[1])]:
                slider.max = max(lim[1], slider.min)  # ipywidgets forbids min > max at any moment
                slider.min, slider.max, slider.value = lim[0], lim[1], value
            self.y0.layout.display = "none" if s.dims == 1 else None  # 1-D: no y0 to choose
            self.lr.value = s.lr
        finally:
            self._quiet = False
        self.refresh()

    def refresh(self):
        if not self._quiet:
            super().refresh()

    def setup_figure(self):
        self.ax, self.ax_loss = self.fig.subplots(1, 2, width_ratios=[1.15, 1])
        (self.loss_line,) = self.ax_loss.plot([], [], "-o", color=PATH_COLOR, ms=2.5, lw=1.5)
        # Title and axis labels at fixed places: otherwise matplotlib measures every
        # tick label on every frame to place them (a third of the frame's cost).
        self.ax_loss.set_title("loss after each step", y=1.0)
        self.ax_loss.set_xlabel("step")
        self.ax_loss.set_yscale("log")
        self.ax_loss.yaxis.set_major_locator(LogLocator(numticks=6))  # each tick label
        self.ax_loss.yaxis.set_minor_locator(NullLocator())  # costs time on every frame
        self.ax_loss.xaxis.set_label_coords(0.5, -0.13)
        self.ax_loss.yaxis.set_label_coords(-0.17, 0.5)
        self.ax_loss.grid(alpha=0.3)
        self.ax_loss.xaxis.set_major_locator(MaxNLocator(5, integer=True))

    def _draw_surface(self, s):
        """Slow part, only on a surface switch: the curve or filled contours."""
        ax = self.ax
        ax.clear()
        if s.dims == 1:
            x = np.linspace(*s.xlim, 200)
            ax.plot(x, s.f(x, 0.0), color="#0072b2", lw=2)
            ax.set(xlim=s.xlim, ylim=s.ylim, xlabel="x", ylabel="f(x)")
        else:
            X, Y = np.meshgrid(np.linspace(*s.xlim, 120), np.linspace(*s.ylim, 120))
            Z = s.f(X, Y)
            # Levels at quantiles of f: every surface gets evenly spread bands.
            levels = np.unique(np.quantile(Z, np.linspace(0, 1, 16) ** 2))
            # BoundaryNorm: one distinct shade per band, however close the levels.
            ax.contourf(X, Y, Z, levels=levels, cmap="Blues_r", norm=BoundaryNorm(levels, 256))
            ax.contour(X, Y, Z, levels=levels, colors="white", linewidths=0.4, alpha=0.6)
            ax.set(xlim=s.xlim, ylim=s.ylim, xlabel="x", ylabel="y")
        mx, my = np.array(s.minima).T
        my = s.f(mx, my) if s.dims == 1 else my  # 1-D: the minimum sits on the curve
        ax.plot(mx, my, "P", color="white", mec="black", ms=8, label="minimum")
        ax.set_title(f"{s.name}:  {s.formula}")
        (self.path_line,) = ax.plot([], [], "-o", color=PATH_COLOR, ms=3, lw=1.5, label="path")
        (self.start_dot,) = ax.plot([], [], "o", color="white", mec=START_COLOR, ms=8, label="start")
        (self.end_dot,) = ax.plot([], [], "*", color=PATH_COLOR, mec="black", ms=13, label="end")
        # Below the axes, where it can never hide the path.
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=4, fontsize=7, frameon=False)
        self.banner = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center",
                              color="#b00020", fontsize=13, bbox={"fc": "white", "alpha": 0.85})
        # A log scale needs losses > 0: where the lowest loss is not 0, show f(p) - lowest f.
        self.ax_loss.set_ylabel("loss f(p)" if s.f_min == 0 else "f(p) - lowest f")
        self._drawn = s.name
        # Redrawn on every frame; the rest of the figure is drawn once per surface.
        self.moving = [self.path_line, self.start_dot, self.end_dot, self.banner, self.ax_loss]
        self.redraw_all()

    def start(self):
        """The start point the sliders describe: (x0,) on a 1-D surface, else (x0, y0)."""
        s = SURFACES[self.surface.value]
        return (self.x0.value,) if s.dims == 1 else (self.x0.value, self.y0.value)

    def update(self):
        s = SURFACES[self.surface.value]
        if self._drawn != s.name:
            self._draw_surface(s)
        self.result = r = descend(s, self.start(), self.lr.value, self.momentum.value, self.steps.value)
        x, y = r.path[:, 0], (r.losses if s.dims == 1 else r.path[:, 1])
        self.path_line.set_data(x, y)
        self.start_dot.set_data(x[:1], y[:1])
        self.end_dot.set_data(x[-1:], y[-1:])
        self._draw_losses(s, r.losses)
        note, kind = self.note()
        self.banner.set_text(f"diverged after {r.steps_taken} steps" if r.diverged else "")
        self.banner.set_visible(r.diverged)
        self.say(note, kind)

    def _draw_losses(self, s, losses):
        # Log scale: the height above the lowest loss; exactly 0 is drawn at 1e-16.
        shown = np.maximum(losses - s.f_min, 1e-16)
        self.loss_line.set_data(np.arange(len(shown)), shown)
        self.ax_loss.set_xlim(0, max(self.steps.value, 1))
        # From a power of ten to a power of ten, at least two decades apart,
        # so that the axis always shows labelled ticks.
        bottom, top = np.floor(np.log10(shown.min())), np.ceil(np.log10(shown.max()))
        self.ax_loss.set_ylim(10 ** min(bottom, top - 2), 10 ** top)

    def note(self):
        """The friendly message under the picture, and its kind."""
        s, r = SURFACES[self.surface.value], self.result
        # Below the quadratic limit 2 (1 + momentum) / L, unless lr already is (then halve it).
        stable = stable_lr(s, self.momentum.value)
        limit = f"{stable if self.lr.value > stable else self.lr.value / 2:.2g}"
        if r.diverged:
            return (f"Diverged after {r.steps_taken} steps: the learning rate is too large "
                    f"for this surface (try < {limit})."), "warning"
        first, last = r.losses[0], r.losses[-1]
        if last > first:
            return (f"The loss went up, from {first:.3g} to {last:.3g}: the learning rate is too "
                    f"large for this surface (try < {limit})."), "warning"
        # Crawling: the loss barely fell AND the slope is still about as steep as at the
        # start (a start next to a minimum is flat there: not crawling, just arrived).
        still_steep = np.hypot(*s.grad(*r.path[-1])) > 0.5 * np.hypot(*s.grad(*r.path[0]))
        if still_steep and last - s.f_min > 0.9 * (first - s.f_min):
            return (f"Crawling: after {r.steps_taken} steps the loss is still "
                    f"{100 * (last - s.f_min) / (first - s.f_min):.0f}% of where it started. "
                    "Try a larger learning rate, some momentum, or more steps."), "info"
        return f"After {r.steps_taken} steps: loss {last:.3g}.", "info"

    def state(self):
        s, r = SURFACES[self.surface.value], self.result
        return {"surface": s.name, "start": self.start(), "lr": self.lr.value,
                "momentum": self.momentum.value, "steps": self.steps.value,
                "final_point": tuple(float(v) for v in r.path[-1][: s.dims]),
                "final_loss": float(r.losses[-1]), "diverged": r.diverged,
                "steps_taken": r.steps_taken, "note": self.note()[0]}
