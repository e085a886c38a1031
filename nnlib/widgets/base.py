"""What every course widget shares: controls on the left, a live picture on the right.

Each widget keeps ONE matplotlib figure for its whole life and, on every change,
updates the artists already drawn (lines, images, scatter points) and renders the
figure to PNG bytes shown in an `ipywidgets.Image`.  Why not `interact` or
`Output` + `clear_output`?  Redrawing a fresh figure costs about twice as much per
frame, and those outputs change between runs, which breaks notebook testing.

Every widget can be driven without a browser: set a control's `.value` (or call
its methods, e.g. `step()`), then read `state()` and `frame()`; the tests do exactly that.
"""
import io

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image  # Pillow comes with matplotlib


def png_bytes(fig, dpi=None):
    """Render a matplotlib figure to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def canvas_png(canvas):
    """Encode what is on an Agg canvas as PNG bytes.

    Light compression: the picture is a few kB either way, and the strongest
    compression costs more milliseconds than it saves in bytes.
    """
    buf = io.BytesIO()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue()


class FigureWidget:
    """Base class: a kept figure, an Image showing it, a message line, controls.

    Subclasses create `self.controls` (a list of ipywidgets), draw their artists
    once in `setup_figure()`, and update them in `update()`.  Any control change
    calls `refresh()`, which runs `update()` and shows the new picture.

    Speed (optional): list the artists that change from frame to frame in
    `self.moving`.  Everything else (axes, ticks, labels, contours) is then drawn
    once and kept as a background bitmap; each frame pastes the background and
    draws only the moving artists on top ("blitting"), which is several times
    faster.  Call `redraw_all()` when something in the background changes
    (axis limits, a colour scale, a new dataset).
    """

    def __init__(self, figsize=(6.0, 3.0), dpi=80):
        # matplotlib's Figure directly, not pyplot: pyplot would also display the
        # figure by itself at the end of the cell, and keep it alive forever.
        self.fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.fig)
        self.moving = []
        self._background = None
        self.image = widgets.Image(format="png")
        self.message = widgets.HTML(value="")
        self.controls = []
        self.frames_drawn = 0

    # -- for subclasses --------------------------------------------------
    def setup_figure(self):
        """Create the axes and artists once."""

    def update(self):
        """Bring the artists up to date with the current state."""

    # -- shared machinery ------------------------------------------------
    def observe_controls(self):
        """Redraw whenever any control's value changes (buttons excluded)."""
        for control in self.controls:
            if hasattr(control, "value"):
                control.observe(lambda change: self.refresh(), names="value")

    def refresh(self):
        """Update the picture from the current state; a failure shows as a message."""
        try:
            self.update()
        except Exception as error:  # the widget must never die with a traceback
            self.say(f"Something went wrong: {error}", kind="error")
            return
        self.image.value = self.render()
        self.frames_drawn += 1

    def redraw_all(self):
        """Make the next frame redraw everything, background included."""
        self._background = None

    def render(self):
        """Draw the figure and return it as PNG bytes (see "Speed" above)."""
        if self._background is None or not self.moving:
            for artist in self.moving:
                artist.set_animated(True)  # left out of the background
            self.canvas.draw()
            if self.frames_drawn == 0:
                # The layout (where the axes sit) is worked out for the first
                # frame, then frozen: recomputing it every frame costs more than drawing.
                self.fig.set_layout_engine(None)
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self.moving:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        return canvas_png(self.canvas)

    def say(self, text, kind="info"):
        """Show a short friendly message under the picture ('' clears it)."""
        colors = {"info": "#333", "warning": "#b35900", "error": "#b00020"}
        self.message.value = f'<span style="color:{colors[kind]}">{text}</span>' if text else ""

    def frame(self):
        """The current picture as PNG bytes (what the learner sees)."""
        return self.image.value

    def layout(self):
        """The ipywidgets tree: controls beside the picture, message below."""
        panel = widgets.VBox(self.controls, layout=widgets.Layout(min_width="260px"))
        return widgets.VBox([widgets.HBox([panel, self.image]), self.message])

    def _repr_mimebundle_(self, **kwargs):
        # Showing the object in a cell shows its widget tree.
        if not hasattr(self, "_box"):
            self._box = self.layout()
        return self._box._repr_mimebundle_(**kwargs)
