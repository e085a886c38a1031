"""What every course widget shares: controls on the left, a live picture on the right.

Each widget keeps ONE matplotlib figure for its whole life and, on every change,
updates the artists already drawn (lines, images, scatter points) and renders the
figure to PNG bytes shown in an `ipywidgets.Image`.  Why not `interact` or
`Output` + `clear_output`?  Redrawing a fresh figure costs about twice as much per
frame, and those outputs change between runs, which breaks notebook testing.

Every widget can be driven without a browser: set a control's `.value` (or call
its methods, e.g. Playground's `step_epochs()`), then read `state()` and `frame()`; the tests
do exactly that.
"""
import base64
import io
from contextlib import contextmanager

import ipywidgets as widgets
from matplotlib.figure import Figure

from nnlib.blit import BlitCanvas


def png_bytes(fig, dpi=None):
    """Render a matplotlib figure to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


class FigureWidget:
    """Base class: a kept figure, an Image showing it, a message line, controls.

    Subclasses create `self.controls` (a list of ipywidgets), draw their artists
    once in `setup_figure()`, and update them in `update()`.  Any control change
    calls `refresh()`, which runs `update()` and shows the picture `render()` makes.

    Speed (optional): list the artists that change from frame to frame in
    `self.moving`.  Everything else (axes, ticks, labels, contours) is then drawn
    once and kept as a background bitmap; each frame pastes the background and
    draws only the moving artists on top ("blitting", see nnlib/blit.py), which
    is several times faster.  New axis limits, scales, tick labels, titles or
    axis labels, or a new `self.moving` list, redraw the background by themselves;
    call `redraw_all()` when anything else in the background changes (a colour
    scale, a curve that is not in `self.moving`), or `redraw_all(scene=name)`
    when a name says what changed (an activation): each scene's background is
    then kept, and switching back to it costs no more than any other frame;
    prepare_scenes() draws them all when the widget is made, so even a first
    switch is that quick.
    """

    def __init__(self, figsize=(6.0, 3.0), dpi=80):
        # matplotlib's Figure directly, not pyplot: pyplot would also display the
        # figure by itself at the end of the cell, and keep it alive forever.
        self.fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.canvas = BlitCanvas(self.fig)  # draws the frames (self.canvas.agg: the pixels)
        self.image = widgets.Image(format="png")
        self.message = widgets.HTML(value="")
        self.controls = []
        self.frames_drawn = 0
        self._on_hold = False  # True inside one_frame(): no frame until its end

    @property
    def moving(self):
        """The artists redrawn on every frame, in drawing order (see "Speed" above)."""
        return self.canvas.moving

    @moving.setter
    def moving(self, artists):
        self.canvas.moving = list(artists)

    # -- for subclasses --------------------------------------------------
    def setup_figure(self):
        """Create the axes and artists once."""

    def update(self):
        """Bring the artists up to date with the current state."""

    def render(self):
        """Draw the figure and return it as PNG bytes (see "Speed" above).

        Override it only to draw in a way of your own (BackpropStepper does).
        """
        return self.canvas.png()

    # -- shared machinery ------------------------------------------------
    def observe_controls(self):
        """Redraw whenever any control's value changes (buttons excluded)."""
        for control in self.controls:
            if hasattr(control, "value"):
                control.observe(lambda change: self.refresh(), names="value")

    def refresh(self):
        """Update the picture from the current state; a failure shows as a message."""
        if self._on_hold:
            return  # inside one_frame(): it refreshes once, at its end
        try:
            self.update()
        except Exception as error:  # the widget must never die with a traceback
            self.say(f"Something went wrong: {error}", kind="error")
            return
        self.image.value = self.render()
        self.frames_drawn += 1

    @contextmanager
    def one_frame(self):
        """Change several controls, then draw ONE frame (not one per change).

            with self.one_frame():
                self.w1.value, self.w2.value = 1.0, -1.0
        """
        self._on_hold = True
        try:
            yield
        finally:
            self._on_hold = False
        self.refresh()

    def redraw_all(self, scene=None):
        """Make the next frame redraw everything, background included.

        scene: a name for what the background now shows (an activation, a
        surface).  Each named scene's background is kept, so coming back to
        one seen before is as quick as any frame (see BlitCanvas.show_scene).
        """
        if scene is None:
            self.canvas.invalidate()
        else:
            self.canvas.show_scene(scene)

    def prepare_scenes(self, show, scenes, current):
        """Draw now the background of every scene, so a first switch to one is quick.

        show(scene) puts the figure in that scene (it calls redraw_all(scene=...));
        current is the scene shown, put back at the end.  Call it after the first
        frame, which lays the figure out.  It costs one full drawing per scene when
        the widget is made (a few tenths of a second in all) and spares the learner
        a slow first switch to each one later: a switch then costs what a slider
        move costs.  The picture shown does not change.
        """
        for scene in scenes:
            if scene != current:
                show(scene)
                self.canvas.draw()      # draws that scene's background and keeps it
        show(current)

    def say(self, text, kind="info"):
        """Show a short friendly message under the picture ('' clears it)."""
        colors = {"info": "#333", "warning": "#b35900", "error": "#b00020"}
        self.message.value = f'<span style="color:{colors[kind]}">{text}</span>' if text else ""

    def frame(self):
        """The current picture as PNG bytes (what the learner sees)."""
        return self.image.value

    def layout(self):
        """The ipywidgets tree: controls beside the picture, message below.

        Every picture beside controls is at most 576 pixels wide (7.2 inches at
        80 dpi), so both fit side by side in a 1024-pixel JupyterLab window.  In
        a narrower one the picture moves below the controls (wrap) instead of
        being cut off, and a picture wider than the notebook shrinks to fit
        (max_width).
        """
        self.image.layout.max_width = "100%"
        for control in self.controls:  # as wide as the panel, no wider (ipywidgets: 300 px)
            if not isinstance(control, widgets.Box):
                control.layout.width = "auto"
        panel = widgets.VBox(self.controls, layout=widgets.Layout(width="260px"))
        row = widgets.HBox([panel, self.image], layout=widgets.Layout(flex_flow="row wrap"))
        return widgets.VBox([row, self.message])

    def _repr_mimebundle_(self, **kwargs):
        """What a cell shows: the live widget, or its picture where widgets cannot run.

        JupyterLab draws the live widget (the widget-view entry) only in a
        trusted notebook whose kernel made it.  A lesson opened before it is run
        (a fresh copy of the course is not trusted) falls back to the next best
        entry: the picture as it was when the cell ran.  Tools that show only
        text get a one-line hint instead of the widget tree's repr.
        """
        if not hasattr(self, "_box"):
            self._box = self.layout()
        bundle = dict(self._box._repr_mimebundle_(**kwargs))
        name = type(self).__name__
        bundle["text/plain"] = (f"Run this cell to use the widget ({name}: its controls and "
                                "live picture appear once the cell has run).")
        if self.image.value:
            bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle
