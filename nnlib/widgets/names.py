"""Lesson 09: type the beginning of a name, watch the model's next-character probabilities.

Left: a text box for the beginning of a name, a temperature slider, and a
"sample 10 names" button with the names it drew.  Right: 27 bars, the
probabilities the model gives each character ("." = the name ends) after the
last `context` characters typed:

    p = softmax(z / T),    z = the model's 27 logits,  T = the temperature

The tallest bar (orange) is the likeliest next character.  Every keystroke
runs the model once; only the bars and the title are redrawn (nnlib/blit.py).

Deterministic: the k-th press of the button (k = 0, 1, ...) draws its names
with seed + k, so the same presses give the same names on every machine.

Headless (tests, scripts): set `prefix.value` and `temperature.value`, call
`sample()`, read `state()` and `frame()`.
"""
import html

import ipywidgets as widgets
import numpy as np

from nnlib import validate
from nnlib.data import names as names_split
from nnlib.language import Vocabulary, char_mlp, make_pairs, next_char_probs, sample_names
from nnlib.train import fit
from .base import FigureWidget

BLUE, ORANGE = "#1f77b4", "#ff7f0e"  # the other characters, the likeliest one

# The model of lesson 09 and how it is trained there (section 6 of the lesson);
# NameLab trains the same one when it is given no model.  The numbers in the
# lesson's "Try this" prompts were measured on it (tests/test_widget_names.py).
LESSON_MODEL = {"vocab_size": 27, "context": 3, "dim": 2, "hidden": 64, "seed": 0}
LESSON_TRAINING = {"loss": "softmax_ce", "optimizer": "adam", "lr": 0.01, "epochs": 8,
                   "batch_size": 64, "seed": 0}


def train_lesson_model():
    """(model, vocab): char_mlp as in lesson 09, trained on the training names (a few seconds)."""
    train_names, test_names = names_split()
    vocab = Vocabulary(train_names + test_names)
    X, y = make_pairs(train_names, vocab, context=LESSON_MODEL["context"])
    model = char_mlp(**LESSON_MODEL)
    fit(model, X, y, progress=False, **LESSON_TRAINING)
    return model, vocab


class NameLab(FigureWidget):
    """Type a prefix; see the next-character distribution; sample names at a temperature.

    model:  a trained character model (nnlib.language.char_mlp): context numbers in,
            one logit per character of vocab out; None trains lesson 09's (a few seconds).
    vocab:  its Vocabulary (needed with a model).
    prefix, temperature: where the controls start.  seed: the first press of
    "sample 10 names" draws with seed, the next with seed + 1, and so on.
    """

    def __init__(self, model=None, vocab=None, prefix="", temperature=1.0, seed=0):
        super().__init__(figsize=(7.0, 2.9))
        # The controls' values first: a wrong one is refused before any training.
        if not isinstance(prefix, str):
            raise TypeError(f"prefix must be a str, got {type(prefix).__name__}")
        temperature = validate.check_slider(temperature, "temperature", 0.1, 3.0, step=0.1)
        self.seed = validate.check_seed(seed)
        if model is None and vocab is None:
            model, vocab = train_lesson_model()
        elif model is None or vocab is None:
            raise ValueError("model and vocab must be given together (or neither: then the "
                             "lesson's model is trained)")
        if not isinstance(vocab, Vocabulary):
            raise TypeError(f"vocab must be a Vocabulary, got {type(vocab).__name__}")
        if not callable(getattr(model, "forward", None)) or getattr(model, "n_out", None) != len(vocab):
            raise ValueError(f"model must be a character model with one output per character of "
                             f"vocab ({len(vocab)}), e.g. char_mlp(); got "
                             f"{type(model).__name__} with {getattr(model, 'n_out', '?')} outputs")
        self.model, self.vocab = model, vocab
        self.context = model.n_in
        self.presses = 0
        self.samples = []

        self.prefix = widgets.Text(value=prefix, description="name so far",
                                   placeholder="type a few letters",
                                   continuous_update=True, style={"description_width": "90px"})
        self.temperature = widgets.FloatSlider(value=temperature, min=0.1, max=3.0, step=0.1,
                                               description="temperature", readout_format=".1f",
                                               style={"description_width": "90px"})
        self.sample_button = widgets.Button(description="sample 10 names",
                                            tooltip="draw 10 new names at this temperature")
        self.sample_button.on_click(lambda _: self.sample())
        self.sample_list = widgets.HTML(value="")
        self.controls = [self.prefix, self.temperature, self.sample_button, self.sample_list]
        self.setup_figure()
        self.observe_controls()
        self.refresh()

    # -- the picture -------------------------------------------------------
    def setup_figure(self):
        self.ax = self.fig.subplots()
        V = len(self.vocab)
        self.bars = self.ax.bar(range(V), np.zeros(V), color=BLUE, linewidth=0)
        self.ax.set(xticks=range(V), xlim=(-0.7, V - 0.3), ylim=(0, 1), yticks=[0, 0.5, 1],
                    ylabel="probability")
        self.ax.set_xticklabels(self.vocab.chars)
        self.ax.set_xlabel('next character ("." = the name ends)')
        self.ax.set_title(" ")
        self.ax.grid(axis="y", alpha=0.3)
        self.moving = [*self.bars, self.ax.title]

    def used_prefix(self):
        """The typed text as the model reads it: lowercase, unknown characters left out."""
        text = self.prefix.value.lower()
        return "".join(ch for ch in text if ch in self.vocab.index and ch != "."), \
            sorted(set(ch for ch in text if ch not in self.vocab.index or ch == "."))

    def update(self):
        used, dropped = self.used_prefix()
        T = self.temperature.value
        self.p = next_char_probs(self.model, self.vocab, used, T)
        self.best = int(np.argmax(self.p))
        for i, bar in enumerate(self.bars):
            bar.set_height(self.p[i])
            bar.set_facecolor(ORANGE if i == self.best else BLUE)
        window = ("." * self.context + used)[-self.context:]
        self.ax.set_title(f'after "{window}" (T = {T:.1f}): likeliest '
                          f'"{self.vocab.chars[self.best]}", {self.p[self.best]:.0%}')
        if dropped:
            shown = ", ".join(repr(ch) for ch in dropped)
            self.say(f"The model knows only the letters a-z; left out: {shown}.", kind="warning")
        else:
            self.say(f'The model reads the last {self.context} characters, "{window}" '
                     '("." before the first letter).')

    # -- the button (also the headless API) ---------------------------------
    def sample(self):
        """Draw 10 names at the slider's temperature (seed + the number of presses so far)."""
        seed = self.seed + self.presses
        self.presses += 1
        self.samples = sample_names(self.model, self.vocab, n=10,
                                    temperature=self.temperature.value, seed=seed)
        items = ", ".join(f"<b>{html.escape(s)}</b>" if s else "<i>(empty)</i>"
                          for s in self.samples)
        self.sample_list.value = (f"<div style='line-height:1.4'>T = {self.temperature.value:.1f}, "
                                  f"seed {seed}:<br>{items}</div>")
        return self.samples

    def state(self):
        """What the learner sees, as plain data."""
        used, dropped = self.used_prefix()
        order = np.argsort(-self.p, kind="stable")
        return {"prefix": self.prefix.value, "used_prefix": used, "dropped": dropped,
                "context": ("." * self.context + used)[-self.context:],
                "temperature": float(self.temperature.value),
                "probabilities": {ch: float(p) for ch, p in zip(self.vocab.chars, self.p)},
                "top": [(self.vocab.chars[i], float(self.p[i])) for i in order[:5]],
                "samples": list(self.samples), "presses": self.presses}
