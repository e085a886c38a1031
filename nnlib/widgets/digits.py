"""Lesson 08: draw a digit on an 8 x 8 grid and watch a trained network read it.

Left: 64 square buttons, one per pixel of an 8 x 8 picture, like the pictures
the network learned from.  Click a cell to put ink on it, click it again to
wipe it; the pen chooses how dark the ink is (16 full, 8 grey; the eraser
wipes).  "Clear" starts a blank page, "Next test image" loads a digit from
the test set, which you can then change cell by cell.

Right: what the network sees, and its answer, the softmax of its 10 logits,

    p_k = exp(z_k) / sum_j exp(z_j),     k = 0, ..., 9,

as 10 bars that sum to 1.  The tallest bar (orange) is the network's answer.
Every click runs the network once (one row of 64 inputs: pixel / 16, as in
nnlib.data.digits) and redraws the bars; only the picture, the bars and the
title are redrawn (see nnlib/blit.py), so a frame costs a few milliseconds.

Headless (tests, scripts): `click(row, col)` does what a click does,
`draw(image)` shows a whole 8 x 8 picture, `show_test_image(i)`; read the
answer in `state()` and the picture in `frame()`.
"""
import ipywidgets as widgets
import numpy as np

from nnlib import validate
from nnlib.data import digits
from nnlib.layers import mlp
from nnlib.losses import softmax
from nnlib.train import fit
from .base import FigureWidget

BLUE, ORANGE = "#1f77b4", "#ff7f0e"  # the other classes, the network's answer
PENS = [("ink 16", 16), ("grey 8", 8), ("eraser", 0)]  # (label, ink level)
CELL_PX = 30  # each cell button is CELL_PX x CELL_PX pixels

# The network of lesson 08 and how it is trained there (section 4 of the lesson);
# the drawer trains the same one when it is given no model.  The numbers in the
# lesson's "Try this" prompts were measured on it (tests/test_widget_digits.py).
LESSON_NETWORK = {"sizes": [64, 32, 10], "activation": "tanh", "seed": 0}
LESSON_TRAINING = {"loss": "softmax_ce", "optimizer": "sgd", "lr": 0.5, "epochs": 40,
                   "batch_size": 32, "seed": 0}


def train_lesson_model():
    """mlp([64, 32, 10]) trained on the digits' training split as in lesson 08 (~0.2 s)."""
    X_train, _, y_train, _ = digits()
    model = mlp(**LESSON_NETWORK)
    fit(model, X_train, y_train, progress=False, **LESSON_TRAINING)
    return model


def ink_color(level):
    """The colour of a cell with ink `level` (0..16): white paper to black."""
    grey = round(255 * (1 - level / 16))
    return f"#{grey:02x}{grey:02x}{grey:02x}"


def check_image(image):
    """An 8 x 8 picture of whole numbers 0..16 (a list of lists or an array), as ints."""
    image = validate.as_array(image, "image")
    if image.shape != (8, 8):
        raise ValueError(f"image must be 8 x 8 pixels (shape (8, 8)), got shape {image.shape}")
    if np.any(image != np.round(image)) or image.min() < 0 or image.max() > 16:
        raise ValueError("image must hold whole numbers from 0 (paper) to 16 (full ink)")
    return image.astype(np.int64)


def probabilities(model, image):
    """The network's 10 probabilities for an 8 x 8 picture: softmax of its logits."""
    x = image.reshape(1, 64) / 16.0    # the same scaling as nnlib.data.digits
    return softmax(model.forward(x))[0]


class DigitDrawer(FigureWidget):
    """Draw a digit on 8 x 8 cells; the trained network's 10 probabilities update live.

    model:          an nnlib network with 64 inputs and 10 outputs (logits), e.g. the
                    lesson's trained mlp([64, 32, 10]); None trains that one (~0.2 s).
    X_test, y_test: the pictures "Next test image" goes through (rows of 64 numbers
                    in [0, 1], as nnlib.data.digits gives them); default: its test split.
    """

    def __init__(self, model=None, X_test=None, y_test=None):
        super().__init__(figsize=(5.6, 2.9))
        if model is None:
            model = train_lesson_model()
        self.model = self._check_model(model)
        if X_test is None and y_test is None:
            _, X_test, _, y_test = digits()
        elif X_test is None or y_test is None:
            raise ValueError("X_test and y_test must be given together")
        self.X_test = validate.as_array(X_test, "X_test", ndim=2, shape_hint="(n_images, 64)")
        if self.X_test.shape[1] != 64:
            raise ValueError(f"X_test must have 64 columns (8 x 8 pixels), got {self.X_test.shape[1]}")
        if self.X_test.min() < 0 or self.X_test.max() > 1:
            raise ValueError(f"X_test must hold pixels scaled to [0, 1], as digits() gives them, "
                             f"got values from {self.X_test.min():g} to {self.X_test.max():g} "
                             f"(ink 0 to 16? divide by 16)")
        self.y_test = np.asarray(y_test)
        validate.check_same_length(self.X_test, self.y_test, "X_test", "y_test")

        self.image_values = np.zeros((8, 8), dtype=np.int64)
        self.test_index = -1        # the test image last loaded; -1: none yet
        self.source = "a blank page"
        self.pen = widgets.ToggleButtons(options=PENS, value=16, description="pen",
                                         tooltips=["full ink", "half ink", "wipe a cell"],
                                         style={"button_width": "64px", "description_width": "30px"})
        self.cells = [[self._cell(r, c) for c in range(8)] for r in range(8)]
        self.clear_button = widgets.Button(description="Clear", tooltip="wipe every cell")
        self.next_button = widgets.Button(description="Next test image",
                                          tooltip="load the next digit of the test set")
        self.clear_button.on_click(lambda _: self.clear())
        self.next_button.on_click(lambda _: self.next_test_image())
        self.grid = widgets.GridBox(
            [cell for row in self.cells for cell in row],
            layout=widgets.Layout(grid_template_columns=f"repeat(8, {CELL_PX}px)",
                                  grid_gap="2px", width=f"{8 * CELL_PX + 16}px"))
        self.controls = [self.pen, self.grid,
                         widgets.HBox([self.clear_button, self.next_button])]
        self.setup_figure()
        self.refresh()

    @staticmethod
    def _check_model(model):
        if not callable(getattr(model, "forward", None)):
            raise TypeError(f"model must be a trained nnlib network such as mlp([64, 32, 10]), "
                            f"got {type(model).__name__}")
        if getattr(model, "n_in", None) != 64 or getattr(model, "n_out", None) != 10:
            raise ValueError(f"model must take 64 inputs (8 x 8 pixels) and give 10 outputs "
                             f"(one per digit), got {getattr(model, 'n_in', '?')} inputs and "
                             f"{getattr(model, 'n_out', '?')} outputs")
        return model

    def _cell(self, row, col):
        """One pixel: a square button that paints itself when clicked."""
        cell = widgets.Button(description="", tooltip=f"row {row}, column {col}",
                              layout=widgets.Layout(width=f"{CELL_PX}px", height=f"{CELL_PX}px",
                                                    padding="0", margin="0",
                                                    border="1px solid #c8c8c8"))  # paper shows
        cell.style.button_color = ink_color(0)
        cell.on_click(lambda _: self.click(row, col))
        return cell

    # -- the picture -------------------------------------------------------
    def setup_figure(self):
        self.ax_image, self.ax_bars = self.fig.subplots(
            1, 2, gridspec_kw={"width_ratios": [1, 1.9]})
        self.picture = self.ax_image.imshow(self.image_values, cmap="gray_r", vmin=0, vmax=16,
                                            interpolation="nearest")
        self.ax_image.set(xticks=[], yticks=[], title="the network sees")
        self.bars = self.ax_bars.bar(range(10), np.zeros(10), color=BLUE, linewidth=0)
        self.ax_bars.set(xticks=range(10), ylim=(0, 1), xlabel="digit",
                         ylabel="probability", yticks=[0, 0.5, 1])
        self.ax_bars.grid(axis="y", alpha=0.3)
        # Redrawn on every frame; the picture's frame (spines) goes on top of the picture.
        self.moving = [self.picture, *self.ax_image.spines.values(), *self.bars,
                       self.ax_bars.title]

    def update(self):
        self.p = probabilities(self.model, self.image_values)
        self.prediction = int(np.argmax(self.p))
        self.picture.set_data(self.image_values)
        for k, bar in enumerate(self.bars):
            bar.set_height(self.p[k])
            # set_facecolor, not set_color: set_color also works out a hatch colour,
            # which took a third of a frame.
            bar.set_facecolor(ORANGE if k == self.prediction else BLUE)
        self.ax_bars.set_title(f"network says {self.prediction} "
                               f"({self.p[self.prediction]:.0%} sure)")
        if not self.image_values.any():
            self.say("A blank page: click the cells to draw a digit, or press Next test image.")
        elif self.test_index >= 0 and self.source.startswith("test image"):
            label = int(self.y_test[self.test_index])
            if "changed" in self.source:
                # The label belongs to the picture as it was: once the learner has
                # changed it, no one knows what digit it is, so no right or wrong.
                self.say(f"Test image {self.test_index}, changed by you (it was a {label}): "
                         f"the network says {self.prediction}, "
                         f"{self.p[self.prediction]:.0%} sure.")
            else:
                verdict = "right" if self.prediction == label else "wrong"
                self.say(f"{self.source}: a {label}; the network says {self.prediction} "
                         f"({verdict}). Click cells to change it.")
        else:
            self.say(f"Your drawing: the network says {self.prediction}, "
                     f"{self.p[self.prediction]:.0%} sure.")

    # -- what the buttons do (also the headless API) -------------------------
    def _show(self, image, source):
        """Put a whole picture on the cells and draw one frame."""
        self.image_values = image.copy()
        self.source = source
        for r in range(8):
            for c in range(8):
                self.cells[r][c].style.button_color = ink_color(image[r, c])
        self.refresh()

    def click(self, row, col):
        """A click on cell (row, col): ink it with the pen, or wipe it if it has that ink."""
        level = self.pen.value
        current = self.image_values[row, col]
        new = 0 if current == level else level
        self.image_values[row, col] = new
        self.cells[row][col].style.button_color = ink_color(new)
        if self.source.startswith("test image") and "changed" not in self.source:
            self.source += ", changed by you"
        elif not self.source.startswith("test image"):
            self.source = "your drawing"
        self.refresh()

    def draw(self, image):
        """Show a whole 8 x 8 picture (whole numbers 0..16), as if drawn cell by cell."""
        self._show(check_image(image), "your drawing")

    def clear(self):
        """A blank page."""
        self.test_index = -1
        self._show(np.zeros((8, 8), dtype=np.int64), "a blank page")

    def show_test_image(self, i):
        """Load test image number i (from 0): its pixels back as whole numbers 0..16."""
        i = validate.check_in_range(i, "i", 0, len(self.X_test) - 1)
        if i != int(i):
            raise TypeError(f"i must be a whole number, got {i}")
        self.test_index = int(i)
        image = np.round(self.X_test[self.test_index].reshape(8, 8) * 16).astype(np.int64)
        self._show(image, f"test image {self.test_index}")

    def next_test_image(self):
        """The next test image (after the last one, the first again)."""
        self.show_test_image((self.test_index + 1) % len(self.X_test))

    def state(self):
        """What the learner sees, as plain data."""
        return {"image": self.image_values.tolist(), "pen": self.pen.value,
                "source": self.source, "test_index": self.test_index,
                "label": int(self.y_test[self.test_index]) if self.test_index >= 0 else None,
                "probabilities": [float(p) for p in self.p],
                "prediction": self.prediction, "confidence": float(self.p[self.prediction])}

    def layout(self):
        """Pen and cells on the left, the picture and bars on the right, message below."""
        panel = widgets.VBox(self.controls, layout=widgets.Layout(min_width="290px"))
        return widgets.VBox([widgets.HBox([panel, self.image]), self.message])
