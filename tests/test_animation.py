"""nnlib.animation: a training run becomes frames, an HTML player and a GIF."""
import re

import numpy as np
import pytest
from PIL import Image

from nnlib.animation import (Recording, plane_grid, probability_map, record_training,
                             save_gif, to_html)
from nnlib.blit import BlitCanvas
from nnlib.data import make_dataset, train_test_split
from nnlib.layers import mlp
from nnlib.train import TrainingDiverged

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def data():
    X, y = make_dataset("xor", n=80, noise=0.1, seed=0)
    return train_test_split(X, y, test_ratio=0.25, seed=0)


@pytest.fixture(scope="module")
def recording(data):
    X, X_test, y, y_test = data
    return record_training(lambda: mlp([2, 4, 1], seed=0), X, y, epochs=45, every=5, lr=1.0,
                           batch_size=10, X_test=X_test, y_test=y_test, grid_size=30)


def test_frames_at_every_few_epochs_and_the_last(recording):
    epochs = [f.epoch for f in recording.frames]
    assert epochs == list(range(0, 45, 5)) + [45]          # 10 frames
    assert len(recording.loss) == len(recording.test_loss) == 46   # epochs 0..45
    assert all(f.probability.shape == (30, 30) for f in recording.frames)
    # it learned: the loss fell and the last picture is sure of itself
    assert recording.loss[-1] < recording.loss[0] / 3
    assert recording.frames[-1].accuracy >= 0.95 > recording.frames[0].accuracy


def test_frame_count_is_deterministic(data):
    X, _, y, _ = data
    for epochs, every, expected in [(10, 5, 3), (10, 3, 5), (7, 10, 2), (1, 1, 2)]:
        rec = record_training(mlp([2, 3, 1]), X, y, epochs=epochs, every=every)
        assert len(rec.frames) == expected == 1 + epochs // every + (epochs % every != 0)


def test_same_inputs_same_recording(data, recording):
    X, X_test, y, y_test = data
    again = record_training(lambda: mlp([2, 4, 1], seed=0), X, y, epochs=45, every=5, lr=1.0,
                            batch_size=10, X_test=X_test, y_test=y_test, grid_size=30)
    assert again.loss == recording.loss
    assert all(np.array_equal(a.probability, b.probability)
               for a, b in zip(again.frames, recording.frames))


def test_a_model_object_is_trained_in_place(data):
    X, _, y, _ = data
    model = mlp([2, 4, 1])
    before = model.layers[0].W.copy()
    rec = record_training(model, X, y, epochs=5, every=5)
    assert not np.array_equal(model.layers[0].W, before)
    grid = plane_grid(50)
    assert np.array_equal(rec.frames[-1].probability, probability_map(model, grid, 50))
    assert rec.test_loss is None


def test_gif_is_a_valid_animation(recording, tmp_path):
    path = save_gif(recording, tmp_path / "xor.gif", fps=10)
    assert path.read_bytes()[:4] == b"GIF8"
    with Image.open(path) as gif:
        assert gif.n_frames == len(recording.frames)
        assert gif.info["duration"] == 100          # ms per frame at 10 fps
        assert gif.info["loop"] == 0                # forever


def test_html_player(recording):
    html = to_html(recording, fps=4)
    for markup in ['class="nnlib-animation"', 'class="nnlib-animation-play"',
                   'type="range"', f'max="{len(recording.frames) - 1}"', "<script>",
                   "setInterval", "epoch 45, train accuracy"]:
        assert markup in html
    frames = re.search(r"var frames = (\[.*?\]);", html).group(1)
    assert frames.count("iVBORw0KGgo") == len(recording.frames)   # base64 of a PNG header
    assert "}, 250);" in html                                      # 4 frames a second
    # no random ids: the same recording gives the same text (notebook tests compare it)
    assert to_html(recording, fps=4) == html


def test_picture_is_drawn_fast_by_reusing_its_background(recording):
    from matplotlib.figure import Figure
    fig = Figure(figsize=(2, 2), dpi=50)
    ax = fig.add_subplot()
    (line,) = ax.plot([0, 1], [0, 1])
    canvas = BlitCanvas(fig, [line])
    first = canvas.png()
    background = canvas.background
    line.set_ydata([1, 0])
    second = canvas.png()
    assert canvas.background is background and second != first
    ax.set_xlim(0, 2)                              # the axis changed: redraw the background
    canvas.png()
    assert canvas.background is not background


@pytest.mark.parametrize("kwargs, name", [
    ({"epochs": 0}, "epochs"), ({"every": 0}, "every"), ({"every": -3}, "every"),
    ({"grid_size": 0}, "grid_size")])
def test_bad_numbers_name_the_parameter(data, kwargs, name):
    X, _, y, _ = data
    with pytest.raises(ValueError, match=name):
        record_training(mlp([2, 3, 1]), X, y, **{"epochs": 5, **kwargs})


def test_bad_models_and_recordings_are_clear_errors(data, recording, tmp_path):
    X, _, y, _ = data
    with pytest.raises(ValueError, match="2 inputs"):
        record_training(mlp([3, 4, 1]), X, y)
    with pytest.raises(TypeError, match="model must be"):
        record_training("mlp", X, y)
    empty = Recording(frames=[], X=X, y=y, loss=[])
    for make in (lambda: to_html(empty), lambda: save_gif(empty, tmp_path / "e.gif")):
        with pytest.raises(ValueError, match="no frames"):
            make()
    with pytest.raises(ValueError, match="fps"):
        to_html(recording, fps=0)
    with pytest.raises(TypeError, match="Recording"):
        save_gif([1, 2], tmp_path / "x.gif")


def test_a_blow_up_is_reported(data):
    X, _, y, _ = data
    with pytest.raises(TrainingDiverged):
        record_training(mlp([2, 4, 4, 1], activation="identity"), X, y, epochs=30, lr=10.0)


def test_bad_test_data_is_named_as_test_data(data):
    X, X_test, y, y_test = data
    with pytest.raises(ValueError, match=r"X_test has 1 feature \(columns\) but the model "
                                         r"expects 2"):
        record_training(mlp([2, 3, 1]), X, y, epochs=2, X_test=X_test[:, :1], y_test=y_test)
    with pytest.raises(ValueError, match=r"X_test and y_test must have the same number of samples"):
        record_training(mlp([2, 3, 1]), X, y, epochs=2, X_test=X_test, y_test=y_test[:-1])
    with pytest.raises(ValueError, match=r"y_test for loss 'bce' must hold labels 0 or 1"):
        record_training(mlp([2, 3, 1]), X, y, epochs=2, X_test=X_test, y_test=y_test + 1)
    with pytest.raises(ValueError, match=r"X_test contains NaN"):
        record_training(mlp([2, 3, 1]), X, y, epochs=2, X_test=X_test * np.nan, y_test=y_test)
