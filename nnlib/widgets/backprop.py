"""Backpropagation, one node at a time: the forward pass, then the backward pass.

Give the stepper the output of any Value expression.  Each press of Next reveals
one number:

  forward pass   inputs first (topological order): each node's data
  backward pass  output first (reverse order): each node's grad, by the chain rule
                     child.grad = sum over its uses of  local_grad * parent.grad

A long graph wraps like text: its columns are cut into bands drawn one below
the other, so that the letters stay legible (never below MIN_FONT points); an
arrow into a later band runs along the lane under its band and down the margin.

The gradients come from nnlib.graph.backprop, which reads the graph but never
writes to it: the stepper does not call backward(), and your Values' .grad
fields stay exactly as they were.
"""
import html
import textwrap

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Patch
from matplotlib.path import Path

from nnlib import graph, validate
from nnlib.engine import Value
from nnlib.blit import canvas_png
from .base import FigureWidget

MAX_NODES = 40
COL, ROW, BOX_W, BOX_H, OP_R = 2.15, 1.0, 1.5, 0.8, 0.25  # sizes in data units
OP_X = BOX_W / 2 + 0.35  # an op circle sits this far left of its node's centre
LANE = 0.56  # a long arrow runs this far above the top row (or below the bottom one)
FONT = 11  # points: 12 pixels at the widget's 80 dpi, legible beside the lesson's text
MIN_FONT = 8  # points (9 pixels): smaller letters cannot be read; the graph wraps instead
MAX_WIDTH = 10.6  # inches: 850 pixels, the width a notebook shows in a 1024-pixel window
MAX_HEIGHT = 6.5  # inches of graph: taller only if the letters would be smaller than MIN_FONT
BAND_GAP = 0.3  # between two bands of a wrapped graph, besides their lanes
LEGEND_WIDTH = 6.3  # inches: the key in one row of 4 (10 points); narrower pictures get 2 rows
MARGIN = 0.5  # a wrapped graph's extra width, on the left: room for arrows to the next band
GREY, ORANGE = "0.45", "#e69f00"
# Each look: (show data, show grad, box colour, border width)
LOOKS = {"hidden": (False, False, "white", 1.0), "data": (True, False, "#d6e6f5", 1.0),
         "data now": (True, False, ORANGE, 2.5), "grad": (True, True, "#fde3c8", 1.0),
         "grad now": (True, True, ORANGE, 2.5)}


def default_neuron():
    """o = tanh(x1*w1 + x2*w2 + b): one neuron with two inputs, every node labelled."""
    x1, x2 = Value(2.0, label="x1"), Value(-1.0, label="x2")
    w1, w2 = Value(0.5, label="w1"), Value(1.5, label="w2")
    b = Value(0.25, label="b")
    x1w1, x2w2 = x1 * w1, x2 * w2
    x1w1.label, x2w2.label = "x1w1", "x2w2"
    s = x1w1 + x2w2
    s.label = "s"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def bands_height(n_rows, n_bands):
    """The height of n_bands bands of n_rows rows each, in data units."""
    return n_bands * (n_rows * ROW + 0.4) + (n_bands - 1) * BAND_GAP


def fit(n_cols, n_rows):
    """How to draw a graph n_cols columns wide and n_rows rows tall with legible text.

    Returns (columns per band, number of bands, scale in inches per data unit).
    At the scale `full` a box (BOX_W units) holds 14 characters of FONT points.
    A graph too wide for the notebook at MIN_FONT is cut into bands of columns,
    drawn one below the other like lines of text.  The cut with the largest
    letters wins (the fewest bands if equal).  Letters never go below MIN_FONT:
    a graph with many rows grows taller than MAX_HEIGHT instead.
    """
    full = 14 * 0.6 * FONT / 72 / 0.9 / BOX_W  # a character is about 0.6 em wide
    smallest = full * MIN_FONT / FONT
    best = None
    for per_band in range(n_cols, 0, -1):
        n_bands = -(-n_cols // per_band)  # ceil
        margin = MARGIN if n_bands > 1 else 0.0
        across = min(full, MAX_WIDTH / (per_band * COL + 0.4 + margin))
        if across < smallest:  # too small to read: cut into more bands
            continue
        scale = max(smallest, min(across, MAX_HEIGHT / bands_height(n_rows, n_bands)))
        if best is None or scale > best[2] * 1.001:
            best = (per_band, n_bands, scale)
    return best


class BackpropStepper(FigureWidget):
    """The computational graph of `output`, revealed step by step (Next/Back/Reset).

    Step 0 shows no numbers; steps 1..N reveal the data of the N nodes (forward
    pass); steps N+1..2N reveal their grads (backward pass): n_steps = 2N.
    """

    def __init__(self, output=None, max_nodes=MAX_NODES):
        output = default_neuron() if output is None else output
        if not isinstance(output, Value):
            raise TypeError("output must be a Value (the result of an expression), "
                            f"got {type(output).__name__}")
        max_nodes = validate.check_positive_int(max_nodes, "max_nodes")
        self.order, self.max_nodes = graph.topological_order(output), max_nodes
        self.too_big = len(self.order) > max_nodes
        self.places, n_cols, n_rows = graph.layered_layout(self.order)
        # One data unit: a box (1.5 units) holds 14 characters of the FONT, with a
        # margin; smaller only if the picture would not fit the notebook's width,
        # and if that is not enough, the columns wrap into bands (see fit).
        self.per_band, self.n_bands, self.scale = fit(n_cols, n_rows)
        self.pitch = n_rows * ROW + 0.4 + BAND_GAP  # from one band to the next, in data units
        width = self.per_band * COL + 0.4 + (MARGIN if self.n_bands > 1 else 0.0)
        # Above the graph (inches): the title and the key, in 2 rows if one would not fit.
        self.key_rows = 1 if width * self.scale >= LEGEND_WIDTH else 2
        self.head = 0.65 + 0.2 * (self.key_rows - 1)
        size = width * self.scale, bands_height(n_rows, self.n_bands) * self.scale + self.head + 0.15
        super().__init__(figsize=(6.0, 1.6) if self.too_big else size)
        self.grad, self.used = graph.backprop(self.order), graph.uses(self.order)
        self.names = graph.node_names(self.order)
        self.n_steps = 0 if self.too_big else 2 * len(self.order)
        self.step_slider = widgets.IntSlider(value=0, min=0, max=self.n_steps, description="step")
        self.next_button = widgets.Button(description="Next", icon="step-forward")
        self.back_button = widgets.Button(description="Back", icon="step-backward")
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.next_button.on_click(lambda button: self.next())
        self.back_button.on_click(lambda button: self.back())
        self.reset_button.on_click(lambda button: self.reset())
        buttons = widgets.HBox([self.back_button, self.next_button, self.reset_button])
        self.controls = [buttons, self.step_slider]
        self.setup_figure()
        self.observe_controls()
        self.refresh()

    def layout(self):
        """Buttons above the picture: a wide graph needs the whole width."""
        self.image.layout.max_width = "100%"  # in a narrow notebook: shrink, not cut off
        return widgets.VBox([widgets.HBox(self.controls), self.image, self.message])

    # ---- the buttons ----
    def next(self):
        self.step_slider.value = min(self.step_slider.value + 1, self.n_steps)

    def back(self):
        self.step_slider.value = max(self.step_slider.value - 1, 0)

    def reset(self):
        self.step_slider.value = 0

    # ---- what the current step shows ----
    def phase(self):
        if self.step_slider.value == self.n_steps:
            return "done"
        return "forward" if self.step_slider.value <= len(self.order) else "backward"

    def current(self):
        """The node this step reveals (None at step 0)."""
        s, n = self.step_slider.value, len(self.order)
        if s == 0:
            return None
        return self.order[s - 1] if s <= n else self.order[2 * n - s]

    def explanation(self):
        node, n = self.current(), len(self.order)
        if self.too_big:
            return (f"This graph has {n} nodes; the stepper shows graphs up to {self.max_nodes}. "
                    "Try it on a smaller expression.")
        if node is None:
            return "Press Next to start the forward pass: inputs first, then each operation."
        if self.step_slider.value < n:
            return graph.forward_text(node, self.names)
        if self.step_slider.value == n:
            return graph.forward_text(node, self.names) + "   Forward pass done: Next starts the backward pass."
        return graph.backward_text(node, self.names, self.used, self.grad)

    def look(self, i, node):
        """How node number i (in topological order) looks at this step: a LOOKS key."""
        s, n = self.step_slider.value, len(self.order)
        if s <= i:
            return "hidden"
        if node is self.current():
            return "grad now" if s > n else "data now"
        return "grad" if s >= 2 * n - i else "data"

    # ---- drawing ----
    def setup_figure(self):
        fig, height = self.fig, self.fig.get_figheight()
        fig.set_layout_engine(None)  # every position below is set by hand
        self.title = fig.text(0.5, 1 - 0.08 / height, "", ha="center", va="top", fontsize=11)
        self.caption = fig.text(0.01, 0.08 / height, "", ha="left", va="bottom", fontsize=10)
        self.ax = fig.add_axes([0, 0.15 / height, 1, 1 - (self.head + 0.15) / height])
        self.ax.set_axis_off()
        if self.too_big:  # just the message, in the middle
            self.caption.set(x=0.5, y=0.45, ha="center", va="center")
            return
        key = [Patch(fc=LOOKS[k][2], ec="0.3", label=text) for k, text in
               [("hidden", "not computed yet: ?"), ("data", "data known"), ("grad", "grad known"),
                ("data now", "this step")]]
        fig.legend(handles=key, loc="upper center", bbox_to_anchor=(0.5, 1 - 0.35 / height),
                   ncol=4 // self.key_rows, frameon=False, fontsize=10)
        rows = [row for _, row in self.places.values()]
        # Where long arrows go round, above and below each band.
        self.lanes = [(max(rows) + LANE - band * self.pitch, min(rows) - LANE - band * self.pitch)
                      for band in range(self.n_bands)]
        left = -COL / 2 - 0.2 - (MARGIN if self.n_bands > 1 else 0.0)
        self.ax.set(xlim=(left, (self.per_band - 0.5) * COL + 0.2),
                    ylim=(min(rows) - 0.7 - (self.n_bands - 1) * self.pitch, max(rows) + 0.7),
                    aspect="equal")
        self.font = BOX_W * self.scale * 72 / (14 * 0.6 / 0.9)  # 14 characters fill 90% of a box
        self.boxes, self.labels, self.arrows = {}, {}, []
        for node in self.order:
            self._draw_node(node)
        for parent in self.order:
            for k, child in enumerate(parent.children):
                repeat = parent.children[:k].count(child)  # a * a: two arrows, bent apart
                self.arrows.append((child, parent, self._arrow(child, parent, repeat)))
        self._make_sprites()

    def _band(self, node):
        """Which band a node is drawn in (0: the top one)."""
        return self.places[node][0] // self.per_band

    def _xy(self, node):
        col, row = self.places[node]
        band, col = divmod(col, self.per_band)
        return col * COL, row * ROW - band * self.pitch

    def _draw_node(self, node):
        """A box for the node's label, data and grad; before it, a circle for its op."""
        (x, y), ax = self._xy(node), self.ax
        if node.children:
            ax.add_patch(Circle((x - OP_X, y), OP_R, fc="white", ec="0.3"))
            op = "σ" if node.op == "sigmoid" else node.op
            size = self.font * min(1.1, 3.2 / len(op))  # long names like tanh a little smaller
            ax.text(x - OP_X, y, op, ha="center", va="center", fontsize=size)
            ax.plot([x - OP_X + OP_R, x - BOX_W / 2], [y, y], color="0.3", lw=1)
        self.boxes[node] = ax.add_patch(FancyBboxPatch((x - BOX_W / 2, y - BOX_H / 2), BOX_W, BOX_H,
                                                       boxstyle="round,pad=0,rounding_size=0.08", ec="0.3"))
        self.labels[node] = ax.text(x, y, "", ha="center", va="center", family="monospace",
                                    fontsize=self.font)

    def _arrow(self, child, parent, repeat):
        """An arrow from the child's box to the parent's op circle.

        Straight if nothing is in the way.  An arrow that would cross other boxes
        (a node used again further right, as a in a * b + a) goes round them:
        up (or down) to a lane above the top row (below the bottom one), along
        it, and down into the circle.  A repeat (a * a) is bent aside.
        """
        (xc, yc), (xp, yp) = self._xy(child), self._xy(parent)
        start, end = (xc + BOX_W / 2, yc), (xp - OP_X - OP_R, yp)
        style = dict(arrowstyle="-|>", mutation_scale=10, color=GREY, shrinkA=0, shrinkB=0)
        if repeat:  # from lower on the box to the circle's lower left: a second arrow
            low = 0.7 * OP_R * repeat
            start, end = (start[0], yc - low), (xp - OP_X - 0.7 * OP_R, yp - 0.7 * OP_R)
        band, to_band = self._band(child), self._band(parent)
        if band == to_band and (repeat or not self._blocked([start, end], child, parent)):
            return self.ax.add_patch(FancyArrowPatch(start, end, **style))
        routes = self._routes(child, parent) if band != to_band else [
            # Out of the top of the box, along the lane, down into the top of the circle
            # (or the same below the band, if that way is clear and the top is not).
            [(xc + 0.3 * BOX_W, yc + side * BOX_H / 2), (xc + 0.3 * BOX_W, lane),
             (xp - OP_X, lane), (xp - OP_X, yp + side * OP_R)]
            for lane, side in zip(self.lanes[band], (1, -1))]
        clear = [points for points in routes if not self._blocked(points, child, parent)]
        points = clear[0] if clear else routes[-1]
        return self.ax.add_patch(FancyArrowPatch(path=Path(points), **style))

    def _routes(self, child, parent):
        """Ways for an arrow into a later band (a wrapped graph), the first choice first.

        Like the end of a line of text: out of the box down to the lane under its
        band, left along it to the margin, down to the lane over the parent's band,
        and into the top of the circle.  Other choices leave from the top of the
        box, use the right margin, or come into the circle from below.
        """
        (xc, yc), (xp, yp) = self._xy(child), self._xy(parent)
        (top, bottom), (to_top, to_bottom) = self.lanes[self._band(child)], self.lanes[self._band(parent)]
        # Left of the op circles of the first column, right of the boxes of the last one.
        margins = (-OP_X - OP_R - 0.12, (self.per_band - 1) * COL + BOX_W / 2 + 0.15)
        routes = []
        for lane, side in ((bottom, -1), (top, 1)):
            for margin in margins:
                for to_lane, to_side in ((to_top, 1), (to_bottom, -1)):
                    routes.append([(xc + 0.3 * BOX_W, yc + side * BOX_H / 2), (xc + 0.3 * BOX_W, lane),
                                   (margin, lane), (margin, to_lane), (xp - OP_X, to_lane),
                                   (xp - OP_X, yp + to_side * OP_R)])
        return routes

    def _blocked(self, points, child, parent):
        """Do straight lines through `points` cross a box or an op circle of another node?"""
        t = np.linspace(0, 1, 60)[1:-1]
        xs = np.concatenate([a[0] + t * (b[0] - a[0]) for a, b in zip(points, points[1:])])
        ys = np.concatenate([a[1] + t * (b[1] - a[1]) for a, b in zip(points, points[1:])])
        for node in self.order:
            if node is child:
                continue
            x, y = self._xy(node)
            # The box, and left of it the op circle (counted as a box, to be safe).
            left = x - OP_X - OP_R if node.children else x - BOX_W / 2
            inside = (xs > left) & (xs < x + BOX_W / 2) & (np.abs(ys - y) < BOX_H / 2)
            if node is parent:  # the arrow ends at its circle: only the box counts
                inside &= xs > x - BOX_W / 2 + 0.01
            if inside.any():
                return True
        return False

    def _set_look(self, node, look):
        show_data, show_grad, color, width = LOOKS[look]
        data = f"{node.data:.3g}" if show_data else "?"
        grad = f"{self.grad[node]:.3g}" if show_grad else "?"
        self.labels[node].set_text(f"{self.names[node][:12]:^14}\ndata {data:>9}\ngrad {grad:>9}")
        self.boxes[node].set(facecolor=color, linewidth=width)

    def _make_sprites(self):
        """Draw every node in each look once, and keep the pixels ("sprites").

        Text is the slowest thing matplotlib draws (about 1 ms per line here), and
        a graph has up to 3 lines per node.  So each frame pastes the right
        sprite of every node (the highlighted one too: "data now", "grad now")
        onto a background holding the arrows and circles.
        """
        canvas = self.canvas.agg  # the pixels: this widget blits by hand, node by node
        node_artists = [*self.boxes.values(), *self.labels.values()]
        for artist in node_artists + [self.title, self.caption]:
            artist.set_visible(False)
        canvas.draw()  # the background: everything that never changes
        self.backdrop = canvas.copy_from_bbox(self.fig.bbox)
        still = [a for a in self.ax.get_children() + self.fig.legends if a.get_visible()]
        for artist in still + [self.ax.patch, self.fig.patch]:
            artist.set_visible(False)  # now the node boxes alone, on a transparent figure
        for artist in node_artists:
            artist.set_visible(True)
        self.sprites = {node: {} for node in self.order}
        for look in LOOKS:
            for node in self.order:
                self._set_look(node, look)
            canvas.draw()
            pixels = np.asarray(canvas.buffer_rgba()).astype(np.float32)
            for node in self.order:
                rows, cols = self._pixel_box(node, pixels.shape[0])
                rgba = pixels[rows, cols]
                alpha = rgba[..., 3:] / 255  # paste = sprite * alpha + background * (1 - alpha)
                self.sprites[node][look] = (rows, cols, rgba[..., :3] * alpha, 1 - alpha)
        for artist in still + [self.ax.patch, self.fig.patch, self.title, self.caption]:
            artist.set_visible(True)

    def _pixel_box(self, node, height, pad=3):
        """The rows and columns of the image that a node's box covers (with its border)."""
        x, y = self._xy(node)
        (x0, y0), (x1, y1) = self.ax.transData.transform([(x - BOX_W / 2, y - BOX_H / 2),
                                                          (x + BOX_W / 2, y + BOX_H / 2)])
        # Images count rows from the top, matplotlib counts y from the bottom.
        rows = slice(max(int(height - y1) - pad, 0), int(height - y0) + pad + 1)
        return rows, slice(max(int(x0) - pad, 0), int(x1) + pad + 1)

    def update(self):
        self.title.set_text(self._title())
        if self.too_big:  # the picture itself shows the message
            # Wrapped by hand: matplotlib's wrap=True measures the text word by word, slowly.
            width = int(self.fig.get_figwidth() * 72 / (10 * 0.55))  # characters of 10 pt per line
            self.caption.set_text(textwrap.fill(self.explanation(), width))
            self.say(self.explanation(), kind="warning")
        else:
            # The arithmetic of this step, as text under the picture: the browser
            # draws it (and wraps it) instantly, matplotlib would take milliseconds.
            self.say(html.escape(self.explanation()))

    def render(self):
        """Background, then each node's sprite, then the lit arrows and the title."""
        if self.too_big:
            return super().render()  # just a message: the whole figure, drawn plainly
        canvas = self.canvas.agg
        canvas.restore_region(self.backdrop)
        pixels = np.asarray(canvas.buffer_rgba())
        for i, node in enumerate(self.order):
            rows, cols, premultiplied, keep = self.sprites[node][self.look(i, node)]
            below = pixels[rows, cols, :3]
            below[...] = premultiplied + below * keep
        for artist in self._lit_arrows() + [self.title]:
            self.fig.draw_artist(artist)
        return canvas_png(canvas)

    def _lit_arrows(self):
        """Forward: the arrows into the current node; backward: the arrows out of it."""
        current, forward = self.current(), self.step_slider.value <= len(self.order)
        lit = [arrow for child, parent, arrow in self.arrows
               if current is not None and (parent if forward else child) is current]
        for arrow in lit:
            arrow.set(color=ORANGE, linewidth=2.2)
        return lit

    def _title(self):
        n = len(self.order)
        if self.too_big:
            return f"Graph too big to draw ({n} nodes)"
        where = {"forward": "forward pass: data, inputs first",
                 "backward": "backward pass: grad, output first",
                 "done": "done: every grad is known"}[self.phase()]
        return f"{n} node{'s' if n != 1 else ''}, step {self.step_slider.value} of {self.n_steps}: {where}"

    def state(self):
        """What the picture shows, as numbers and names (for tests and checks)."""
        current = self.current()
        looks = {} if self.too_big else {v: LOOKS[self.look(i, v)] for i, v in enumerate(self.order)}
        return {"phase": self.phase(), "step": self.step_slider.value, "n_steps": self.n_steps,
                "current": None if current is None else self.names[current],
                "explanation": self.explanation(),
                # What the boxes show, by node name; None where the box shows "?"
                "data": {self.names[v]: v.data if look[0] else None for v, look in looks.items()},
                "grads": {self.names[v]: self.grad[v] if look[1] else None for v, look in looks.items()}}
