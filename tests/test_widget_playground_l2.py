"""The Playground's L2 weight decay control (lesson 07): the numbers of its prompt."""
import numpy as np
import pytest

from nnlib.widgets.playground import L2_CHOICES, Playground

pytestmark = pytest.mark.filterwarnings("error")

# Lesson 07's prompt: lesson 06's over-fitting settings, then L2 0.01.
OVERFIT = dict(dataset="moons", noise=0.5, train_percent=10, hidden_layers=4, neurons=8,
               lr=10 ** -0.5, batch_size=10)


def test_weight_decay_shrinks_the_gap_between_train_and_test_loss():
    runs = {l2: Playground(**OVERFIT, l2=l2).step_epochs(300) for l2 in (0, 0.01)}
    plain, decayed = runs[0], runs[0.01]
    assert round(plain["gap"], 2) == 0.54 and round(decayed["gap"], 2) == 0.17
    assert round(plain["test_loss"], 2) == 0.75 and round(decayed["test_loss"], 2) == 0.47
    assert decayed["train_loss"] > plain["train_loss"]        # it fits the training points less


def test_too_much_weight_decay_starts_to_under_fit():
    s = Playground(**OVERFIT, l2=0.1).step_epochs(300)
    assert round(s["train_loss"], 2) == 0.38 and round(s["test_loss"], 2) == 0.49


def test_l2_is_zero_by_default_and_changes_without_a_reset():
    w = Playground()
    assert w.state()["l2"] == 0 and w.l2.options == tuple(L2_CHOICES)
    w.step_epochs(6)
    w.l2.value = 0.1
    assert w.state()["epoch"] == 6 and "L2 0.1" in w.loss_plot.ax.get_title()


def test_l2_pulls_the_weights_towards_zero():
    sizes = {}
    for l2 in (0, 0.1):
        w = Playground(l2=l2)
        w.step_epochs(60)
        sizes[l2] = sum(np.sum(p ** 2) for p in w.model.parameters() if p.ndim == 2)
    assert sizes[0.1] < sizes[0] / 2


def test_a_value_the_menu_cannot_show_is_refused():
    with pytest.raises(ValueError, match="l2"):
        Playground(l2=0.5)


def test_the_lessons_start_then_noise_half_is_the_prompts_setting():
    """Lesson 07 builds the Playground with noise 0.1 and asks to drag noise to 0.5 first."""
    lesson = {k: v for k, v in OVERFIT.items() if k != "noise"}
    w = Playground(**lesson)
    w.noise.value = 0.5                     # the drag: a reset with the new noise
    assert w.step_epochs(300) == Playground(**OVERFIT).step_epochs(300)
