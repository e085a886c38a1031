"""nnlib.blit: frames drawn by blitting equal frames drawn in full."""
import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from nnlib.blit import BlitCanvas, png_bytes, text_style

pytestmark = pytest.mark.filterwarnings("error")


def two_lines():
    fig = Figure(figsize=(2, 2), dpi=50)
    ax = fig.add_subplot()
    (a,) = ax.plot([0, 1], [0, 1], color="C0")
    (b,) = ax.plot([0, 1], [1, 0], color="C1")
    return fig, a, b


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def full_drawing(move):
    """A fresh figure, `move` applied to its lines, drawn with nothing kept."""
    fig, a, b = two_lines()
    move(a, b)
    return pixels(BlitCanvas(fig).png())


def test_an_empty_moving_list_draws_every_frame_in_full():
    fig, a, b = two_lines()
    canvas = BlitCanvas(fig)
    first = canvas.png()
    b.set_ydata([0.5, 0.5])
    second = canvas.png()
    assert second != first
    assert np.array_equal(pixels(second), full_drawing(lambda a, b: b.set_ydata([0.5, 0.5])))


def test_the_moving_list_can_change_between_frames():
    fig, a, b = two_lines()
    canvas = BlitCanvas(fig, [a])
    canvas.png()
    background = canvas.background
    canvas.moving = [b]                        # now b moves and a stays
    b.set_ydata([0.5, 0.5])
    frame = canvas.png()
    assert canvas.background is not background     # redrawn, with a in it
    assert not a.get_animated() and b.get_animated()
    assert np.array_equal(pixels(frame), full_drawing(lambda a, b: b.set_ydata([0.5, 0.5])))
    b.set_ydata([0.2, 0.2])                    # blitted from the new background
    frame = canvas.png()
    assert np.array_equal(pixels(frame), full_drawing(lambda a, b: b.set_ydata([0.2, 0.2])))


def a_curve():
    """A figure whose axes frame (ticks, labels) is background and whose curve moves."""
    fig = Figure(figsize=(3, 2), dpi=60)
    ax = fig.add_subplot()
    (line,) = ax.plot([1, 2, 3], [1, 10, 100], color="C0")
    ax.set_ylim(1, 100)
    return fig, ax, line


@pytest.mark.parametrize("change", [
    pytest.param(lambda ax: ax.set_ylim(1, 1000), id="new limits"),
    pytest.param(lambda ax: ax.set_yscale("log"), id="a log scale, same limits"),
    pytest.param(lambda ax: ax.yaxis.set_major_formatter("{x:.0f} %"), id="new tick labels"),
    pytest.param(lambda ax: ax.set_xscale("log"), id="a log x scale"),
    pytest.param(lambda ax: ax.set_title("a new title"), id="a new title"),
    pytest.param(lambda ax: ax.set_ylabel("a new label"), id="a new axis label"),
])
def test_a_new_axis_frame_redraws_the_background(change):
    """Limits, scale or tick labels of a still axes change: no stale ticks stay behind."""
    fig, ax, line = a_curve()
    canvas = BlitCanvas(fig, [line])
    canvas.png()
    change(ax)
    line.set_ydata([2, 20, 50])
    frame = canvas.png()

    fig, ax, line = a_curve()               # the same picture, drawn in full
    change(ax)
    line.set_ydata([2, 20, 50])
    assert np.array_equal(pixels(frame), pixels(BlitCanvas(fig).png()))


def test_an_unchanged_frame_keeps_the_background():
    """Blitting still saves work: moving a curve alone does not redraw the background."""
    fig, ax, line = a_curve()
    canvas = BlitCanvas(fig, [line])
    canvas.png()
    background = canvas.background
    line.set_ydata([5, 5, 5])
    canvas.png()
    assert canvas.background is background


def test_a_scene_seen_before_is_pasted_not_drawn():
    """show_scene: each scene's background is kept; coming back pastes it, and the
    frame still equals a full drawing."""
    fig, ax, line = a_curve()
    line.set_ydata([2, 20, 50])     # away from the spines, which a full drawing puts on top
    canvas = BlitCanvas(fig, [line])
    for scene, color in [("red", "red"), ("blue", "blue")]:
        ax.set_facecolor(color)
        canvas.show_scene(scene)
        canvas.png()
    red_background = canvas.kept["red", canvas.key]
    ax.set_facecolor("red")
    canvas.show_scene("red")
    frame = canvas.png()
    assert canvas.background is red_background          # pasted, not drawn again
    fig, ax, line = a_curve()
    line.set_ydata([2, 20, 50])
    ax.set_facecolor("red")
    assert np.array_equal(pixels(frame), pixels(BlitCanvas(fig).png()))
    canvas.invalidate()                                  # anything else: all forgotten
    assert canvas.kept == {}


def test_png_bytes_is_a_valid_png_of_exactly_the_pixels():
    """The PNG writer: checksums right (Pillow verifies them), every pixel kept."""
    rgb = np.random.default_rng(0).integers(0, 256, size=(7, 5, 3), dtype=np.uint8)
    png = png_bytes(rgb)
    Image.open(io.BytesIO(png)).verify()
    image = Image.open(io.BytesIO(png))
    assert image.mode == "RGB" and image.size == (5, 7)
    assert np.array_equal(np.asarray(image), rgb)


def test_a_frame_has_the_pixels_matplotlib_itself_saves():
    fig, a, b = two_lines()
    frame = pixels(BlitCanvas(fig, [b]).png())
    saved = io.BytesIO()
    with text_style():                          # letters drawn as BlitCanvas draws them
        fig.savefig(saved, format="png")        # matplotlib's own PNG (through Pillow)
    assert np.array_equal(frame, pixels(saved.getvalue()))
