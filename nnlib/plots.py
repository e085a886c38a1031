"""Pictures the lessons share: data points, decision boundaries, functions, loss curves.

Every function draws into a matplotlib Axes (`ax`) you give it, or a new one,
and returns that Axes so you can add to it.  Colours: blue for class 0, orange
for class 1 (readable for colour-blind eyes too).
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from . import validate

CLASS_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"]
BOUNDARY_CMAP = "RdBu_r"  # blue (0) .. white (0.5) .. red/orange (1)


def new_axes(ax=None, figsize=(4.5, 4.0)):
    """The given Axes, or a fresh one in a new figure."""
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes (e.g. from plt.subplots()) or None, "
                        f"got {type(ax).__name__}")
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def scatter_classes(X, y, ax=None, hollow=False, size=30, title=None, labels=None):
    """Scatter 2-D points X (n, 2) coloured by their class labels y (n,).

    labels: names for the legend, one per class (default "class 0", "class 1", ...).
    """
    X = validate.as_array(X, "X", ndim=2, shape_hint="(n_samples, 2)")
    if X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2): points in the plane, got {X.shape}")
    y = validate.check_labels(y, "y")
    validate.check_same_length(X, y)
    if labels is not None and (isinstance(labels, str) or len(labels) <= y.max()):
        raise ValueError(f"labels must be a list with one name per class, at least "
                         f"{y.max() + 1} (for classes 0 to {y.max()}), got {labels!r}")
    ax = new_axes(ax)
    for k in np.unique(y):
        pts = X[y == k]
        color = CLASS_COLORS[k % len(CLASS_COLORS)]
        style = dict(facecolors="none", edgecolors=color) if hollow else dict(c=color, edgecolors="white")
        name = labels[k] if labels is not None else f"class {k}"
        ax.scatter(pts[:, 0], pts[:, 1], s=size, linewidths=1, label=name, **style)
    ax.set(xlabel="$x_1$", ylabel="$x_2$")
    if title:
        ax.set_title(title)
    return ax


def grid(lim=2.0, resolution=100, extent=None):
    """A grid over the square [-lim, lim]^2, or over extent = (x_min, x_max, y_min, y_max).

    Returns xx, yy (each (r, r)) and the same points as rows (r*r, 2).
    """
    x0, x1, y0, y1 = _check_extent(lim, extent)
    resolution = validate.check_int(resolution, "resolution", low=2)
    xx, yy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def _check_extent(lim, extent):
    """(x_min, x_max, y_min, y_max) from extent, or the square [-lim, lim]^2."""
    if extent is None:
        lim = validate.check_positive(lim, "lim")
        return -lim, lim, -lim, lim
    extent = validate.as_array(extent, "extent", ndim=1)
    if len(extent) != 4 or not (extent[0] < extent[1] and extent[2] < extent[3]):
        raise ValueError(f"extent must be (x_min, x_max, y_min, y_max) with x_min < x_max and "
                         f"y_min < y_max, got {tuple(extent.tolist())}")
    return tuple(extent.tolist())


def decision_boundary(predict_proba, X=None, y=None, ax=None, lim=2.0, resolution=100, title=None,
                      extent=None, labels=None):
    """Colour the plane by a model's probability of class 1, and draw the 0.5 line.

    predict_proba: a function taking points (m, 2) and returning m numbers in [0, 1].
    X, y:          optional data points to draw on top.
    extent:        (x_min, x_max, y_min, y_max) to show instead of [-lim, lim]^2.
    """
    validate.check_callable(predict_proba, "predict_proba",
                            "a function taking points (m, 2) and returning m probabilities")
    extent = _check_extent(lim, extent)
    xx, yy, points = grid(resolution=resolution, extent=extent)
    p = validate.as_array(predict_proba(points), "predict_proba's result", finite=False)
    if p.size != len(points):
        raise ValueError(f"predict_proba must return one number per point: it got "
                         f"{len(points)} points and returned {p.size} numbers")
    finite = p[np.isfinite(p)]
    if finite.size and (finite.min() < 0 or finite.max() > 1):  # logits would colour and cut wrongly
        raise ValueError(f"predict_proba must return probabilities in [0, 1], got numbers from "
                         f"{finite.min():.3g} to {finite.max():.3g}: a model's raw outputs (logits)? "
                         f"Give it lambda P: predict_proba(model, P) (from nnlib.train)")
    p = p.reshape(xx.shape)
    ax = new_axes(ax)
    # bilinear: a coarse grid still looks smooth
    ax.imshow(p, extent=extent, origin="lower", cmap=BOUNDARY_CMAP, vmin=0, vmax=1,
              alpha=0.45, aspect="auto", interpolation="bilinear")
    if p.min() < 0.5 < p.max():  # the boundary is on the picture
        ax.contour(xx, yy, p, levels=[0.5], colors="k", linewidths=1.5)
    if X is not None:
        scatter_classes(X, y, ax=ax, labels=labels)
    ax.set(xlim=extent[:2], ylim=extent[2:], xlabel="$x_1$", ylabel="$x_2$")
    if title:
        ax.set_title(title)
    return ax


def _values_of(f, x):
    """f(x) for the whole array x at once: one value per x, or a clear error."""
    try:
        y = f(x)
    except TypeError as error:      # math.tanh(array) fails so, deep inside numpy
        raise TypeError(f"f must work on a whole numpy array of x values at once "
                        f"(use np.tanh, not math.tanh); f(x) raised: {error}") from error
    if np.shape(y) != x.shape:
        hint = " (for a constant c, return c + 0 * x)" if np.shape(y) == () else ""
        raise ValueError(f"f must return one value per x: for {x.size} values of x it "
                         f"returned shape {np.shape(y)}{hint}")
    return y


def plot_function(f, lo=-5.0, hi=5.0, ax=None, label=None, title=None, xlabel="z", ylabel=None, **style):
    """Plot y = f(x) for x from lo to hi."""
    validate.check_callable(f, "f", "a function such as np.tanh")
    lo, hi = validate.check_number(lo, "lo"), validate.check_number(hi, "hi")
    if lo >= hi:
        raise ValueError(f"lo must be smaller than hi (plot from lo to hi), got lo={lo}, hi={hi}")
    x = np.linspace(lo, hi, 400)
    y = _values_of(f, x)
    ax = new_axes(ax, figsize=(4.5, 3.2))
    ax.plot(x, y, label=label, **style)
    ax.axhline(0, color="gray", lw=0.6)
    ax.axvline(0, color="gray", lw=0.6)
    if ylabel is None:  # "tanh" -> "tanh(z)"; a label that already says "(z)" stays as it is
        ylabel = (label if label.endswith(")") else f"{label}({xlabel})") if label else "value"
    ax.set(xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    return ax


def plot_activation(name, lo=-6.0, hi=6.0, ax=None):
    """Plot an activation f (solid) and its slope f' (dashed), by name, e.g. "tanh"."""
    from .activations import get_activation  # here, so plots.py stays light to import

    f, f_prime = get_activation(name)
    ax = plot_function(f, lo, hi, ax=ax, label=f"{name}(z)", ylabel="value", lw=2)
    plot_function(f_prime, lo, hi, ax=ax, label=f"{name}'(z)", ylabel="value", ls="--", lw=2)
    ax.set_title(f"{name} and its slope")
    ax.legend()
    return ax


def loss_curve(losses, ax=None, label="training loss", title="Loss during training", log=False,
               xlabel="epoch", **style):
    """Plot a list of losses, one per step or epoch."""
    # NaN and inf allowed: the curve of a run that blew up is worth seeing.
    losses = validate.as_array(losses, "losses", ndim=1, shape_hint="(n_epochs,)",
                               allow_empty=True, finite=False)
    ax = new_axes(ax, figsize=(4.5, 3.2))
    ax.plot(np.arange(1, len(losses) + 1), losses, label=label, **style)
    ax.set(xlabel=xlabel, ylabel="loss", title=title)
    if log:
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    return ax


def confusion_plot(C, ax=None, title=None, labels=None):
    """Draw a confusion matrix C (k, k): rows the true class, columns the predicted one.

    Each cell shows its count; darker means more.  The diagonal holds the right
    answers; the mistakes are the numbers off it (drawn in red when not 0).
    """
    C = validate.as_array(C, "C", ndim=2, shape_hint="(k, k)")
    if C.shape[0] != C.shape[1]:
        raise ValueError(f"C must be square (k, k), got shape {C.shape}")
    if np.any(C < 0) or np.any(C != np.round(C)):
        raise ValueError("C must hold counts (whole numbers 0 or more), as confusion_matrix gives")
    k = len(C)
    if labels is not None and (isinstance(labels, str) or len(labels) != k):
        raise ValueError(f"labels must be a list of {k} class names, one per row, got {labels!r}")
    ax = new_axes(ax, figsize=(4.6, 4.2))
    ax.imshow(C, cmap="Blues", vmin=0, vmax=max(C.max(), 1))
    for i in range(k):
        for j in range(k):
            count = int(C[i, j])
            if i == j:
                color = "white" if C[i, j] > 0.5 * C.max() else "black"
            else:
                color = "#d62728" if count else "#bbbbbb"
            ax.text(j, i, str(count), ha="center", va="center", fontsize=8, color=color)
    ticks = labels if labels is not None else range(k)
    ax.set(xticks=range(k), yticks=range(k), xticklabels=ticks, yticklabels=ticks,
           xlabel="predicted class", ylabel="true class")
    if title:
        ax.set_title(title)
    return ax


def show_digit(image, ax=None, title=None):
    """Draw one 8 x 8 digit (ink 0..16, or a row of 64 numbers in [0, 1]) in grey."""
    image = validate.as_array(image, "image")
    if image.size != 64:
        raise ValueError(f"image must have 64 pixels (8 x 8), got {image.size}")
    image = image.reshape(8, 8)
    top = 16.0 if image.max() > 1 else 1.0   # 0..16 as stored, or 0..1 as scaled
    ax = new_axes(ax, figsize=(1.5, 1.5))
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=top, interpolation="nearest")
    ax.set(xticks=[], yticks=[])
    if title:
        ax.set_title(title, fontsize=9)
    return ax


def weight_images(W, axes, scale=None):
    """Draw each column of a first-layer W (64, m) as an 8 x 8 picture, one per axes.

    Red where the weight is positive (ink there pushes the neuron up), blue
    where it is negative, white near 0.  One colour scale for all: +-scale, by
    default the largest |w|, so the pictures can be compared.
    """
    W = validate.as_array(W, "W", ndim=2, shape_hint="(64, n_neurons)")
    if W.shape[0] != 64:
        raise ValueError(f"W must have 64 rows (one per pixel), got shape {W.shape}")
    scale = validate.check_positive(scale, "scale") if scale is not None else float(np.abs(W).max())
    axes = np.ravel(axes)
    if not all(isinstance(ax, Axes) for ax in axes):
        raise TypeError("axes must be matplotlib Axes, e.g. from plt.subplots(2, 5), one per picture")
    images = []
    for j, ax in enumerate(axes):
        ax.set(xticks=[], yticks=[])
        if j >= W.shape[1]:
            ax.axis("off")
            continue
        images.append(ax.imshow(W[:, j].reshape(8, 8), cmap=BOUNDARY_CMAP, vmin=-scale, vmax=scale,
                                interpolation="nearest"))
    return images


def plot_nudge(f, name, w0=0.2, dw=0.1, shift=0.5, ax=None):
    """The output a = f(w - shift) of a neuron against its weight w, and a nudge of w.

    The dot is the current weight w0, the triangles the nudged weights w0 - dw
    and w0 + dw.  They sit close together on the whole curve, so a magnifier
    (a small inset axes, framed on the curve) shows the three of them apart:
    there you see whether the nudge moved the output at all.
    """
    ax = new_axes(ax, figsize=(4.5, 3.5))
    w = np.linspace(-1, 2, 601)
    ax.plot(w, f(w - shift), lw=2, label=f"a = {name}(w - {shift:g})")
    zoom = ax.inset_axes([0.56, 0.1, 0.4, 0.42])
    near = np.linspace(w0 - 2 * dw, w0 + 2 * dw, 101)
    zoom.plot(near, f(near - shift), lw=2)
    nudges = [(w0, "o"), (w0 - dw, "<"), (w0 + dw, ">")]
    for target, size in ((ax, 6), (zoom, 9)):
        for wi, marker in nudges:
            target.plot(wi, f(wi - shift), marker, color="C1", ms=size, mec="black", mew=0.5)
    a = f(np.array([w0 - dw, w0, w0 + dw]) - shift)
    margin = max(3 * (a.max() - a.min()), 0.05)  # a flat step: still a visible band
    zoom.set(xlim=(w0 - 2 * dw, w0 + 2 * dw), ylim=(a.mean() - margin, a.mean() + margin),
             xticks=[w0 - dw, w0, w0 + dw])
    zoom.tick_params(labelsize=8)
    zoom.set_title("magnified", fontsize=9)
    ax.indicate_inset_zoom(zoom, edgecolor="0.4")
    ax.set(xlabel="weight w", ylabel="output a",
           title=f"{name}: nudging w from {w0:g} to {w0 - dw:g} or {w0 + dw:g}")
    ax.legend(loc="upper left", fontsize=9)
    return ax
