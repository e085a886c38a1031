"""Pictures the lessons share: data points, decision boundaries, functions, loss curves.

Every function draws into a matplotlib Axes (`ax`) you give it, or a new one,
and returns that Axes so you can add to it.  Colours: blue for class 0, orange
for class 1 (readable for colour-blind eyes too).
"""
import matplotlib.pyplot as plt
import numpy as np

from . import validate

CLASS_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"]
BOUNDARY_CMAP = "RdBu_r"  # blue (0) .. white (0.5) .. red/orange (1)


def new_axes(ax=None, figsize=(4.5, 4.0)):
    """The given Axes, or a fresh one in a new figure."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def scatter_classes(X, y, ax=None, hollow=False, size=30, title=None):
    """Scatter 2-D points X (n, 2) coloured by their class labels y (n,)."""
    X = validate.as_array(X, "X", ndim=2, shape_hint="(n_samples, 2)")
    y = np.asarray(y).astype(int).ravel()
    validate.check_same_length(X, y)
    ax = new_axes(ax)
    for k in np.unique(y):
        pts = X[y == k]
        color = CLASS_COLORS[k % len(CLASS_COLORS)]
        style = dict(facecolors="none", edgecolors=color) if hollow else dict(c=color, edgecolors="white")
        ax.scatter(pts[:, 0], pts[:, 1], s=size, linewidths=1, label=f"class {k}", **style)
    ax.set(xlabel="$x_1$", ylabel="$x_2$")
    if title:
        ax.set_title(title)
    return ax


def grid(lim=2.0, resolution=100):
    """A square grid over [-lim, lim]^2: returns xx, yy (each (r, r)) and the points (r*r, 2)."""
    xs = np.linspace(-lim, lim, resolution)
    xx, yy = np.meshgrid(xs, xs)
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def decision_boundary(predict_proba, X=None, y=None, ax=None, lim=2.0, resolution=100, title=None):
    """Colour the plane by a model's probability of class 1, and draw the 0.5 line.

    predict_proba: a function taking points (m, 2) and returning m numbers in [0, 1].
    X, y:          optional data points to draw on top.
    """
    ax = new_axes(ax)
    xx, yy, points = grid(lim, resolution)
    p = np.asarray(predict_proba(points), dtype=float).reshape(xx.shape)
    ax.imshow(p, extent=(-lim, lim, -lim, lim), origin="lower", cmap=BOUNDARY_CMAP,
              vmin=0, vmax=1, alpha=0.55, aspect="auto")
    if p.min() < 0.5 < p.max():  # the boundary is on the picture
        ax.contour(xx, yy, p, levels=[0.5], colors="k", linewidths=1.5)
    if X is not None:
        scatter_classes(X, y, ax=ax)
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), xlabel="$x_1$", ylabel="$x_2$")
    if title:
        ax.set_title(title)
    return ax


def plot_function(f, lo=-5.0, hi=5.0, ax=None, label=None, title=None, xlabel="z", ylabel=None, **style):
    """Plot y = f(x) for x from lo to hi."""
    ax = new_axes(ax, figsize=(4.5, 3.2))
    x = np.linspace(lo, hi, 400)
    ax.plot(x, f(x), label=label, **style)
    ax.axhline(0, color="gray", lw=0.6)
    ax.axvline(0, color="gray", lw=0.6)
    ax.set(xlabel=xlabel, ylabel=ylabel or (f"{label}({xlabel})" if label else "value"))
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    return ax


def loss_curve(losses, ax=None, label="training loss", title="Loss during training", log=False, **style):
    """Plot a list of losses, one per step or epoch."""
    ax = new_axes(ax, figsize=(4.5, 3.2))
    ax.plot(np.arange(1, len(losses) + 1), losses, label=label, **style)
    ax.set(xlabel="epoch", ylabel="loss", title=title)
    if log:
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    return ax
