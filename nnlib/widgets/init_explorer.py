"""Lesson 07: how the initial weights decide whether a deep network can learn.

A deep network, 8 hidden layers of 64 neurons, gets 256 random inputs
(numbers of size about 1) before any training.  Every weight is drawn from a
normal distribution with standard deviation `std` (the log slider).

    left   the activations a of every hidden layer, layer 1 at the top:
           one histogram per layer, with its standard deviation written
           beside it.  Healthy: about the same spread in every layer.
    right  the size of the weight gradients dL/dW of every layer, after one
           backward pass (from a random error at the output): a histogram of
           log10 |dL/dW|, so that 1e-6 and 1e-1 both fit on one axis.
           Healthy: every layer's gradients about the same size.

Values beyond an axis's ends (relu's a above 3, gradients below 1e-12 or
exactly 0, gradients above 100) are not piled into the edge bins, where they
would look like ordinary values: they are counted in a separate orange box
beyond that end, labelled ">3", "<1e-12" (exact zeros included), ">100".

The buttons set std to the Xavier recipe, sqrt(2 / (n_in + n_out)) = 0.125
(for tanh and sigmoid), or the He recipe, sqrt(2 / n_in) = 0.177 (for relu);
see nnlib/init.py.  Too small a std: the signal shrinks layer after layer,
and the gradients of the early layers with it.  Too large: tanh saturates
(most a near +-1, slope 0), relu blows up; sigmoid, flatter, saturates only in
part within the slider's range (about half of layer 1 at std 1).

Everything is computed with nnlib's own Dense layers (forward, then backward),
in a few milliseconds per frame.
"""
import ipywidgets as widgets
import numpy as np

from nnlib import validate
from nnlib.init import he_std, xavier_std
from nnlib.layers import Dense, Sequential
from .base import FigureWidget

ACTIVATIONS = ("tanh", "relu", "sigmoid")
DEPTH, WIDTH, N_SAMPLES = 8, 64, 256
XAVIER, HE = xavier_std(WIDTH, WIDTH), he_std(WIDTH)
STD_MIN, STD_MAX = 0.0098, 1.0        # the std a caller may give: the slider's ends (its readout: 0.010, 1.000)
# The log slider moves in notches, and the browser shows the notch nearest a value, so the
# buttons' 0.125 and 0.177 must be notches, or the readout would say 0.126 and 0.178.  He is
# Xavier times sqrt(2) here (64 -> 64), so notches of a factor 2**(1/6) from Xavier hold
# both (He is 3 notches up) and also 0.25, 0.5 and 1; the lowest notch, 0.0098, reads 0.010.
STD_NOTCH = float(np.log10(2) / 6)    # in log10: each notch multiplies std by about 1.12
STD_LOG_RANGE = (float(np.log10(XAVIER) - 22 * STD_NOTCH), float(np.log10(XAVIER) + 18 * STD_NOTCH))  # 0.0098 .. 1
SATURATED = 0.99                      # tanh: |a| > 0.99; sigmoid: a < 0.01 or a > 0.99
GRADIENT_SPREAD = 100                 # healthy: every layer's gradient size within a factor 100
FADE = 5                              # the signal fades: layer 8's std below layer 1's / 5
N_BINS = 40
GRAD_RANGE = (-12.0, 2.0)             # log10 |dL/dW| shown from 1e-12 to 1e2
GRAD_TICKS = {-9: "1e-9", -6: "1e-6", -3: "0.001", 0: "1"}   # and the boxes' "<1e-12", ">100"
# The activations' axis, per activation: tanh and sigmoid never leave it; relu's
# a has no upper end, and what lies beyond 3 goes into the box "> 3".
A_RANGE = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "relu": (0.0, 3.0)}
A_TICKS = {"tanh": {-1: "\u22121", 0: "0", 1: "1"}, "sigmoid": {0: "0", 0.5: "0.5", 1: "1"},
           "relu": {0: "0", 1: "1", 2: "2", 3: "3"}}
# The boxes for values beyond an axis's end: a gap of GAP bins, then BOX bins wide,
# then GAP bins again before the axes' edge.
GAP, BOX = 1, 3
COLOR, BEYOND_COLOR = "#0072B2", "#D55E00"


def deep_net(activation, std, seed=0):
    """8 hidden Dense layers of 64 (+ one output), every weight normal with this std."""
    rng = np.random.default_rng(seed)
    layers = [Dense(WIDTH, WIDTH, activation=activation, rng=rng) for _ in range(DEPTH)]
    layers.append(Dense(WIDTH, 1, rng=rng))
    for layer in layers:
        layer.W[...] = rng.normal(0.0, std, size=layer.W.shape)
    return Sequential(layers)


def signals(activation, std, seed=0):
    """(activations, weight gradients): one array per hidden layer, first to last.

    Forward: 256 inputs drawn from N(0, 1).  Backward: a random error at the
    output, dL/dz = N(0, 1) / 256 (the size a mean loss over 256 samples gives).
    """
    rng = np.random.default_rng(seed + 1)
    X = rng.normal(size=(N_SAMPLES, WIDTH))
    net = deep_net(activation, std, seed)
    with np.errstate(all="ignore"):
        out = net.forward(X)
        net.backward(rng.normal(size=out.shape) / N_SAMPLES, need_dX=False)
    hidden = net.layers[:DEPTH]
    # No copies needed: this network is made for this call only, and then forgotten.
    return [layer.a for layer in hidden], [layer.dW for layer in hidden]


def saturated_fraction(a, activation):
    """Share of activations on a flat part of f (slope nearly 0): tanh, sigmoid only."""
    if activation == "tanh":
        return float(np.mean(np.abs(a) > SATURATED))
    if activation == "sigmoid":
        return float(np.mean((a < 1 - SATURATED) | (a > SATURATED)))
    return 0.0


def box_spans(lo, hi):
    """Where the two boxes for values beyond [lo, hi] sit on the axis: (left, right) spans."""
    width = (hi - lo) / N_BINS
    return ((lo - (GAP + BOX) * width, lo - GAP * width),
            (hi + GAP * width, hi + (GAP + BOX) * width))


def histogram(values, lo, hi):
    """(counts, below): how many values fall in each of N_BINS equal bins from lo
    to hi (hi itself in the last one), and how many below lo.

    What np.histogram(values, N_BINS, (lo, hi)) counts, in about half its time
    (its checks cost more than the counting): a frame draws 16 histograms.
    """
    position = (values - lo) * (N_BINS / (hi - lo))   # the bin number, as a real number
    inside = (position >= 0) & (values <= hi)
    bins = np.minimum(position[inside].astype(np.intp), N_BINS - 1)
    return np.bincount(bins, minlength=N_BINS), np.count_nonzero(position < 0)


def ridge(values, lo, hi, offset):
    """One layer's histogram, sitting at y = -offset: (step line, boxes, shares beyond).

    The step line (x, y) counts the values in [lo, hi] in N_BINS bins.  The values
    below lo and above hi are counted in a box each, beside the axis's ends (see
    box_spans), drawn only if it holds any; shares beyond = (share below lo, share
    above hi).  Bins and boxes share one scale: the tallest is 0.85 high.
    """
    counts, below = histogram(values, lo, hi)
    beyond = (below, values.size - counts.sum() - below)     # the rest is above hi
    scale = 0.85 / max(counts.max(), *beyond, 1)
    x = np.repeat(np.linspace(lo, hi, N_BINS + 1), 2)[1:-1]   # each bin's left and right edge
    y = np.repeat(counts * scale, 2) - offset
    boxes = [(np.array([x0, x0, x1, x1]), np.array([0, n, n, 0]) * scale - offset)
             for n, (x0, x1) in zip(beyond, box_spans(lo, hi)) if n]
    return (x, y), boxes, (beyond[0] / values.size, beyond[1] / values.size)


def joined(curves):
    """Several curves (x, y) as one, with a NaN between them (matplotlib leaves a gap)."""
    if not curves:
        return [], []
    x = np.concatenate([np.append(x, np.nan) for x, _ in curves])
    y = np.concatenate([np.append(y, np.nan) for _, y in curves])
    return x, y


def draw_ridges(line, box_line, layers, lo, hi):
    """Every layer's histogram on one line, the boxes beyond the axis on another.

    Returns each layer's (share below lo, share above hi): what the boxes hold.
    """
    ridges = [ridge(values, lo, hi, i) for i, values in enumerate(layers)]
    line.set_data(*joined([steps for steps, _, _ in ridges]))
    box_line.set_data(*joined([box for _, boxes, _ in ridges for box in boxes]))
    return [shares for _, _, shares in ridges]


def set_axis(ax, lo, hi, ticks, below=None, above=None):
    """The x axis from lo to hi with these ticks {value: label}, and room for the boxes
    beyond it, labelled `below` and `above` (None: that side never has any)."""
    (left, right) = box_spans(lo, hi)
    ticks = dict(ticks)
    if below:
        ticks[sum(left) / 2] = below
    if above:
        ticks[sum(right) / 2] = above
    margin = GAP * (hi - lo) / N_BINS
    ax.set_xlim(left[0] - margin if below else lo, right[1] + margin if above else hi)
    ax.set_xticks(list(ticks), list(ticks.values()))


def times(ratio):
    """A ratio as the advice says it: 1.8, 168, or 4e+09 when it is huge."""
    return f"{ratio:.2g}" if ratio < 10 else f"{ratio:.0f}" if ratio < 1e4 else f"{ratio:.0e}"


def share(fraction):
    """A share for the table, in HTML: 12%, &lt;1% (under 0.5%, not 0), or nothing for 0."""
    return "" if fraction == 0 else "&lt;1%" if fraction < 0.005 else f"{fraction:.0%}"


class InitExplorer(FigureWidget):
    """Choose an activation and an initial weight std; see every layer's signal and gradient."""

    def __init__(self, activation="tanh", std=XAVIER, seed=0):
        validate.check_choice(activation, "activation", list(ACTIVATIONS))
        std = validate.check_in_range(std, "std", STD_MIN, STD_MAX)
        self.seed = validate.check_seed(seed)
        super().__init__(figsize=(7.2, 3.6))  # 576 px: fits beside the controls in 1024 px
        self.activation = widgets.ToggleButtons(options=list(ACTIVATIONS), value=activation,
                                                description="activation",
                                                style={"button_width": "76px"})
        self.std = widgets.FloatLogSlider(value=std, base=10, min=STD_LOG_RANGE[0],
                                          max=STD_LOG_RANGE[1], step=STD_NOTCH,
                                          readout_format=".3f", description="weight std",
                                          style={"description_width": "initial"})
        self.xavier_button = widgets.Button(description=f"Xavier {XAVIER:.3f}",
                                            tooltip="sqrt(2 / (n_in + n_out)), for tanh and sigmoid",
                                            layout=widgets.Layout(width="120px"))
        self.he_button = widgets.Button(description=f"He {HE:.3f}",
                                        tooltip="sqrt(2 / n_in), for relu",
                                        layout=widgets.Layout(width="120px"))
        self.xavier_button.on_click(lambda button: self.set_std(XAVIER))
        self.he_button.on_click(lambda button: self.set_std(HE))
        self.controls = [self.activation, self.std,
                         widgets.HBox([self.xavier_button, self.he_button])]
        self.setup_figure()
        self.observe_controls()
        self.refresh()
        # Draw the other activations' backgrounds now: a first switch is then quick.
        self.prepare_scenes(self.show_activation, ACTIVATIONS, current=activation)

    def set_std(self, std):
        """Move the slider to std (what the Xavier and He buttons do)."""
        self.std.value = std

    def setup_figure(self):
        self.ax_a, self.ax_g = self.fig.subplots(1, 2, sharey=True)
        offsets = np.arange(DEPTH)
        for i in offsets:
            for ax in (self.ax_a, self.ax_g):
                ax.axhline(-i, color="#cccccc", lw=0.6)
        # One line per panel holds the 8 layers' histograms, with a gap (NaN)
        # between them: one artist to draw on every frame instead of 8.
        (self.a_line,) = self.ax_a.plot([], [], color=COLOR, lw=1.2)
        (self.g_line,) = self.ax_g.plot([], [], color=COLOR, lw=1.2)
        # The boxes for values beyond the axes' ends (one line per panel, as above).
        (self.a_beyond,) = self.ax_a.plot([], [], color=BEYOND_COLOR, lw=1.2)
        (self.g_beyond,) = self.ax_g.plot([], [], color=BEYOND_COLOR, lw=1.2)
        self.ax_a.set_yticks(-offsets, [f"layer {i + 1}" for i in offsets])
        self.ax_a.tick_params(axis="y", length=0, labelsize=8)
        self.ax_a.set_ylim(-DEPTH + 0.8, 1.0)
        self.ax_a.set_xlabel("activation a", fontsize=9)
        set_axis(self.ax_g, *GRAD_RANGE, GRAD_TICKS, below="<1e-12", above=">100")
        self.ax_g.set_xlabel("|dL/dW| (log scale)", fontsize=9)
        self.ax_g.set_title("weight gradients |dL/dW|", fontsize=9)
        self.ax_g.tick_params(axis="y", length=0)
        for ax in (self.ax_a, self.ax_g):
            ax.tick_params(axis="x", labelsize=8)
        self.title = self.fig.suptitle(" ", fontsize=10)
        self.shown_activation = None
        # The numbers per layer go in the table under the picture (HTML costs the
        # kernel nothing to draw; text drawn into the picture is most of a frame's cost).
        self.moving = [self.a_line, self.a_beyond, self.g_line, self.g_beyond, self.title]

    def update(self):
        name, std = self.activation.value, self.std.value
        self.a, self.dW = signals(name, std, self.seed)
        # log10 |dL/dW|, the gradients' axis; a gradient of exactly 0 gives -300 (off the axis)
        self.sizes = [np.log10(np.abs(dW) + 1e-300) for dW in self.dW]
        lo, hi = A_RANGE[name]
        self.a_shares = draw_ridges(self.a_line, self.a_beyond, self.a, lo, hi)
        self.g_shares = draw_ridges(self.g_line, self.g_beyond, self.sizes, *GRAD_RANGE)
        if name != self.shown_activation:
            self.show_activation(name)
        mark = " = Xavier" if np.isclose(std, XAVIER) else " = He" if np.isclose(std, HE) else ""
        self.title.set_text(f"weight std {std:.3f}{mark}")
        s = self.state()    # once: both the advice and the table read it
        self.message.value = f"<div>{self._advice(s)}</div>{self._table(s)}"

    def show_activation(self, name):
        """The background's parts that depend on the activation: left title and x axis."""
        self.ax_a.set_title(f"activations a = {name}(z)", fontsize=9)
        lo, hi = A_RANGE[name]
        set_axis(self.ax_a, lo, hi, A_TICKS[name], above=f">{hi:g}" if name == "relu" else None)
        self.shown_activation = name
        self.redraw_all(scene=name)  # kept per activation: switching back is quick

    def _table(self, s):
        """The numbers behind the picture (s = state()), one column per layer, as HTML."""
        rows = [("activation std", [f"{v:.2g}" for v in s["activation_std"]]),
                ("gradient size", [f"{v:.0e}" for v in s["gradient_rms"]])]
        if s["activation"] != "relu":
            rows.insert(1, ("saturated", [f"{v:.0%}" for v in s["saturated"]]))
        # The orange boxes' shares, where there are any ("&lt;", "&gt;": < and > in HTML).
        beyond = [(f"a &gt; {A_RANGE[s['activation']][1]:g}", s["a_above_axis"]),
                  ("|dL/dW| &lt; 1e-12 (or 0)", s["gradient_below_axis"]),
                  ("|dL/dW| &gt; 100", s["gradient_above_axis"])]
        rows += [(label, [share(v) for v in shares]) for label, shares in beyond if any(shares)]
        cell = 'style="padding:0 6px;text-align:right"'
        head = "".join(f"<th {cell}>{i + 1}</th>" for i in range(DEPTH))
        body = "".join(f"<tr><td>{label}</td>" + "".join(f"<td {cell}>{v}</td>" for v in values)
                       + "</tr>" for label, values in rows)
        return (f'<table style="font-size:12px;line-height:1.2"><tr><td>layer</td>{head}</tr>'
                f"{body}</table>")

    def _advice(self, s):
        """One sentence on what the picture shows (s = state()), above the table."""
        name = s["activation"]
        first, last = s["activation_std"][0], s["activation_std"][-1]
        if name in ("tanh", "sigmoid") and s["saturated"][-1] > 0.5:
            return (f"Saturated: {s['saturated'][-1]:.0%} of layer 8's outputs sit on the flat part of "
                    f"{name}, where the slope is nearly 0.")
        # A fall of 5 times or more over 7 layers is called fading (tanh two notches below
        # Xavier loses 7.5 times: "keeps its size" would contradict the numbers shown).
        if last < first / FADE:
            return f"The signal fades: its std falls from {first:.2g} (layer 1) to {last:.2g} (layer 8)."
        if last > first * 10:
            return f"The signal explodes: its std grows from {first:.2g} (layer 1) to {last:.2g} (layer 8)."
        signal = f"The signal keeps its size: std {first:.2g} in layer 1, {last:.2g} in layer 8"
        # The signal alone is not enough: the gradients must keep their size too, on
        # their way back from layer 8 to layer 1 (sigmoid's slope is at most 0.25).
        g_first, g_last = s["gradient_rms"][0], s["gradient_rms"][-1]
        spread = max(s["gradient_rms"]) / min(s["gradient_rms"])
        if spread <= GRADIENT_SPREAD:
            return f"{signal}, and the gradients of all 8 layers are within a factor {times(spread)}."
        if g_first < g_last:
            change = f"vanish on their way back ({times(g_last / g_first)} times smaller)"
            result = "the early layers would hardly learn"
        else:
            change = f"grow on their way back ({times(g_first / g_last)} times larger)"
            result = "the early layers would take far larger steps than the late ones"
        return (f"{signal}; but the gradients {change}, from {g_last:.1g} in layer 8 to "
                f"{g_first:.1g} in layer 1: {result}.")

    def state(self):
        """The numbers the picture shows, per layer (first to last)."""
        name = self.activation.value
        return {"activation": name, "std": self.std.value,
                "activation_std": [float(a.std()) for a in self.a],
                "saturated": [saturated_fraction(a, name) for a in self.a],
                "gradient_rms": [float(np.sqrt(np.mean(dW ** 2))) for dW in self.dW],
                # the shares in the orange boxes beyond the axes' ends
                "a_above_axis": [float(above) for _, above in self.a_shares],
                "gradient_below_axis": [float(below) for below, _ in self.g_shares],
                "gradient_above_axis": [float(above) for _, above in self.g_shares]}
