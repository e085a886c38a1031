"""Blitting: draw what stays the same once, then on every frame only what moves.

An interactive picture is drawn again after every slider move, and a Play
button asks for a new frame every 50 ms.  Drawing a whole matplotlib figure
takes time, and most of it goes into text: tick labels, axis labels, legends.
Yet from one frame to the next they stay the same; only a few artists move
(a line, an image, some points, a title).

So, like matplotlib's own animations, we split the figure in two:

    background   everything that stays: drawn ONCE (with the moving artists
                 left out) and kept as a bitmap, a copy of the pixels;
    moving       the artists that change: drawn on top, on every frame.

One frame = paste the background, draw the moving artists on it: several
times cheaper than drawing the whole figure.  Pasting a saved block of
pixels onto a picture is what "blitting" means (from "bit block transfer").

The catch: the background must be drawn again whenever something in it
changes, or frames show a stale picture (old tick labels under new ones).
BlitCanvas notices by itself a new list of moving artists and any change
to an axes' frame: its limits, its scale (linear or log), its tick labels,
its title or axis labels; for anything else (a colour scale, a new
dataset) call invalidate().

    canvas = BlitCanvas(fig, moving=[line, ax.title])
    for w in [0.5, 1.0, 1.5]:
        line.set_ydata(w * x)
        ax.set_title(f"w = {w}")
        png = canvas.png()          # one frame, as PNG bytes

Every course widget draws its frames this way (self.moving in
nnlib/widgets/base.py), and so do the training animations (nnlib/animation.py).
"""
import struct
import zlib

import numpy as np
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image  # Pillow comes with matplotlib


# Letters are drawn without "hinting" (nudging each letter's outline onto the
# pixel grid).  Measured: it halves the time per letter (matplotlib 3.11), and
# text is most of what a frame costs; at this size the letters look the same.
TEXT_STYLE = {"text.hinting": "no_hinting"}


def text_style():
    """Draw inside `with text_style():` to draw text as BlitCanvas does."""
    return rc_context(TEXT_STYLE)


def freeze_layout(fig):
    """Keep the axes where the layout engine put them; stop re-computing the layout.

    Working out the layout (where each axes sits, so that no label overlaps)
    costs more than drawing a frame, and once done its answer does not change.
    fig.set_layout_engine(None) removes the engine and keeps the positions.
    (set_layout_engine("none") would leave a placeholder engine behind, and
    savefig then draws the whole figure twice per frame, once just to lay it out.)
    """
    fig.set_layout_engine(None)


def canvas_image(agg):
    """The pixels on an Agg canvas as an RGB Pillow image (nothing is drawn).

    The canvas holds RGBA pixels; the figure is opaque, so A (the opacity) is
    255 everywhere and is dropped: PNGs without it are smaller and quicker to make.
    """
    # "raw", "RGBA", 0, 1: the buffer holds rows of RGBA bytes, top row first.
    rgba = Image.frombuffer("RGBA", agg.get_width_height(), agg.buffer_rgba(),
                            "raw", "RGBA", 0, 1)
    return rgba.convert("RGB")


def png_bytes(rgb):
    """An RGB picture, a (height, width, 3) array of bytes, as the bytes of a PNG file.

    A PNG file is a signature and three chunks: IHDR (width, height, pixel
    format), IDAT (the rows, each after a "filter" byte, compressed with zlib)
    and IEND (the end).  We write it here because Pillow's writer tries five
    filters on every row to pick the best one: three times slower, on every
    frame.  Filter 0 (each row as it is) and zlib's fastest level make even
    smaller files for these pictures, with their large flat areas.
    """
    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)   # column 0: filter 0
    rows[:, 1:] = rgb.reshape(height, 3 * width)

    def chunk(kind, data):
        """length, kind, data, then a checksum of kind and data"""
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    # 8 bits per channel, colour type 2 (RGB), standard compression, filters, no interlacing
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


def canvas_png(agg):
    """The pixels on an Agg canvas as PNG bytes (nothing is drawn).

    The canvas holds RGBA pixels; the figure is opaque, so A (the opacity) is
    255 everywhere and is dropped (see canvas_image).
    """
    return png_bytes(np.asarray(agg.buffer_rgba())[:, :, :3])


def tick_labels(axis):
    """The tick labels an axis (ax.xaxis or ax.yaxis) would draw now, as texts.

    Asks the axis's locator where the ticks go and its formatter what they say,
    the same questions a drawing asks, without drawing anything.
    """
    locations = axis.get_majorticklocs()
    return tuple(axis.get_major_formatter().format_ticks(locations))


def axes_look(ax, moving=()):
    """What an axes' frame looks like: limits, scales, tick labels, title, axis labels.

    If any of these changes, a background drawn before shows the old ones: it
    must be drawn again.  (Limits alone are not enough: switching to a log
    scale or changing a formatter keeps the limits and changes every label.)
    A title in `moving` is drawn on every frame anyway: its text does not count.
    """
    texts = tuple(t.get_text() for t in (ax.title, ax.xaxis.label, ax.yaxis.label)
                  if t not in moving)
    return (ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(),
            tick_labels(ax.xaxis), tick_labels(ax.yaxis), texts)


class BlitCanvas:
    """Render a figure again and again, fast, by redrawing only what moves.

    fig:     the matplotlib Figure, kept and updated in place between frames
    moving:  the artists that change, in drawing order (later on top); may be
             replaced or changed at any time.  Empty: every frame is a full
             drawing (with nothing drawn on top, the background IS the frame).
    agg:     matplotlib's Agg canvas, which holds the pixels

    The background is redrawn by itself when `moving` or an axes' limits,
    scales, tick labels, title or axis labels change; call invalidate() after
    changing anything else that is not in `moving`, or show_scene(name) if a
    name says all that changed (then each scene's background is kept).  The
    first frame also lays the figure out, then the layout is frozen (see
    freeze_layout).
    """

    def __init__(self, fig, moving=()):
        self.fig = fig
        self.agg = FigureCanvasAgg(fig)
        self.moving = list(moving)
        self.background = None
        self.key = None     # what the background was drawn for (see _key)
        self.scene = None   # a name for what else the background shows (see show_scene)
        self.kept = {}      # backgrounds of the scenes seen so far: (scene, key) -> pixels
        self.animated = ()  # the artists left out of the last background drawn

    def invalidate(self):
        """Redraw the background at the next frame (and forget the kept ones)."""
        self.background = None
        self.kept.clear()

    def show_scene(self, scene):
        """The background now shows `scene`, a name such as an activation's.

        Like invalidate(), but each scene's background is kept: coming back to
        a scene seen before (sigmoid, relu, sigmoid again) pastes its pixels
        instead of drawing them again.  The name must tell everything the
        background shows apart from what BlitCanvas checks by itself (the
        moving artists, the axes' frames).
        """
        if scene != self.scene:
            self.scene = scene
            self.background = None

    def _key(self):
        """What the background depends on, apart from invalidate(): the moving
        artists (left out of it), and how every axes that does not move looks
        (see axes_look).
        """
        # An axes that is itself in `moving` is redrawn on every frame anyway.
        return tuple(self.moving), tuple(axes_look(ax, self.moving) for ax in self.fig.axes
                                         if ax not in self.moving)

    def draw(self):
        """Bring the canvas's pixels up to date: background, then what moves."""
        with text_style():
            self._draw()

    def _draw(self):
        key = self._key()
        if self.background is None or self.key != key:
            # A new background is needed: one kept from an earlier visit to this scene?
            self.background, self.key = self.kept.get((self.scene, key)), key
        if not self.moving or self.background is None:
            self._draw_background()     # (no moving artists: a full drawing, every time)
        else:
            self.agg.restore_region(self.background)     # paste the kept pixels
        for artist in self.moving:
            if artist.get_visible():
                self.fig.draw_artist(artist)

    def _draw_background(self):
        """Draw the figure without the moving artists, and keep its pixels."""
        for artist in self.animated:
            artist.set_animated(False)      # moving no longer? then part of the background
        for artist in self.moving:
            artist.set_animated(True)       # a plain draw() leaves these out
        self.animated = tuple(self.moving)
        self.agg.draw()
        freeze_layout(self.fig)
        self.background = self.agg.copy_from_bbox(self.fig.bbox)
        self.key = key = self._key()    # after drawing: the first one lays the figure out
        if self.scene is not None:
            if len(self.kept) >= 32:    # about 20 MB of pixels at most
                self.kept.clear()
            self.kept[self.scene, key] = self.background

    def pil_image(self):
        """The current frame as an RGB Pillow image."""
        self.draw()
        return canvas_image(self.agg)

    def png(self):
        """The current frame as PNG bytes."""
        self.draw()
        return canvas_png(self.agg)
