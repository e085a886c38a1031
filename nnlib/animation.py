"""Turn a training run into an animation: watch the decision boundary move.

A picture of training has two panels side by side:

    left:   the input plane (x1, x2) coloured by what the network says,
                p = sigmoid(z) = the network's probability of class 1,
            blue where p is near 0 (class 0), orange where p is near 1
            (class 1) and white where p = 0.5: that white band is the
            decision boundary.  The data points sit on top.
    right:  the loss against the epoch.

Three steps make an animation:

    rec = record_training(model, X, y, epochs=200, every=10)   # train, keep frames
    html = to_html(rec)           # a small player for the notebook:
                                  #   IPython.display.HTML(html)
    save_gif(rec, "training.gif") # a GIF file, e.g. for slides

record_training() trains with nnlib.train.fit and, through fit's callback,
keeps a Frame (the p over the plane, the accuracy) every `every` epochs.
Only numbers are stored while training; the pictures are drawn afterwards,
one kept matplotlib figure updated in place for every frame (only what
moves is redrawn: see nnlib/blit.py).

The drawing pieces (colours, BoundaryPlot, LossPlot) are shared with the
Playground widget (nnlib/widgets/playground.py), so both look the same.
"""
import base64
import hashlib
import io
import json
import os
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from nnlib import validate
from nnlib.activations import sigmoid
from nnlib.blit import BlitCanvas
from nnlib.losses import bce_with_logits
from nnlib.train import _check_X, _check_y, accuracy, fit

# Okabe-Ito blue and orange: two colours that people with every common kind
# of colour blindness can tell apart.  Class 0 is blue, class 1 orange.
BLUE, ORANGE = "#0072B2", "#E69F00"
# Blue -> white -> orange: 0 blue, the middle white, 1 orange.  The plane
# behind the data uses paler ends (PLANE_CMAP), so the saturated data points
# stand out on it.  NaN ("bad") pixels, from a network whose weights blew
# up, are grey.
CMAP = LinearSegmentedColormap.from_list("blue_white_orange", [BLUE, "white", ORANGE])
CMAP = CMAP.with_extremes(bad="#dddddd")
PLANE_CMAP = LinearSegmentedColormap.from_list(
    "pale_blue_white_orange", ["#7fb8d8", "white", "#f2cf7f"]).with_extremes(bad="#dddddd")
LIM = 2.0          # the plane shown is the square [-LIM, LIM] x [-LIM, LIM]


# ------------------------------------------------------------ the plane --

def plane_grid(size, lim=LIM):
    """The size x size points of a regular grid over [-lim, lim]^2, one per row.

    Row-major order: point number i * size + j is (x1 = t[j], x2 = t[i]) with
    t = linspace(-lim, lim, size).  So values computed at these points,
    reshaped to (size, size), form an image whose row i has x2 = t[i]
    (show it with imshow(origin="lower") to put x2 = -lim at the bottom).
    """
    size = validate.check_positive_int(size, "size")
    lim = validate.check_positive(lim, "lim")
    t = np.linspace(-lim, lim, size)
    x1, x2 = np.meshgrid(t, t)
    return np.column_stack([x1.ravel(), x2.ravel()])


def probability_map(model, grid, size):
    """p = sigmoid(z) of the model at every grid point, as a (size, size) image."""
    if not callable(getattr(model, "forward", None)):
        raise TypeError(f"model must be a model such as mlp([2, 8, 1]), got {type(model).__name__}")
    # A model whose weights blew up gives NaN here (shown grey), not warnings.
    with np.errstate(all="ignore"):
        z = model.forward(grid)
        return sigmoid(z[:, 0]).reshape(size, size)


# --------------------------------------------------------- drawing parts --

class BoundaryPlot:
    """The input plane coloured by p, with the data points on top.

    Training points are filled dots with a white rim; test points are filled
    dots with a black ring, so you can tell which ones the network never saw.
    """

    def __init__(self, ax, size, lim=LIM, show_test=True):
        self.ax = ax
        self.image = ax.imshow(np.full((size, size), 0.5), cmap=PLANE_CMAP, vmin=0.0, vmax=1.0,
                               origin="lower", extent=(-lim, lim, -lim, lim),
                               interpolation="bilinear")
        # The points as markers of lines, one line per class: Agg draws a marker once
        # and stamps it, about 6x quicker than a scatter (they are redrawn every tick).
        self.train = [ax.plot([], [], "o", ms=4, mfc=color, mec="white", mew=0.6, zorder=3)[0]
                      for color in (BLUE, ORANGE)]
        self.test = [ax.plot([], [], "o", ms=4, mfc=color, mec="black", mew=0.9, zorder=3)[0]
                     for color in (BLUE, ORANGE)]
        ticks = [-lim, 0, lim]
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim), xticks=ticks, yticks=ticks,
               xlabel="x1", ylabel="x2", title="what the network says")

        def dot(color, rim):
            return Line2D([], [], ls="", marker="o", markersize=6, markerfacecolor=color,
                          markeredgecolor=rim)
        handles = [dot(BLUE, "white"), dot(ORANGE, "white"), dot("#cccccc", "black")]
        labels = ["class 0", "class 1", "test (ringed)"]
        n = 3 if show_test else 2
        ax.legend(handles[:n], labels[:n], loc="upper center",
                  bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=9, frameon=False,
                  handletextpad=0.1, columnspacing=0.8)

    def moving(self):
        """The artists that change from frame to frame (see nnlib/blit.py).

        The spines come right after the image, which would otherwise paint over them.
        """
        return [self.image, *self.ax.spines.values(), *self.train, *self.test, self.ax.title]

    def set_points(self, X_train, y_train, X_test=None, y_test=None):
        """Put the data on the plane (call again when the data change)."""
        if X_test is None:
            X_test, y_test = np.empty((0, 2)), np.empty(0, dtype=int)
        for lines, X, y in ((self.train, X_train, y_train), (self.test, X_test, y_test)):
            X, y = np.asarray(X, dtype=float).reshape(-1, 2), np.asarray(y, dtype=int)
            for k, line in enumerate(lines):         # line k: the points of class k
                line.set_data(X[y == k, 0], X[y == k, 1])

    def set_probability(self, p):
        """Colour the plane by p, a (size, size) image of probabilities."""
        self.image.set_data(p)


def _thin(x, y, max_points=400):
    """At most about max_points of the curve (x, y), always keeping the last point.

    A line of 10000 points costs far more to draw than one of 400 and looks
    the same at this size.
    """
    stride = max(1, len(x) // max_points)
    if stride == 1:
        return x, y
    keep = np.r_[np.arange(0, len(x) - 1, stride), len(x) - 1]
    return np.asarray(x)[keep], np.asarray(y)[keep]


class LossPlot:
    """Train and test loss against the epoch.

    The axis limits are managed here, not by autoscaling: the epoch axis
    doubles whenever training runs past it, the loss axis grows when a loss
    goes above it.  Fixed limits most of the time mean a calm picture (and
    a cheap one: see nnlib/blit.py).  The top third stays free for the legend.
    """

    def __init__(self, ax, x_max=50, y_max=1.2, show_test=True):
        self.ax = ax
        self.start = (x_max, y_max)
        (self.train_line,) = ax.plot([], [], color="#333333", lw=1.5, label="train loss")
        (self.test_line,) = ax.plot([], [], color="#CC79A7", lw=1.5, ls="--",
                                    label="test loss")
        ax.set(xlabel="epoch", ylabel="cross-entropy", title="loss (lower is better)")
        ax.grid(alpha=0.3)
        ax.legend(handles=[self.train_line, self.test_line][:2 if show_test else 1],
                  loc="upper right", fontsize=9)
        self.clear()

    def moving(self):
        """The artists that change from frame to frame (see nnlib/blit.py).

        Not the title: it changes seldom (a new learning rate), and a new title
        redraws the background by itself.
        """
        return [self.train_line, self.test_line]

    def clear(self):
        """No curves; limits back to where they started."""
        self.x_max, self.y_max = self.start
        self.ax.set_xlim(0, self.x_max)
        self.ax.set_ylim(0, self.y_max)
        self.train_line.set_data([], [])
        self.test_line.set_data([], [])

    def set_curves(self, epochs, train_loss, test_loss=None):
        """Draw the curves; grow the axes if the curves went past them."""
        self.train_line.set_data(*_thin(epochs, train_loss))
        if test_loss is not None:
            self.test_line.set_data(*_thin(epochs, test_loss))
        if len(epochs) and epochs[-1] > self.x_max:
            while epochs[-1] > self.x_max:
                self.x_max *= 2
            self.ax.set_xlim(0, self.x_max)
        highest = max(np.max(train_loss, initial=0.0),
                      np.max(test_loss, initial=0.0) if test_loss is not None else 0.0)
        if highest > self.y_max / 1.5:
            self.y_max = 1.5 * highest
            self.ax.set_ylim(0, self.y_max)


# ------------------------------------------------------------- recording --

@dataclass
class Frame:
    """One moment of training: the epoch, p over the plane, the training accuracy."""
    epoch: int
    probability: np.ndarray
    accuracy: float


@dataclass
class Recording:
    """What record_training() kept.

    frames:          the Frames, first one at epoch 0 (before any training)
    X, y:            the training data; X_test, y_test: held-out data or None
    loss:            loss[e] = training loss at epoch e; loss[0] before training,
                     after that the mean over the epoch's mini-batches (as fit
                     records it)
    test_loss:       the same for the test data (after each epoch), or None
    """
    frames: list
    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray = None
    y_test: np.ndarray = None
    loss: list = None
    test_loss: list = None
    lim: float = LIM


def _as_model(model):
    """A model, or a function that makes one (called once, here)."""
    if not callable(getattr(model, "forward", None)) and callable(model):
        model = model()
    if not callable(getattr(model, "forward", None)):
        raise TypeError(f"model must be a model such as mlp([2, 8, 1]) or a function "
                        f"returning one, got {type(model).__name__}")
    if (getattr(model, "n_in", None), getattr(model, "n_out", None)) != (2, 1):
        raise ValueError("model must take 2 inputs (x1, x2) and give 1 output (a logit), "
                         "e.g. mlp([2, 8, 1])")
    return model


def _loss(model, X, y):
    """The binary cross-entropy of the model on (X, y), labels 0/1."""
    with np.errstate(all="ignore"):
        return bce_with_logits(model.forward(np.asarray(X, dtype=float)), np.asarray(y))


def record_training(model, X, y, epochs=100, every=10, optimizer="sgd", lr=0.1,
                    batch_size=None, seed=0, X_test=None, y_test=None, grid_size=50, l2=0.0):
    """Train a binary classifier on 2-D points and keep frames for an animation.

    model:       a model with 2 inputs and 1 output, e.g. mlp([2, 4, 4, 1]),
                 trained IN PLACE; or a function returning a fresh model
    X, y:        training points (n, 2) and labels 0/1 (n,)
    epochs:      how long to train (passed to nnlib.train.fit, loss "bce")
    every:       keep a frame every `every` epochs; there is always one at
                 epoch 0 and one at the last epoch, so the number of frames is
                 1 + epochs // every, plus 1 if every does not divide epochs
    optimizer, lr, batch_size, seed, X_test, y_test, l2: as in fit
    grid_size:   the plane is sampled on a grid_size x grid_size grid

    Returns a Recording.  Raises TrainingDiverged (from fit) if the loss blows up.
    """
    model = _as_model(model)
    epochs = validate.check_positive_int(epochs, "epochs")
    every = validate.check_positive_int(every, "every")
    grid_size = validate.check_positive_int(grid_size, "grid_size")
    grid = plane_grid(grid_size)
    frames = []

    def keep(epoch):
        with np.errstate(all="ignore"):
            acc = accuracy(model, X, y)
        frames.append(Frame(epoch, probability_map(model, grid, grid_size), acc))

    keep(0)      # before any training; accuracy() also checks X and y here
    if X_test is not None and y_test is not None:
        # Checked here under their own names: fit() would, but _loss() below comes first.
        checked_X = _check_X(X_test, model, "X_test")
        checked_y = _check_y(y_test, "bce", model, "y_test")
        validate.check_same_length(checked_X, checked_y, "X_test", "y_test")
    first_loss = _loss(model, X, y)
    first_test = None if X_test is None or y_test is None else _loss(model, X_test, y_test)

    def callback(epoch, history):
        if epoch % every == 0 or epoch == epochs:
            keep(epoch)

    history = fit(model, X, y, loss="bce", optimizer=optimizer, lr=lr, epochs=epochs,
                  batch_size=batch_size, seed=seed, callback=callback,
                  X_test=X_test, y_test=y_test, progress=False, l2=l2)
    test_loss = None if first_test is None else [first_test] + history.test_loss
    return Recording(frames, np.asarray(X, dtype=float), np.asarray(y), X_test, y_test,
                     [first_loss] + history.loss, test_loss)


# --------------------------------------------------------------- drawing --

class TrainingPicture:
    """One kept figure for a Recording; show(frame) updates it in place."""

    def __init__(self, recording, figsize=(6.4, 3.0), dpi=80):
        self.recording = recording
        self.fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        ax_plane, ax_loss = self.fig.subplots(1, 2, width_ratios=[1.0, 1.25])
        size = recording.frames[0].probability.shape[0]
        has_test = recording.X_test is not None
        self.boundary = BoundaryPlot(ax_plane, size, recording.lim, show_test=has_test)
        self.boundary.set_points(recording.X, recording.y, recording.X_test, recording.y_test)
        # The whole run is known, so the loss axes are fixed from the start.
        losses = recording.loss + (recording.test_loss or [])
        finite = [v for v in losses if np.isfinite(v)]
        self.loss = LossPlot(ax_loss, x_max=max(1, recording.frames[-1].epoch),
                             y_max=1.5 * max(finite, default=1.0), show_test=has_test)
        self.canvas = BlitCanvas(self.fig, self.boundary.moving() + self.loss.moving())

    def show(self, frame):
        """Draw the recording as it was at this frame; returns a Pillow image."""
        e = frame.epoch
        self.boundary.set_probability(frame.probability)
        test = self.recording.test_loss
        self.loss.set_curves(np.arange(e + 1), self.recording.loss[:e + 1],
                             None if test is None else test[:e + 1])
        self.boundary.ax.set_title(f"epoch {e}: training accuracy {frame.accuracy:.0%}")
        return self.canvas.pil_image()


def _png(image):
    """A Pillow image as PNG bytes (smallest files: these end up inside the page)."""
    buf = io.BytesIO()
    image.save(buf, format="png")
    return buf.getvalue()


def _check_fps(fps):
    return validate.check_positive(fps, "fps")


def _check_picture(figsize, dpi):
    """figsize: (width, height) in inches, both > 0; dpi: dots per inch > 0."""
    if isinstance(figsize, (str, bytes)) or not hasattr(figsize, "__len__") or len(figsize) != 2:
        raise TypeError(f"figsize must be (width, height) in inches, got {figsize!r}")
    for size in figsize:
        validate.check_positive(size, "figsize")
    validate.check_positive(dpi, "dpi")


def _frames_of(recording):
    if not isinstance(recording, Recording):
        raise TypeError(f"recording must be a Recording from record_training(), "
                        f"got {type(recording).__name__}")
    if not recording.frames:
        raise ValueError("recording has no frames (recording.frames is empty): "
                         "nothing to animate")
    return recording.frames


_PLAYER = """<div class="nnlib-animation" id="{id}">
<img class="nnlib-animation-frame" alt="training animation" src="data:image/png;base64,{first}">
<div class="nnlib-animation-controls">
<button class="nnlib-animation-play" type="button">&#9654; Play</button>
<input class="nnlib-animation-slider" type="range" min="0" max="{last}" value="0"
 style="width:300px">
<span class="nnlib-animation-label">{first_label}</span>
</div>
<script>
(function () {{
  var root = document.getElementById("{id}");
  var frames = {frames};
  var labels = {labels};
  var img = root.querySelector(".nnlib-animation-frame");
  var button = root.querySelector(".nnlib-animation-play");
  var slider = root.querySelector(".nnlib-animation-slider");
  var label = root.querySelector(".nnlib-animation-label");
  var timer = null, current = 0;
  function show(k) {{
    current = k;
    img.src = "data:image/png;base64," + frames[k];
    slider.value = k;
    label.textContent = labels[k];
  }}
  function pause() {{
    clearInterval(timer);
    timer = null;
    button.innerHTML = "&#9654; Play";
  }}
  function play() {{
    if (current === frames.length - 1) {{ show(0); }}
    button.innerHTML = "&#10074;&#10074; Pause";
    timer = setInterval(function () {{
      if (current === frames.length - 1) {{ pause(); }} else {{ show(current + 1); }}
    }}, {interval});
  }}
  button.onclick = function () {{ if (timer) {{ pause(); }} else {{ play(); }} }};
  slider.oninput = function () {{ pause(); show(Number(slider.value)); }};
}})();
</script>
</div>"""


def to_html(recording, fps=5, figsize=(6.4, 3.0), dpi=80):
    """An HTML animation of the recording: a picture, a Play/Pause button, a slider.

    In a notebook:  from IPython.display import HTML;  HTML(to_html(rec)).
    Every frame is a PNG embedded in the page (base64 text), so keep the
    number of frames modest (a few dozen).  The same recording always gives
    the same text: the player's id is made from the pictures themselves.
    """
    frames = _frames_of(recording)
    fps = _check_fps(fps)
    _check_picture(figsize, dpi)
    picture = TrainingPicture(recording, figsize, dpi)
    pngs = [_png(picture.show(frame)) for frame in frames]
    encoded = [base64.b64encode(png).decode("ascii") for png in pngs]
    labels = [f"epoch {f.epoch}, train accuracy {f.accuracy:.0%}" for f in frames]
    player_id = "nnlib-animation-" + hashlib.sha1(b"".join(pngs)).hexdigest()[:12]
    return _PLAYER.format(id=player_id, first=encoded[0], last=len(frames) - 1,
                          first_label=labels[0], frames=json.dumps(encoded),
                          labels=json.dumps(labels), interval=round(1000 / fps))


def save_gif(recording, path, fps=5, figsize=(6.4, 3.0), dpi=80):
    """Write the recording as an animated GIF (loops forever); returns path.

    Pillow (which matplotlib itself uses) writes the file, so no external
    program such as ffmpeg or ImageMagick is needed.
    """
    frames = _frames_of(recording)
    fps = _check_fps(fps)
    _check_picture(figsize, dpi)
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file name such as 'training.gif', got {type(path).__name__}")
    if not str(path).lower().endswith(".gif"):
        raise ValueError(f"path must end in .gif (the file is a GIF), got {str(path)!r}")
    picture = TrainingPicture(recording, figsize, dpi)
    images = [picture.show(frame) for frame in frames]
    # Pillow writes the GIF: the first image, then the others appended;
    # duration is each frame's time on screen in ms, loop=0 repeats forever.
    images[0].save(path, save_all=True, append_images=images[1:],
                   duration=round(1000 / fps), loop=0)
    return path
