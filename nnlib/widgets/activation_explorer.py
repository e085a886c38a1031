"""Lesson 02: what an activation function does, and where it stops learning.

One neuron with two inputs computes

    z = w1 * x1 + w2 * x2 + b        a = f(z).

Left: the activation f(z) and its slope f'(z).  Right: the neuron's output a at
every point (x1, x2) of the square [-3, 3] x [-3, 3].

Gradient descent changes w and b in proportion to f'(z) (the chain rule:
da/dw1 = f'(z) * x1).  Where f is flat, f'(z) is nearly 0 and the neuron hardly
learns: we call that *saturated*, and draw it in grey (a band on the z axis,
stripes on the plane).  "Nearly 0" means |f'(z)| <= 5% of the largest slope
f reaches for z in [-6, 6].

The plane's colours use the scale of f on z in [-6, 6] (the left panel's), but
on the plane z reaches +-21 (w1 = w2 = b = 3): an unbounded f (identity, relu...)
then goes beyond the colour bar.  Those values keep the colour of the bar's end;
an arrow at that end of the bar says so, and the note under the picture gives
the range a really covers.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Patch, Polygon
from matplotlib.ticker import MaxNLocator

from nnlib import validate
from nnlib.activations import ACTIVATIONS
from .base import FigureWidget

SATURATION_LEVEL = 0.05  # saturated: |f'(z)| <= 5% of the activation's peak slope
GREY_STRIPES = (0.8, 0.8, 0.8, 0.9)  # RGBA of the stripes marking saturation
GREY_BAND = (0.8, 0.8, 0.8, 0.6)  # and of the band marking it on the z axis
W_MAX, X_MAX = 3.0, 3.0  # the sliders' and the plane's ends: |z| <= 2 * 3 * 3 + 3 = 21
Z_MAX = 2 * W_MAX * X_MAX + W_MAX
BEYOND = 0.01  # a beyond the colour bar by more than 1% of its length: say so

GREY_NOTE = ("Grey = saturated: |f'(z)| ≤ 5% of its peak slope, so w and b there get "
             "almost no gradient.")
NOTES = {
    "identity": "identity: slope 1 everywhere, so it never saturates. But a network of "
                "identity neurons can only compute a linear function.",
    "step": "step: f'(z) = 0 everywhere, so the whole plane is saturated. Gradient descent "
            "gets a zero gradient for w1, w2 and b and cannot learn: that is why networks "
            "use smooth activations instead.",
    "sigmoid": "sigmoid flattens out for large |z|. Big weights make |z| large over most "
               "of the plane, and learning slows to a crawl there.",
    "tanh": "tanh is like sigmoid but centred at 0 (outputs -1..1); it also flattens "
            "for large |z|.",
    "relu": "relu: slope 0 wherever z < 0. That half of the plane is 'dead': no gradient "
            "flows back through it.",
    "leaky_relu": "leaky_relu: for z < 0 the slope is 0.01, only 1% of the slope for z > 0, "
                  "so that side shows as saturated; small, but never exactly zero.",
    "softplus": "softplus: a smooth relu; it is flat only far on the negative side.",
    "gelu": "gelu: relu-like but smooth; flat far on the negative side, and its slope "
            "crosses 0 near z = -0.75.",
}


def stripes(mask):
    """An RGBA image: grey diagonal stripes where mask is True, transparent elsewhere.

    The mask is doubled in size first (each cell becomes 2 x 2) so the stripes
    come out thinner than the grid's cells.
    """
    mask = np.repeat(np.repeat(mask, 2, axis=0), 2, axis=1)
    rows, cols = np.indices(mask.shape)
    rgba = np.zeros(mask.shape + (4,))
    rgba[mask & ((rows + cols) % 8 < 3)] = GREY_STRIPES
    return rgba


def bar_arrows(cax, cmap):
    """Two triangles, at the bottom and top end of a vertical colour bar, both hidden.

    An arrow at an end of a colour bar means: values beyond this end are drawn
    in this end's colour.  matplotlib's colorbar(extend="max") draws such
    arrows, but chooses them once, when the bar is made; ours are shown or
    hidden for each activation (see ActivationExplorer.show_activation).
    """
    def triangle(base, tip, colour):    # in the bar's axes coordinates (0..1 up the bar)
        return cax.add_patch(Polygon([(0, base), (1, base), (0.5, tip)], closed=True,
                                     transform=cax.transAxes, clip_on=False, visible=False,
                                     facecolor=colour, edgecolor="black", linewidth=0.8))
    return triangle(0.0, -0.06, cmap(0.0)), triangle(1.0, 1.06, cmap(1.0))


def percent(fraction):
    """12%, but never 0% or 100% for a share that is not exactly that: "under 1%",
    "over 99%" (0.3% of the plane shows as grey stripes in a corner)."""
    if 0 < fraction < 0.005:
        return "under 1%"
    if 0.995 <= fraction < 1:
        return "over 99%"
    return f"{fraction:.0%}"


class ActivationExplorer(FigureWidget):
    """Pick an activation f, drag w1, w2, b; watch a = f(w1*x1 + w2*x2 + b)."""

    def __init__(self, activation="sigmoid", w1=1.0, w2=0.5, b=0.0):
        validate.check_choice(activation, "activation", list(ACTIVATIONS))
        for name, value in (("w1", w1), ("w2", w2), ("b", b)):
            validate.check_slider(value, name, -W_MAX, W_MAX, step=0.1)
        super().__init__(figsize=(7.2, 3.3))  # 576 px: fits beside the controls in 1024 px
        self.activation = widgets.Dropdown(options=list(ACTIVATIONS), value=activation,
                                           description="activation f")
        self.w1, self.w2, self.b = (
            widgets.FloatSlider(value=v, min=-W_MAX, max=W_MAX, step=0.1, description=name)
            for name, v in (("w1", w1), ("w2", w2), ("b (bias)", b)))
        self.controls = [self.activation, self.w1, self.w2, self.b]
        self.z = np.linspace(-6, 6, 241)
        g = np.linspace(-X_MAX, X_MAX, 80)  # an even count: no grid point sits exactly on x = 0
        self.x1, self.x2 = np.meshgrid(g, g)
        self.shown_activation = None  # the f the left panel and colour bar show
        self.setup_figure()
        self.observe_controls()
        self.refresh()
        # Every f has its own background (curves, y axis, colour bar): draw them all
        # now, so that a first switch to another f is as quick as a slider move.
        self.prepare_scenes(self.show_activation, ACTIVATIONS, current=activation)

    def setup_figure(self):
        self.ax_f, self.ax_a = self.fig.subplots(1, 2)
        ax = self.ax_f
        self.band = ax.imshow(np.zeros((1, len(self.z), 4)), aspect="auto", zorder=0,
                              interpolation="nearest")
        (self.f_line,) = ax.plot(self.z, self.z, lw=2, color="#0072B2", label="f(z)")
        (self.slope_line,) = ax.plot(self.z, self.z, lw=2, ls="--", color="#E69F00",
                                     label="f'(z), the slope")
        ax.axhline(0, color="k", lw=0.5)
        # Few ticks: every tick label is redrawn on every frame, and text is slow.
        ax.set(xlim=(-6, 6), xlabel="z", ylabel="value", xticks=[-6, -3, 0, 3, 6])
        ax.yaxis.set_major_locator(MaxNLocator(4))
        # The layout is worked out once, for the first f shown (nnlib/blit.py); the
        # label must leave room for the widest tick labels of every f ("−0.6", tanh).
        ax.yaxis.set_label_coords(-0.2, 0.5)
        # "best": the corner where it covers least of the curves; it differs per f
        # (tanh's slope peaks at the top, in the middle) and is worked out when f's
        # background is drawn, not on every frame.
        ax.legend(handles=[self.f_line, self.slope_line,
                           Patch(color=GREY_BAND, label="saturated")],
                  loc="best", fontsize=8, framealpha=0.9)
        ax = self.ax_a
        self.plane = ax.imshow(self.x1, extent=(-3, 3, -3, 3), origin="lower",
                               cmap="viridis", interpolation="nearest")
        self.overlay = ax.imshow(stripes(self.x1 > 0), extent=(-3, 3, -3, 3), origin="lower",
                                 interpolation="nearest")
        ax.set(xlabel="x1", ylabel="x2", xticks=[-3, 0, 3], yticks=[-3, 0, 3])
        bar = self.fig.colorbar(self.plane, ax=ax, label="a = f(z)", shrink=0.9,
                                ticks=MaxNLocator(4))
        self.arrows = bar_arrows(bar.ax, self.plane.get_cmap())  # (bottom, top)
        # Moving w1, w2, b changes only the right panel's pictures: only they are
        # redrawn on such frames (see base.py); the spines come after the pictures,
        # which reach the edges.  Everything else depends on f alone.
        self.moving = [self.plane, self.overlay, *ax.spines.values()]

    def update(self):
        name = self.activation.value
        if name != self.shown_activation:
            self.show_activation(name)
        f, f_prime = ACTIVATIONS[name]
        # Right panel: the neuron's output over the plane, same colour scale as
        # f's values on the left panel (outside it, colours stop changing).
        z_plane = self.w1.value * self.x1 + self.w2.value * self.x2 + self.b.value
        self.a = f(z_plane)
        self.saturated = np.abs(f_prime(z_plane)) <= SATURATION_LEVEL * self.peak
        self.plane.set_data(self.a)
        self.overlay.set_data(stripes(self.saturated))
        # Under the picture as text (the browser draws text at no cost to the kernel;
        # drawn into the picture, this line took a third of each frame's time).
        self.say(f"<b>{percent(self.saturated.mean())} of the plane is saturated.</b> {NOTES[name]}"
                 f"<br>{GREY_NOTE}{self._beyond_the_bar()}",
                 kind="warning" if name == "step" else "info")

    def _beyond_the_bar(self):
        """A sentence if a goes beyond the colour bar's ends (where colours stop), else ''."""
        lo, hi = self.plane.get_clim()
        a_min, a_max = float(self.a.min()), float(self.a.max())
        margin = BEYOND * (hi - lo)
        if a_min >= lo - margin and a_max <= hi + margin:
            return ""
        arrows = "the arrows" if all(arrow.get_visible() for arrow in self.arrows) else "the arrow"
        return (f"<br>Colours stop at the colour bar's ends, {lo:.2g} and {hi:.2g} ({arrows}): "
                f"here a runs from {a_min:.2g} to {a_max:.2g}, and every a beyond an end has "
                "that end's colour.")

    def show_activation(self, name):
        """Left panel: f and f' on z in [-6, 6], the saturated stretch shaded grey.

        Also sets the right panel's colour scale to f's range.  These change only
        when f changes, so they are part of the background: redraw it all.
        """
        f, f_prime = ACTIVATIONS[name]
        f_z, slope_z = f(self.z), f_prime(self.z)
        self.peak = np.max(np.abs(slope_z))
        self.f_line.set_ydata(f_z)
        self.slope_line.set_ydata(slope_z)
        lo = min(f_z.min(), slope_z.min(), 0.0)
        hi = max(f_z.max(), slope_z.max())
        pad = 0.1 * (hi - lo)
        self.ax_f.set_ylim(lo - pad, hi + pad)
        self.band.set_extent((-6, 6, lo - pad, hi + pad))
        # `<=`, not `<`: a function flat everywhere (step, peak slope 0) counts
        # as saturated everywhere, rather than nowhere.
        band_mask = np.abs(slope_z) <= SATURATION_LEVEL * self.peak
        self.band.set_data(np.where(band_mask[None, :, None], GREY_BAND, 0.0))
        self.ax_f.set_title(f"f = {name} and its slope f'")
        self.ax_a.set_title(f"a = {name}(w1·x1 + w2·x2 + b)")
        self.plane.set_clim(f_z.min(), f_z.max())
        # The arrows: can f, anywhere on the plane (|z| <= 21), go beyond the bar's ends?
        f_plane = f(np.linspace(-Z_MAX, Z_MAX, 841))
        margin = BEYOND * (f_z.max() - f_z.min())
        self.arrows[0].set_visible(f_plane.min() < f_z.min() - margin)
        self.arrows[1].set_visible(f_plane.max() > f_z.max() + margin)
        self.shown_activation = name
        self.redraw_all(scene=name)  # the background of each f is kept: switching back is quick

    def state(self):
        return {"activation": self.activation.value, "w1": self.w1.value,
                "w2": self.w2.value, "b": self.b.value,
                "saturated_fraction": float(self.saturated.mean()),
                "output_range": (float(self.a.min()), float(self.a.max()))}
