"""The descent explorer: watch a point roll downhill on a loss surface.

Every control change reruns nnlib.descent.descend() from the start point and
redraws the whole path over the contours, with the loss at each step beside it.
The maths (surfaces, gradients, the update rule) lives in nnlib/descent.py.
"""
import math

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import BoundaryNorm
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

from nnlib import validate
from nnlib.descent import SURFACES, descend, stable_lr
from .base import FigureWidget


# ---- the widget ----

PATH_COLOR, START_COLOR = "#d55e00", "black"  # vermillion on blue: colour-blind safe


def steps_text(n):
    """'1 step', '2 steps': the count as a learner would write it."""
    return f"{n} step" if n == 1 else f"{n} steps"


def round_down(x):
    """x > 0 cut to two significant digits, never rounded up: a limit printed as
    'try < 1.9' must stay below the limit (1.99 would print as 2, the lr in use)."""
    unit = 10.0 ** (math.floor(math.log10(x)) - 1)
    return math.floor(x / unit + 1e-9) * unit  # 1e-9: 0.3 / 0.01 is 29.999...


class DescentExplorer(FigureWidget):
    """Left: the surface and the whole descent path.  Right: the loss at each step.

    Every control change reruns descend() from the start point and redraws the
    path.  Switching the surface also resets the start point and learning rate
    to that surface's defaults (a good lr on one surface explodes on another).
    """

    def __init__(self, surface="parabola", momentum=0.0, steps=50):
        validate.check_choice(surface, "surface", SURFACES)
        validate.check_slider(momentum, "momentum", 0, 0.99, step=0.01)
        validate.check_slider(steps, "steps", 1, 200, whole=True)
        super().__init__(figsize=(7.2, 3.6))  # 576 px: fits beside the controls in 1024 px
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
        self._drawn = None  # the surface drawn so far
        self.setup_figure()
        for control in self.controls[1:]:
            control.observe(lambda change: self.refresh(), names="value")
        self.surface.observe(lambda change: self._use_surface_defaults(), names="value")
        self._use_surface_defaults()
        # Each surface has its own background (bands, axes, labels): draw them all
        # now, so that a first switch to another surface is as quick as a slider move.
        self.prepare_scenes(self._show_surface_defaults, SURFACES, current=surface)

    def _use_surface_defaults(self):
        """Fit the start sliders to the surface, load its defaults, draw once."""
        s = SURFACES[self.surface.value]
        with self.one_frame():  # one redraw at the end, not one per slider change
            for slider, lim, value in [(self.x0, s.xlim, s.start[0]), (self.y0, s.ylim, s.start[1])]:
                slider.max = max(lim[1], slider.min)  # ipywidgets forbids min > max at any moment
                slider.min, slider.max, slider.value = lim[0], lim[1], value
            self.y0.layout.display = "none" if s.dims == 1 else None  # 1-D: no y0 to choose
            self.lr.value = s.lr

    def _show_surface_defaults(self, name):
        """The background as a switch to surface `name` leaves it: the surface, and
        the loss axis for a descent from its default start point and learning rate."""
        s = SURFACES[name]
        self._draw_surface(s)
        r = descend(s, s.start[:s.dims], s.lr, self.momentum.value, self.steps.value)
        self._draw_losses(s, r.losses)

    def setup_figure(self):
        # Places set by hand (figure fractions), the same for every surface: a
        # layout worked out for one surface's tick labels may not fit another's.
        self.fig.set_layout_engine(None)
        self.ax = self.fig.add_axes([0.085, 0.25, 0.42, 0.66])
        self.ax_loss = self.fig.add_axes([0.62, 0.25, 0.36, 0.66])
        (self.loss_line,) = self.ax_loss.plot([], [], "-o", color=PATH_COLOR, ms=2.5, lw=1.5)
        # Title and axis labels at fixed places: otherwise matplotlib measures every
        # tick label to place them.
        self.ax_loss.set_title("loss after each step", y=1.0)
        self.ax_loss.set_xlabel("step")
        self.ax_loss.set_yscale("log")
        self.ax_loss.yaxis.set_major_locator(LogLocator(numticks=5))  # each tick label
        self.ax_loss.yaxis.set_minor_locator(NullLocator())  # costs time on every frame
        self.ax_loss.xaxis.set_label_coords(0.5, -0.13)
        self.ax_loss.yaxis.set_label_coords(-0.17, 0.5)
        self.ax_loss.grid(alpha=0.3)
        self.ax_loss.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        self._setup_surface_axes()

    def _setup_surface_axes(self):
        """The left panel's artists, made once; a surface switch only updates them."""
        ax = self.ax
        # The 2-D surface as an image of bands (see _draw_surface); a 1-D one as a curve.
        self.bands = ax.imshow(np.zeros((2, 2)), cmap="Blues_r", origin="lower", aspect="auto",
                               interpolation="nearest")
        (self.curve,) = ax.plot([], [], color="#0072b2", lw=2)
        (self.minima,) = ax.plot([], [], "P", color="white", mec="black", ms=8, label="minimum")
        (self.path_line,) = ax.plot([], [], "-o", color=PATH_COLOR, ms=3, lw=1.5, label="path")
        (self.start_dot,) = ax.plot([], [], "o", color="white", mec=START_COLOR, ms=8, label="start")
        (self.end_dot,) = ax.plot([], [], "*", color=PATH_COLOR, mec="black", ms=13, label="end")
        # Below the axes, where it can never hide the path.
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=4, fontsize=9, frameon=False,
                  handletextpad=0.3, columnspacing=1.0)
        self.banner = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center",
                              color="#b00020", fontsize=13, bbox={"fc": "white", "alpha": 0.85})
        # Few ticks (each label is text, the slowest thing to draw); axis labels at
        # fixed places, left of the widest tick labels any surface has ("-1.5").
        ax.xaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 5, 10]))
        ax.yaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 5, 10]))
        ax.set_xlabel("x")
        ax.xaxis.set_label_coords(0.5, -0.11)
        ax.yaxis.set_label_coords(-0.13, 0.5)
        # Redrawn on every frame; the rest of the figure is drawn once per surface,
        # and again whenever the loss axis gets new limits or tick labels (the
        # blitting canvas notices that by itself, see nnlib/blit.py).
        # The loss line comes before the spines, which it can touch (a full drawing's order).
        self.moving = [self.path_line, self.start_dot, self.end_dot, self.banner,
                       self.loss_line, *self.ax_loss.spines.values()]

    def _draw_surface(self, s):
        """Only on a surface switch: the curve or the bands, limits, minima, title."""
        ax = self.ax
        if s.dims == 1:
            x = np.linspace(*s.xlim, 200)
            self.curve.set_data(x, s.f(x, 0.0))
            ax.set_ylabel("f(x)")
        else:
            X, Y = np.meshgrid(np.linspace(*s.xlim, 200), np.linspace(*s.ylim, 200))
            Z = s.f(X, Y)
            # Levels at quantiles of f: every surface gets evenly spread bands.
            levels = np.unique(np.quantile(Z, np.linspace(0, 1, 16) ** 2))
            # BoundaryNorm: one distinct shade per band, however close the levels.
            self.bands.set_data(Z)
            self.bands.set_norm(BoundaryNorm(levels, 256))
            self.bands.set_extent((*s.xlim, *s.ylim))
            ax.set_ylabel("y")
        self.bands.set_visible(s.dims == 2)
        self.curve.set_visible(s.dims == 1)
        ax.set(xlim=s.xlim, ylim=s.ylim)
        mx, my = np.array(s.minima).T
        my = s.f(mx, my) if s.dims == 1 else my  # 1-D: the minimum sits on the curve
        self.minima.set_data(mx, my)
        ax.set_title(f"{s.name}:  {s.formula}")
        # A log scale needs losses > 0: where the lowest loss is not 0, show f(p) - lowest f.
        self.ax_loss.set_ylabel("loss f(p)" if s.f_min == 0 else "f(p) - lowest f")
        self._drawn = s.name
        self.redraw_all(scene=s.name)  # a new picture under the path (kept per surface)

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
        self.banner.set_text(f"diverged after {steps_text(r.steps_taken)}" if r.diverged else "")
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
        lr, momentum, steps = self.lr.value, self.momentum.value, steps_text(r.steps_taken)
        stable = stable_lr(s, momentum)  # the quadratic limit 2 (1 + momentum) / L
        first, last = r.losses[0], r.losses[-1]
        if r.diverged or last > first:
            start = (f"Diverged after {steps}" if r.diverged
                     else f"The loss went up, from {first:.3g} to {last:.3g}")
            return f"{start}: {self._too_large(s)}", "warning"
        # Bouncing: each step jumps over the valley floor (successive steps point in
        # opposite directions) and the loss hardly falls: lr is at the edge of stability.
        hardly_fell = last - s.f_min > 0.5 * (first - s.f_min)
        near_edge = lr >= 0.9 * stable
        if hardly_fell and self._bounces(s, r, near_edge):
            return (f"Bouncing: every step jumps across the valley to the other side, and after "
                    f"{steps} the loss is still {last:.3g}. The learning rate is at "
                    f"the edge of stability (about {stable:.2g}): try a smaller one."), "warning"
        # Swinging: with momentum the ball overshoots, and the loss goes up again at one
        # step in four or more (and at 3 steps at least): it is not crawling, and a larger
        # lr would make it worse.
        rises = int(np.sum(np.diff(r.losses) > 0))
        if momentum > 0 and hardly_fell and rises >= max(3, len(r.losses) / 4):
            return (f"Swinging: with momentum {momentum:g} the ball overshoots and swings back "
                    f"and forth (the loss went up again at {rises} of {len(r.losses) - 1} steps); "
                    f"after {steps} it is still {last:.3g}. Try less momentum."), "warning"
        # Crawling: the loss barely fell AND the slope is still about as steep as at the
        # start (a start next to a minimum is flat there: not crawling, just arrived).
        still_steep = np.hypot(*s.grad(*r.path[-1])) > 0.5 * np.hypot(*s.grad(*r.path[0]))
        if still_steep and last - s.f_min > 0.9 * (first - s.f_min):
            # Near the limit a larger learning rate would bounce or blow up: never suggest it.
            edge = "past" if lr > stable else "at"
            advice = (f"The learning rate is already {edge} the edge of stability (about "
                      f"{stable:.2g}): try more steps{', or some momentum' if momentum == 0 else ''}."
                      if near_edge else "Try a larger learning rate, "
                      f"{'some momentum, ' if momentum == 0 else ''}or more steps.")
            return (f"Crawling: after {steps} the loss is still "
                    f"{100 * (last - s.f_min) / (first - s.f_min):.0f}% of where it started. "
                    + advice), "info"
        if s.f_min == 0:
            return f"After {steps}: loss {last:.3g}.", "info"
        return f"After {steps}: loss {last:.3g} {self._above_lowest(s, r)}", "info"

    def _too_large(self, s):
        """Why the loss rose or blew up, and a learning rate to try instead.

        The suggestion is rounded down, so it is always below the lr in use.  With
        momentum, the heavy-ball limit 2 (1 + momentum) / L only holds after many
        steps (a fast ball overshoots first): suggest the limit without momentum,
        2 / L, and less momentum.
        """
        lr, momentum = self.lr.value, self.momentum.value
        stable = stable_lr(s, 0.0)  # 2 / L
        # Below the limit, unless lr already is (a curved surface): then halve it.
        limit = f"{round_down(stable if lr > stable else lr / 2):.2g}"
        if momentum == 0:
            return f"the learning rate is too large for this surface (try < {limit})."
        return (f"the learning rate is too large for this surface, or the momentum too high "
                f"(try a learning rate < {limit} with less momentum).")

    @staticmethod
    def _bounces(s, r, near_edge):
        """Does every step jump across the valley floor?

        Three turns of direction in a row are enough to tell; a shorter run (one or
        two steps) is judged by the slope, which flips sign after each jump, but only
        when lr is close to the limit (a single step past the floor is no bounce).
        """
        moves = np.diff(np.asarray(r.path, dtype=float), axis=0)
        turns = np.sum(moves[1:] * moves[:-1], axis=1) < 0
        if len(turns) >= 3:
            return turns.mean() > 0.8
        slopes = np.array([s.grad(*p) for p in r.path])  # at most 4 points
        return near_edge and bool(np.all(np.sum(slopes[1:] * slopes[:-1], axis=1) < 0))

    @staticmethod
    def _above_lowest(s, r):
        """On a surface whose lowest f is not 0: the height the loss panel shows
        (f(p) - lowest f), and which minimum the run rests in, if any."""
        last, (x, y) = r.losses[-1], r.path[-1]
        text = f"({last - s.f_min:.3g} above the lowest value, {s.f_min:.3g})"
        deepest = min(s.minima, key=lambda m: s.f(*m))
        resting = [m for m in s.minima if np.hypot(x - m[0], y - m[1]) < 0.1]
        if not resting:
            return f"{text}."
        if resting[0] == deepest:
            return f"{text}: in the deepest minimum."
        # Gradient descent only goes downhill: from here it never finds the deeper one.
        return (f"{text}: it rests in a shallower minimum, at x = {resting[0][0]:.2f}, and "
                f"descent cannot climb out to the deeper one at x = {deepest[0]:.2f}.")

    def state(self):
        s, r = SURFACES[self.surface.value], self.result
        return {"surface": s.name, "start": self.start(), "lr": self.lr.value,
                "momentum": self.momentum.value, "steps": self.steps.value,
                "final_point": tuple(float(v) for v in r.path[-1][: s.dims]),
                "final_loss": float(r.losses[-1]), "diverged": r.diverged,
                "steps_taken": r.steps_taken, "note": self.note()[0]}
