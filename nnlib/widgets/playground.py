"""Lesson 06: the Playground -- train a small network and watch it learn.

TensorFlow Playground, inside the notebook.  Choose a dataset and a network,
press Play, and watch three pictures change:

    left          the input plane coloured by the network's output
                  p = sigmoid(z), its probability of class 1: blue is class 0,
                  orange class 1, white (p = 0.5) the decision boundary.
                  Filled dots are training data, ringed dots test data.
    top right     train and test loss against the epoch.
    bottom right  every hidden neuron's output a = f(z) over the same plane,
                  one small tile per neuron (row = layer, column = neuron).

Things to try: 0 hidden layers is logistic regression, whose boundary is
always a straight line (it cannot solve XOR); "linear" neurons give a
straight line too, however many layers; a learning rate of 10 makes the
loss jump up instead of down (with linear neurons it explodes to infinity,
and the widget stops; with tanh it jumps about, and a warning stays up
until the loss has been calm for CALM_EPOCHS epochs); 10% training data
with a lot of noise opens a gap between train and test loss (overfitting).

How it runs: one tick = `epochs_per_tick` epochs of mini-batch gradient
descent (nnlib.train.train_step on each batch, reshuffled every epoch
exactly as nnlib.train.fit does) and one new picture.  The Play widget in
the browser bumps its value every `interval` ms and each bump calls
step_epochs(): no thread, no loop, so Pause stops at once.

Defaults: XOR, 2 hidden layers of 4 tanh neurons, plain SGD (the optimizer
of the lessons; Momentum and Adam are in the menu), lr 0.1, batches of 10.
3 epochs per tick, a tick every 50 ms: about 60 epochs a second, and XOR is
solved within a second or two.  A tick costs about 15 ms of the kernel's
time (benchmarks/widget_frames.py); 50 ms leaves room for the browser, which
shares the machine, so ticks never pile up behind a slow kernel.

Changing the data (dataset, noise, training %) or the network (layers,
neurons, activation, optimizer) starts again from epoch 0, as in TensorFlow
Playground.  The learning rate and the batch size can change while training:
the next step simply uses the new value.

Cheap pictures: the output is computed on a 40 x 40 grid and every hidden
neuron on a 16 x 16 grid; all hidden tiles go into ONE image (grey between
tiles and in empty slots), so a frame costs the same for 1 or 32 neurons.
Each tile is divided by its neuron's largest |a|: 0 stays white and the tile
shows WHERE the neuron is high (orange) or low (blue), not how high.
Only the moving parts are redrawn for each frame (`self.moving`, see
nnlib/blit.py): the text of axes and legends, most of the cost of a picture,
is drawn once.
"""
import ipywidgets as widgets
import numpy as np

from nnlib import validate
from nnlib.animation import (CMAP, BoundaryPlot, LossPlot, plane_grid, probability_map,
                             record_training, save_gif)
from nnlib.data import DATASETS, make_dataset, train_test_split
from nnlib.layers import mlp
from nnlib.losses import bce_with_logits, bce_with_logits_grad
from nnlib.optim import OPTIMIZERS
from nnlib.regularization import add_l2_grad
from nnlib.train import train_step
from .base import FigureWidget

ACTIVATIONS = {"tanh": "tanh", "relu": "relu", "sigmoid": "sigmoid", "linear": "identity"}
OPTIMIZER_NAMES = {"SGD": "sgd", "Momentum": "momentum", "Adam": "adam"}
BATCH_SIZES = [1, 10, 30, "full"]
L2_CHOICES = [0, 0.001, 0.003, 0.01, 0.03, 0.1]   # weight decay lam (lesson 07)
MAX_LAYERS, MAX_NEURONS = 4, 8
PLANE_SIZE = 40          # the output picture: PLANE_SIZE x PLANE_SIZE grid
TILE, GAP = 16, 2        # each hidden neuron: TILE x TILE grid, GAP grey pixels apart
EXPLODED = "The loss exploded: lower the learning rate and press Reset."
RISING = ("The loss jumped higher than before training: the learning rate is probably "
          "too large. Lower it (training goes on).")
# The RISING warning stays up until the training loss has stayed below twice its
# starting value for this many epochs in a row (1 second of Play at the defaults),
# or the learning rate changes: a loss that jumps up and down would otherwise
# switch the message on and off at every tick, too fast to read.
CALM_EPOCHS = 60


def hidden_outputs(model, X):
    """The output a of every hidden layer (every layer but the last) for inputs X."""
    outputs, a = [], X
    for layer in model.layers[:-1]:
        a = layer.forward(a)
        outputs.append(a)
    return outputs


def neuron_tiles(outputs, tile=TILE, gap=GAP, rows=MAX_LAYERS, cols=MAX_NEURONS):
    """All hidden neurons' pictures in one image: row = layer, column = neuron.

    outputs[l] is layer l's output on the tile x tile grid (plane_grid(tile)),
    shape (tile * tile, neurons).  Each neuron is divided by its largest |a|,
    so its tile lies in [-1, 1] and 0 stays 0.  Empty slots and the gaps
    between tiles are NaN (drawn grey).
    """
    step = tile + gap
    image = np.full((rows * step - gap, cols * step - gap), np.nan)
    for i, a in enumerate(outputs):
        largest = np.abs(a).max(axis=0)
        a = a / np.where(largest > 0, largest, 1.0)      # a dead neuron stays 0
        for j in range(a.shape[1]):
            # [::-1]: image row 0 is drawn at the top, but x2 grows upwards.
            picture = a[:, j].reshape(tile, tile)[::-1]
            image[i * step:i * step + tile, j * step:j * step + tile] = picture
    return image


def _check_settings(dataset, noise, train_percent, hidden_layers, neurons, activation,
                    optimizer, lr, batch_size, l2=0):
    """Starting values must be ones the controls can show (a clear error, not a TraitError)."""
    validate.check_choice(dataset, "dataset", list(DATASETS))
    validate.check_slider(noise, "noise", 0.0, 0.5, step=0.05)
    validate.check_slider(train_percent, "train_percent", 10, 90, step=10, whole=True)
    validate.check_slider(hidden_layers, "hidden_layers", 0, MAX_LAYERS, whole=True)
    validate.check_slider(neurons, "neurons", 1, MAX_NEURONS, whole=True)
    validate.check_choice(activation, "activation", list(ACTIVATIONS) + ["identity"])
    validate.check_choice(optimizer, "optimizer", list(OPTIMIZER_NAMES.values()))
    validate.check_in_range(lr, "lr", 0.001, 10.0)
    validate.check_choice(batch_size, "batch_size", BATCH_SIZES)
    validate.check_choice(l2, "l2", L2_CHOICES)


def loss_text(loss):
    """A loss for the label: 0.693 as usual, but a huge one (a learning rate far too large
    with linear neurons) as 1.51e+35, not as a number 35 digits long."""
    return f"{loss:.3f}" if loss < 1000 else f"{loss:.3g}"


class Playground(FigureWidget):
    """Train a network on 2-D points with Play/Pause/Step/Reset; see it learn."""

    def __init__(self, dataset="xor", noise=0.1, train_percent=50, hidden_layers=2,
                 neurons=4, activation="tanh", optimizer="sgd", lr=0.1, batch_size=10,
                 epochs_per_tick=3, interval=50, n_points=200, seed=0, l2=0):
        _check_settings(dataset, noise, train_percent, hidden_layers, neurons, activation,
                        optimizer, lr, batch_size, l2)
        super().__init__(figsize=(7.2, 3.9))  # 576 px: fits beside the controls in 1024 px
        # 4 points at least: xor_clouds needs one per corner.  At most 10000:
        # more would make every tick of Play slow, and fill the memory long before 1e9.
        self.n_points = validate.check_int(n_points, "n_points", low=4, high=10_000)
        self.seed = validate.check_seed(seed)
        validate.check_positive_int(interval, "interval")   # ms between ticks of Play
        self.epochs_per_tick = validate.check_positive_int(epochs_per_tick, "epochs_per_tick")
        self._make_controls(dataset, noise, train_percent, hidden_layers, neurons,
                            ACTIVATIONS.get(activation, activation), optimizer, lr,
                            batch_size, interval, l2)
        self.plane = plane_grid(PLANE_SIZE)
        self.tile_plane = plane_grid(TILE)
        self.setup_figure()
        self._wire_controls()
        self.reset()

    # -- controls ------------------------------------------------------------
    def _make_controls(self, dataset, noise, train_percent, hidden_layers, neurons,
                       activation, optimizer, lr, batch_size, interval, l2=0):
        wide = {"description_width": "initial"}
        self.dataset = widgets.Dropdown(options=list(DATASETS), value=dataset,
                                        description="dataset", style=wide)
        self.noise = widgets.FloatSlider(value=noise, min=0.0, max=0.5, step=0.05,
                                         description="noise", style=wide)
        self.train_percent = widgets.IntSlider(value=train_percent, min=10, max=90, step=10,
                                               description="training data %", style=wide)
        self.hidden_layers = widgets.IntSlider(value=hidden_layers, min=0, max=MAX_LAYERS,
                                               description="hidden layers", style=wide)
        self.neurons = widgets.IntSlider(value=neurons, min=1, max=MAX_NEURONS,
                                         description="neurons per layer", style=wide)
        self.activation = widgets.Dropdown(options=list(ACTIVATIONS.items()), value=activation,
                                           description="activation", style=wide)
        self.optimizer = widgets.Dropdown(options=list(OPTIMIZER_NAMES.items()),
                                          value=optimizer, description="optimizer", style=wide)
        # A log slider: 0.001 ... 10, each step multiplies lr by 10^0.1.
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=-3, max=1, step=0.1,
                                         readout_format=".3g", description="learning rate",
                                         style=wide)
        self.batch_size = widgets.Dropdown(options=BATCH_SIZES, value=batch_size,
                                           description="batch size", style=wide)
        # L2 weight decay (lesson 07): every step also pulls each weight towards 0.
        self.l2 = widgets.Dropdown(options=L2_CHOICES, value=l2, description="L2 weight decay λ",
                                   style=wide)
        # max: effectively endless; the browser adds 1 to value every interval ms.
        self.play = widgets.Play(value=0, min=0, max=10**9, interval=interval,
                                 show_repeat=False, description="Play",
                                 tooltip="▶ Play: keep training · ⏸ Pause · ■ Stop (= Pause)")
        self.step_button = widgets.Button(description="Step", tooltip="train one tick",
                                          layout=widgets.Layout(width="70px"))
        self.reset_button = widgets.Button(description="Reset", tooltip="start again",
                                           layout=widgets.Layout(width="70px"))
        self.epoch_label = widgets.Label(value="epoch 0")
        buttons = widgets.HBox([self.play, self.step_button, self.reset_button])
        self.controls = [self.dataset, self.noise, self.train_percent, self.hidden_layers,
                         self.neurons, self.activation, self.optimizer, self.lr,
                         self.batch_size, self.l2, buttons, self.epoch_label]

    def _wire_controls(self):
        # Not base.observe_controls(): each control needs its own reaction, and
        # the Play widget's value must train, not merely redraw.
        for control in (self.dataset, self.noise, self.train_percent, self.hidden_layers,
                        self.neurons, self.activation, self.optimizer):
            control.observe(lambda change: self.reset(), names="value")
        self.lr.observe(self._on_lr, names="value")
        self.batch_size.observe(lambda change: self.refresh(), names="value")
        self.l2.observe(lambda change: self.refresh(), names="value")
        self.play.observe(self._on_tick, names="value")
        self.step_button.on_click(lambda button: self.step_epochs())
        self.reset_button.on_click(lambda button: self.reset())

    def _on_tick(self, change):
        """Play's value changed: train one tick, but only while playing."""
        if self.play.playing:
            self.step_epochs()

    def _on_lr(self, change):
        """The learning rate is just a number the optimizer reads at every step.

        A new learning rate also takes down the "loss jumped" warning: the
        jumps it warned about came from the old one.
        """
        if self.optim is not None:
            self.optim.lr = change["new"]
        if self.rising and not self.diverged:
            self.last_jump, self.rising = None, False
            self.say(self._advice())
        self.refresh()

    def pause(self):
        """Stop Play (the browser stops ticking as soon as it hears this)."""
        self.play.playing = False

    # -- training ------------------------------------------------------------
    def reset(self):
        """Start again: data from the settings, initial weights from the seed, epoch 0."""
        self.pause()
        self.play.value = 0                 # not playing, so this does not train
        self.epoch, self.diverged, self.rising = 0, False, False
        self.last_jump = None     # the last epoch whose loss was above twice the start
        self.history = {"epoch": [], "train_loss": [], "test_loss": []}
        self.loss_plot.clear()
        self.model = self.optim = None
        self.scores = {}
        problem = self._make_data()
        if problem:
            self.boundary.set_points(np.empty((0, 2)), [])
            self.say(problem, kind="error")
        else:
            self.model, self.optim = self.new_model()
            self.rng = np.random.default_rng(self.seed)   # the mini-batch shuffles
            self._measure()
            self.say(self._advice())
        self.refresh()
        return self.state()

    def _make_data(self):
        """Draw the dataset and split it; returns a message if that is impossible."""
        n, percent = self.n_points, self.train_percent.value
        n_test = round(n * (100 - percent) / 100)      # as train_test_split counts
        if n_test < 1 or n - n_test < 1:
            return (f"Not enough data: {n} points with {percent}% for training leave "
                    f"{n - n_test} for training and {n_test} for testing, and each needs "
                    f"at least one. Choose another training data %.")
        try:
            X, y = make_dataset(self.dataset.value, n=n, noise=self.noise.value,
                                seed=self.seed)
        except ValueError as error:        # e.g. fewer points than the dataset's groups
            return f"Cannot make this dataset: {error}."
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_ratio=(100 - percent) / 100, seed=self.seed)
        self.boundary.set_points(self.X_train, self.y_train, self.X_test, self.y_test)
        return None

    def new_model(self):
        """A fresh network and optimizer from the current settings (and the seed)."""
        sizes = [2] + [self.neurons.value] * self.hidden_layers.value + [1]
        model = mlp(sizes, activation=self.activation.value, seed=self.seed)
        return model, OPTIMIZERS[self.optimizer.value](self.lr.value)

    def _batch(self):
        """The number of samples per step ("full": all the training data)."""
        n = len(self.X_train)
        return n if self.batch_size.value == "full" else min(self.batch_size.value, n)

    def _batch_label(self):
        """The title's batch: "full", or the samples per step (20, not 30, with 20 points)."""
        if self.batch_size.value == "full" or self.model is None:   # (no model: no data either)
            return self.batch_size.value
        return self._batch()

    def _train_epoch(self):
        """One pass over the training data, one train_step per mini-batch."""
        X, y, size = self.X_train, self.y_train, self._batch()
        if size < len(X):                     # reshuffled every epoch, as in fit()
            order = self.rng.permutation(len(X))
            X, y = X[order], y[order]
        for start in range(0, len(X), size):
            Xb, yb = X[start:start + size], y[start:start + size]
            if self.l2.value:         # train_step's four lines, with weight decay added
                z = self.model.forward(Xb)
                self.model.backward(bce_with_logits_grad(z, yb.reshape(-1, 1)), need_dX=False)
                add_l2_grad(self.model.parameters(), self.model.gradients(), self.l2.value)
                self.optim.step(self.model.parameters(), self.model.gradients())
            else:
                train_step(self.model, Xb, yb, loss="bce", optimizer=self.optim)

    def _measure(self):
        """Loss and accuracy on all training and test points; False if not finite."""
        scores = {}
        for part, X, y in (("train", self.X_train, self.y_train),
                           ("test", self.X_test, self.y_test)):
            z = self.model.forward(X)
            scores[part + "_loss"] = bce_with_logits(z, y)
            scores[part + "_accuracy"] = float(np.mean((z[:, 0] > 0) == (y == 1)))
        self.scores = scores
        finite = (np.isfinite(scores["train_loss"]) and np.isfinite(scores["test_loss"])
                  and all(np.isfinite(p).all() for p in self.model.parameters()))
        if finite:
            self.history["epoch"].append(self.epoch)
            self.history["train_loss"].append(scores["train_loss"])
            self.history["test_loss"].append(scores["test_loss"])
        return finite

    def step_epochs(self, n=None):
        """Train n epochs (default: epochs_per_tick), then draw; returns state().

        This is one tick of Play, and what the Step button does.
        """
        n = self.epochs_per_tick if n is None else validate.check_positive_int(n, "n")
        if self.model is None or self.diverged:
            self.pause()                 # nothing to train: see the message
            return self.state()
        # Overflow is expected when the learning rate is far too large; it is
        # detected as a non-finite loss instead of printing numpy warnings.
        with np.errstate(all="ignore"):
            for _ in range(n):
                self._train_epoch()
                self.epoch += 1
                if not self._measure():
                    self.diverged = True
                    self.pause()
                    self.say(EXPLODED, kind="warning")
                    break
                if self.scores["train_loss"] > 2 * self.history["train_loss"][0]:
                    self.last_jump = self.epoch
        if not self.diverged:
            self._warn_if_rising()
        self.refresh()
        return self.state()

    def _warn_if_rising(self):
        """A loss above twice its start: warn (training goes on).

        The warning goes only after CALM_EPOCHS epochs in a row below that line,
        so a loss jumping up and down keeps one steady message.
        """
        rising = self.last_jump is not None and self.epoch - self.last_jump < CALM_EPOCHS
        if rising != self.rising:
            self.rising = rising
            self.say(RISING if rising else self._advice(), kind="warning" if rising else "info")

    def _advice(self):
        """A short hint about the current network, shown under the picture."""
        if self.hidden_layers.value == 0:
            return ("No hidden layer: this is logistic regression, so the boundary is "
                    "always a straight line.")
        if self.activation.value == "identity":
            return ("Linear neurons: layers of straight lines still make a straight "
                    "line, so the boundary cannot bend.")
        return "Press Play (or Step) to train; Reset starts again from the same weights."

    # -- picture -------------------------------------------------------------
    def setup_figure(self):
        grid = self.fig.add_gridspec(2, 2, width_ratios=[1.0, 1.2])
        self.boundary = BoundaryPlot(self.fig.add_subplot(grid[:, 0]), PLANE_SIZE)
        self.loss_plot = LossPlot(self.fig.add_subplot(grid[0, 1]))
        ax = self.ax_hidden = self.fig.add_subplot(grid[1, 1])
        empty = neuron_tiles([])
        self.hidden_image = ax.imshow(empty, cmap=CMAP, vmin=-1, vmax=1,
                                      interpolation="nearest")
        centres = (TILE - 1) / 2 + (TILE + GAP) * np.arange(MAX_NEURONS)
        ax.set_xticks(centres, [str(j + 1) for j in range(MAX_NEURONS)])
        ax.set_yticks(centres[:MAX_LAYERS], [f"layer {i + 1}" for i in range(MAX_LAYERS)])
        ax.tick_params(length=0, labelsize=8)
        ax.set_xlabel("neuron")
        ax.set_title("hidden neurons: output over the plane", fontsize=10)
        self.no_hidden = ax.text(0.5, 0.5, "no hidden layer", transform=ax.transAxes,
                                 ha="center", va="center", color="#555555")
        # Redrawn on every frame.  When the loss axes grow, the background is
        # redrawn by itself (new axis limits, see nnlib/blit.py).
        self.moving = (self.boundary.moving() + self.loss_plot.moving()
                       + [self.hidden_image, *ax.spines.values(), self.no_hidden])

    def update(self):
        with np.errstate(all="ignore"):
            if self.model is None:
                self.boundary.set_probability(np.full((PLANE_SIZE, PLANE_SIZE), np.nan))
                self.hidden_image.set_data(neuron_tiles([]))
            elif not self.diverged:      # a blown-up model keeps its last picture
                self.boundary.set_probability(
                    probability_map(self.model, self.plane, PLANE_SIZE))
                self.hidden_image.set_data(
                    neuron_tiles(hidden_outputs(self.model, self.tile_plane)))
        self.no_hidden.set_visible(self.hidden_layers.value == 0)
        h = self.history
        self.loss_plot.set_curves(h["epoch"], h["train_loss"], h["test_loss"])
        s = self.state()
        if self.model is None:
            title = "no data (see the message below)"
        elif self.diverged:
            title = f"epoch {s['epoch']}: the loss exploded"
        else:
            title = (f"epoch {s['epoch']}: {s['train_accuracy']:.0%} train, "
                     f"{s['test_accuracy']:.0%} test correct")
        self.boundary.ax.set_title(title, fontsize=9)
        optimizer = self.optimizer.label
        self.loss_plot.ax.set_title(f"loss ({optimizer}, lr {s['lr']:.3g}, "
                                    f"batch {self._batch_label()}"
                                    + (f", L2 {s['l2']:g})" if s["l2"] else ")"), fontsize=10)
        if self.model is None:
            self.epoch_label.value = "epoch 0   (no data)"
        elif self.diverged:      # the loss is inf or nan: say so in words, not "nan"
            self.epoch_label.value = f"epoch {s['epoch']}   the loss exploded: too large to compute"
        else:
            self.epoch_label.value = (f"epoch {s['epoch']}   train loss {loss_text(s['train_loss'])}"
                                      f"   test loss {loss_text(s['test_loss'])}")

    def state(self):
        """What the picture shows, as numbers (losses and accuracies NaN without data)."""
        scores = self.scores if self.model is not None else {}
        nan = float("nan")
        return {"epoch": self.epoch,
                "train_loss": scores.get("train_loss", nan),
                "test_loss": scores.get("test_loss", nan),
                "train_accuracy": scores.get("train_accuracy", nan),
                "test_accuracy": scores.get("test_accuracy", nan),
                "dataset": self.dataset.value, "noise": self.noise.value,
                "train_percent": self.train_percent.value,
                "n_train": len(self.X_train) if self.model is not None else 0,
                "hidden_layers": self.hidden_layers.value, "neurons": self.neurons.value,
                "activation": self.activation.value, "optimizer": self.optimizer.value,
                "lr": self.lr.value, "batch_size": self.batch_size.value, "l2": self.l2.value,
                "gap": scores.get("test_loss", nan) - scores.get("train_loss", nan),
                "playing": self.play.playing, "diverged": self.diverged}

    # -- export --------------------------------------------------------------
    def replay(self, epochs=200, every=10):
        """Train a fresh copy from the current settings; returns an animation Recording.

        Same data, same initial weights, same mini-batches as Play would use
        (as long as the learning rate is not changed on the way).
        """
        if self.model is None:
            raise ValueError("no data to train on: choose another training data %")
        model, optim = self.new_model()
        batch = None if self.batch_size.value == "full" else self.batch_size.value
        return record_training(model, self.X_train, self.y_train, epochs=epochs, every=every,
                               optimizer=optim, batch_size=batch, seed=self.seed,
                               X_test=self.X_test, y_test=self.y_test, grid_size=PLANE_SIZE,
                               l2=self.l2.value)

    def export_gif(self, path, epochs=200, every=10, fps=5):
        """Save an animated GIF of training from the current settings; returns path."""
        return save_gif(self.replay(epochs, every), path, fps=fps)
