"""DescentExplorer and descend(): convergence, divergence, momentum, two basins, redrawing."""
import math

import numpy as np
import pytest

from nnlib.descent import SURFACES, descend, stable_lr
from nnlib.widgets.descent import DescentExplorer

# Any RuntimeWarning (overflow...) or other warning fails the test.
pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture
def widget():
    return DescentExplorer()


# ---- the maths, without the widget ----

@pytest.mark.parametrize("name", list(SURFACES))
def test_analytic_gradients_match_central_differences(name):
    s, rng, eps = SURFACES[name], np.random.default_rng(0), 1e-6
    for _ in range(5):
        x, y = rng.uniform(*s.xlim), rng.uniform(*s.ylim)
        gx, gy = s.grad(x, y)
        assert gx == pytest.approx((s.f(x + eps, y) - s.f(x - eps, y)) / (2 * eps), rel=1e-5, abs=1e-6)
        if s.dims == 2:
            assert gy == pytest.approx((s.f(x, y + eps) - s.f(x, y - eps)) / (2 * eps), rel=1e-5, abs=1e-6)


def test_path_starts_at_start_and_has_one_point_per_step():
    r = descend("bowl", (1.5, -1.0), lr=0.1, steps=30)
    assert r.path.shape == (31, 2) and r.losses.shape == (31,)
    assert tuple(r.path[0]) == (1.5, -1.0)
    assert r.steps_taken == 30 and not r.diverged
    # Plain gradient descent on x^2 + y^2: each step multiplies p by (1 - 2 lr) = 0.8.
    assert r.path[1] == pytest.approx([1.2, -0.8])


def test_bowl_with_a_good_lr_converges_to_the_minimum():
    r = descend("bowl", (1.5, 1.8), lr=0.1, steps=100)
    assert np.allclose(r.path[-1], 0, atol=1e-6)
    assert r.losses[-1] < 1e-12 and np.all(np.diff(r.losses) <= 0)


@pytest.mark.parametrize("lr", [1.05, 1.5, 10.0])
def test_parabola_diverges_when_lr_is_above_one(lr):
    # x <- x - lr * 2x = (1 - 2 lr) x, and |1 - 2 lr| > 1 when lr > 1.
    r = descend("parabola", (1.8,), lr=lr, steps=200)
    assert r.diverged and r.steps_taken < 200
    assert np.all(np.isfinite(r.path)) and np.all(np.isfinite(r.losses))


def test_parabola_converges_when_lr_is_below_one():
    assert descend("parabola", (1.8,), lr=0.9, steps=200).losses[-1] < 1e-12


def test_huge_lr_on_every_surface_stops_without_warning():
    for name, s in SURFACES.items():
        r = descend(name, s.start, lr=10.0, momentum=0.9, steps=200)
        assert r.diverged, name
        assert np.max(np.abs(r.path[:-1])) <= 1e6  # it stopped as soon as it left the bound


@pytest.mark.parametrize("lr", [0.05, 0.09])
def test_momentum_beats_plain_gd_in_the_valley(lr):
    start = SURFACES["valley"].start
    plain = descend("valley", start, lr=lr, momentum=0.0, steps=200)
    heavy = descend("valley", start, lr=lr, momentum=0.5, steps=200)

    def steps_to(r, target=1e-6):
        below = np.flatnonzero(r.losses < target)
        return below[0] if below.size else len(r.losses)

    assert steps_to(heavy) < steps_to(plain) / 2
    assert heavy.losses[100] < plain.losses[100] / 1000


def test_two_minima_the_start_decides_which_minimum():
    left_min, right_min = SURFACES["two minima"].minima
    left = descend("two minima", (-0.3, 1.0), lr=0.04, steps=200)
    right = descend("two minima", (0.4, 1.0), lr=0.04, steps=200)
    assert left.path[-1] == pytest.approx(left_min, abs=1e-3)
    assert right.path[-1] == pytest.approx(right_min, abs=1e-3)
    assert left.losses[-1] < right.losses[-1]  # the tilt makes the left basin deeper


def test_stable_lr_is_the_quadratic_limit():
    assert stable_lr(SURFACES["parabola"]) == 1.0
    assert stable_lr(SURFACES["valley"], momentum=0.5) == pytest.approx(0.15)


@pytest.mark.parametrize("kwargs, error", [
    ({"surface": "nope"}, ValueError), ({"lr": 0}, ValueError), ({"lr": "big"}, TypeError),
    ({"momentum": 1.0}, ValueError), ({"steps": 0}, ValueError), ({"start": (math.nan, 0)}, ValueError),
])
def test_descend_rejects_bad_input_clearly(kwargs, error):
    args = {"surface": "bowl", "start": (1.0, 1.0), "lr": 0.1} | kwargs
    with pytest.raises(error):
        descend(**args)


# ---- the widget ----

def test_state_describes_the_path(widget):
    widget.surface.value = "bowl"
    state = widget.state()
    assert set(state) >= {"surface", "start", "lr", "momentum", "steps", "final_point",
                          "final_loss", "diverged", "steps_taken"}
    assert state["surface"] == "bowl" and state["start"] == SURFACES["bowl"].start
    assert state["steps_taken"] == widget.steps.value and not state["diverged"]
    assert state["final_loss"] < 1e-6


def test_every_control_changes_state_and_frame(widget):
    widget.surface.value = "valley"
    for control, value in [(widget.x0, 2.0), (widget.y0, -1.0), (widget.lr, 0.02),
                           (widget.momentum, 0.7), (widget.steps, 20), (widget.surface, "two minima")]:
        before_state, before_frame = widget.state(), widget.frame()
        control.value = value
        assert widget.state() != before_state, control.description
        assert widget.frame() != before_frame, control.description


def test_switching_surface_loads_its_defaults_and_ranges(widget):
    for name, s in SURFACES.items():
        widget.surface.value = name
        assert (widget.x0.min, widget.x0.max) == s.xlim
        assert widget.x0.value == s.start[0] and widget.lr.value == pytest.approx(s.lr)


def test_switching_surface_draws_one_frame_not_one_per_slider(widget):
    drawn = widget.frames_drawn
    widget.surface.value = "valley"  # x0, y0 and lr move to the valley's defaults
    assert widget.frames_drawn == drawn + 1


def test_one_d_surface_ignores_and_hides_y0(widget):
    widget.surface.value = "parabola"
    assert widget.y0.layout.display == "none"
    before_state, before_frame = widget.state(), widget.frame()
    widget.y0.value = 0.7 if widget.y0.value != 0.7 else -0.7
    assert widget.state() == before_state and widget.frame() == before_frame
    assert len(widget.state()["start"]) == 1 and len(widget.state()["final_point"]) == 1


def test_too_large_lr_shows_a_divergence_message_not_a_warning(widget):
    widget.surface.value = "parabola"
    widget.lr.value = 1.5
    state = widget.state()
    assert state["diverged"] and state["steps_taken"] < widget.steps.value
    assert f"Diverged after {state['steps_taken']} steps" in widget.message.value
    assert "learning rate is too large" in widget.message.value and "try < 1" in widget.message.value
    widget.lr.value = 0.1
    assert "Diverged" not in widget.message.value


def test_loss_going_up_without_blowing_up_is_reported(widget):
    widget.surface.value = "parabola"
    widget.steps.value = 10
    widget.lr.value = 10 ** 0.01  # ~1.023: |1 - 2 lr| is just above 1
    assert not widget.state()["diverged"]
    assert "The loss went up" in widget.message.value


def test_tiny_lr_shows_a_crawling_note(widget):
    widget.surface.value = "parabola"
    widget.lr.value = 1e-4
    assert "Crawling" in widget.state()["note"] and "Crawling" in widget.message.value


def test_resting_in_the_shallow_minimum_is_not_called_crawling(widget):
    widget.surface.value = "two minima"
    widget.x0.value, widget.y0.value = 0.95, 0.0
    widget.steps.value = 10
    assert "Crawling" not in widget.message.value
    widget.lr.value = 1e-4  # but a tiny step near there is crawling
    assert "Crawling" in widget.message.value


def test_bad_surface_name_is_a_clear_error():
    with pytest.raises(Exception, match="surface"):
        DescentExplorer(surface="saddle")


def test_a_learning_rate_at_the_edge_is_called_bouncing_not_crawling():
    w = DescentExplorer(surface="parabola")
    w.lr.value = 1.0  # x -> (1 - 2 * 1.0) x = -x: it jumps between two points for ever
    note = w.state()["note"]
    assert note.startswith("Bouncing") and "Crawling" not in note
    assert not w.state()["diverged"]
    w.lr.value = 0.0005
    assert w.state()["note"].startswith("Crawling")


# ---- the note's words: true for exactly the setting shown ----

NOTCHES = 10 ** np.arange(-4, 1.0001, 0.05)  # the learning-rate slider's values


@pytest.mark.parametrize("surface", ["parabola", "bowl"])
@pytest.mark.parametrize("steps", [1, 2, 3])
def test_lr_at_the_limit_bounces_even_in_a_short_run(surface, steps):
    # lr = 1 = 2/L: the point jumps from one side to the other and back, the loss
    # stays 3.24 (parabola). That is bouncing, not crawling: a larger lr diverges.
    w = DescentExplorer(surface=surface)
    w.lr.value, w.steps.value = 1.0, steps
    note = w.state()["note"]
    assert note.startswith("Bouncing") and "edge of stability" in note
    assert "larger learning rate" not in note
    assert f"after {steps} step{'s' if steps > 1 else ''} the loss" in note


def test_a_short_run_below_the_edge_is_not_called_bouncing():
    # lr 0.6: one step from 1.8 lands at -0.36, past the bottom, but the loss fell 96%.
    w = DescentExplorer(surface="parabola")
    w.lr.value, w.steps.value = 0.6, 1
    assert w.state()["note"].startswith("After 1 step: loss")


def notes_only(w):
    """The widget without its PNG: these sweeps read hundreds of notes, not pictures
    (rendering each frame took ~20 s of the suite)."""
    picture = w.render()
    w.render = lambda: picture
    return w


@pytest.mark.parametrize("surface", list(SURFACES))
def test_a_learning_rate_near_the_limit_is_never_told_to_grow(surface):
    w = notes_only(DescentExplorer(surface=surface))
    for momentum in (0.0, 0.9):
        w.momentum.value = momentum
        edge = [lr for lr in NOTCHES if lr >= 0.9 * stable_lr(surface, momentum)][:8]
        for steps in (1, 2, 3, 50):
            w.steps.value = steps
            for lr in edge:
                w.lr.value = lr
                assert "larger learning rate" not in w.state()["note"], (momentum, steps, lr)


def suggested_lr(note):
    """The number after 'try < ' or 'try a learning rate < ' in a note."""
    return float(note.split("< ")[1].split(")")[0].split(" ")[0])


@pytest.mark.parametrize("surface, lr, expected", [("parabola", 2.0, 1.0), ("valley", 0.2, 0.1)])
def test_with_momentum_the_advice_is_a_smaller_lr_and_less_momentum(surface, lr, expected):
    # The heavy-ball limit 2 (1 + 0.99) / L printed as '.2g' used to be the lr in use
    # ('try < 2' at lr 2), and lr just below it still made the loss rise at momentum 0.99.
    w = DescentExplorer(surface=surface)
    w.lr.value, w.momentum.value = lr, 0.99
    note = w.state()["note"]
    assert note.startswith("The loss went up") and "with less momentum" in note
    assert suggested_lr(note) == expected
    # Following the advice (the notch below the suggestion, momentum 0) works.
    w.lr.value, w.momentum.value = max(n for n in NOTCHES if n < expected), 0.0
    assert w.state()["final_loss"] < w.result.losses[0]


def test_every_suggested_lr_is_below_the_one_in_use():
    for name in SURFACES:
        w = notes_only(DescentExplorer(surface=name))
        for momentum in (0.0, 0.5, 0.99):
            w.momentum.value = momentum
            for lr in NOTCHES[-25:]:  # 0.63 to 10
                w.lr.value = lr
                note = w.state()["note"]
                if "try" in note and "<" in note:
                    assert suggested_lr(note) < lr, (name, momentum, lr, note)


def test_two_minima_note_gives_the_height_the_loss_panel_shows_and_the_local_minimum():
    w = DescentExplorer(surface="two minima")  # starts right of the ridge
    s, state = SURFACES["two minima"], w.state()
    shown = w.loss_line.get_ydata()[-1]  # the last point of "f(p) - lowest f"
    assert shown == pytest.approx(state["final_loss"] - s.f_min)
    assert state["note"].startswith(f"After 50 steps: loss {state['final_loss']:.3g} "
                                    f"({shown:.3g} above the lowest value, {s.f_min:.3g})")
    right, left = max(s.minima), min(s.minima)
    assert state["final_point"][0] == pytest.approx(right[0], abs=0.01)
    assert (f"rests in a shallower minimum, at x = {right[0]:.2f}, and descent cannot climb out "
            f"to the deeper one at x = {left[0]:.2f}") in state["note"]
    w.x0.value = -1.5  # the deeper basin: no talk of a shallower one
    assert w.state()["note"].endswith("in the deepest minimum.")


def test_one_step_is_singular():
    w = DescentExplorer(surface="parabola")
    w.steps.value = 1
    assert w.state()["note"].startswith("After 1 step: loss")
    w.lr.value = 1e-4
    assert w.state()["note"].startswith("Crawling: after 1 step the loss")


# ---- found by a mutation audit: notes whose words no test pinned down ----

def reversals(path):
    """The share of steps that turn back against the step before (jumps across the floor)."""
    moves = np.diff(np.asarray(path, dtype=float), axis=0)
    return float(np.mean(np.sum(moves[1:] * moves[:-1], axis=1) < 0))


def test_round_down_never_rounds_up_and_keeps_two_digits():
    from nnlib.widgets.descent import round_down
    assert round_down(1.99) == pytest.approx(1.9)  # not 2.0: 'try < 2' at lr 2 says nothing
    assert round_down(0.3) == pytest.approx(0.3)   # 0.3 / 0.01 = 29.999...: still 0.3
    assert round_down(0.0999) == pytest.approx(0.099)
    for x in 10 ** np.linspace(-4, 1, 97):
        unit = 10.0 ** (math.floor(math.log10(x)) - 1)
        assert x - unit < round_down(x) <= x, x


def test_a_short_heavy_ball_run_whose_loss_rose_is_told_an_lr_below_its_own():
    # Momentum 0.9, two steps: the loss rises although lr is below 2 / L (the limit
    # without momentum). The suggestion must still be below the lr in use.
    seen = 0
    for surface in ("parabola", "bowl"):
        w = notes_only(DescentExplorer(surface=surface))
        w.momentum.value, w.steps.value = 0.9, 2
        for lr in NOTCHES[(NOTCHES > 0.5) & (NOTCHES < 1.0)]:
            w.lr.value = lr
            note = w.state()["note"]
            if note.startswith("The loss went up"):
                seen += 1
                assert lr < stable_lr(surface, 0.0)
                assert suggested_lr(note) < lr, (surface, lr, note)
    assert seen >= 2  # the situation this test is about does occur


def test_a_crawl_past_the_edge_with_momentum_says_past_and_does_not_offer_momentum():
    w = DescentExplorer(surface="rosenbrock")  # its default start (-1, 2.5)
    w.momentum.value, w.steps.value, w.lr.value = 0.9, 3, 10 ** -1.8
    note = w.state()["note"]
    assert note.startswith("Crawling") and w.lr.value > stable_lr("rosenbrock", 0.9)
    assert "already past the edge of stability" in note
    assert note.endswith("try more steps.") and "some momentum" not in note


def test_a_crawl_at_the_edge_without_momentum_says_at_and_offers_momentum():
    w = DescentExplorer(surface="rosenbrock")
    w.x0.value, w.y0.value, w.steps.value, w.lr.value = -1.0, 1.0, 2, 10 ** -2.45
    note = w.state()["note"]
    lr, stable = w.lr.value, stable_lr("rosenbrock", 0.0)
    assert note.startswith("Crawling") and 0.9 * stable <= lr <= stable
    assert "already at the edge of stability" in note
    assert note.endswith("try more steps, or some momentum.")


def test_jumping_across_every_step_with_more_than_half_the_loss_left_is_bouncing():
    w = DescentExplorer(surface="parabola")
    w.momentum.value, w.steps.value, w.lr.value = 0.5, 5, 10 ** 0.15
    r = w.result
    assert reversals(r.path) == 1.0
    assert 0.5 < r.losses[-1] / r.losses[0] < 0.9  # fell, but less than half-way
    assert w.state()["note"].startswith("Bouncing")


def test_a_heavy_ball_that_turns_back_only_now_and_then_is_not_bouncing():
    # Momentum 0.9 swings slowly from side to side: 5 of 9 steps turn back, not every one.
    w = DescentExplorer(surface="parabola")
    w.momentum.value, w.steps.value, w.lr.value = 0.9, 10, 10 ** 0.05
    assert 0.5 < reversals(w.result.path) < 0.8
    assert not w.state()["note"].startswith("Bouncing")


def test_one_step_past_the_floor_below_the_edge_is_not_bouncing():
    # lr = 0.89 < 0.9 * (2 / L): x -> -0.78 x, past the floor, and 61% of the loss is left.
    w = DescentExplorer(surface="parabola")
    w.steps.value, w.lr.value = 1, 10 ** -0.05
    r = w.result
    assert r.path[1, 0] * r.path[0, 0] < 0 and r.losses[1] > 0.5 * r.losses[0]
    assert w.lr.value < 0.9 * stable_lr("parabola")
    assert w.state()["note"].startswith("After 1 step: loss")


def test_a_run_far_from_every_minimum_does_not_claim_to_rest_in_one():
    w = DescentExplorer(surface="two minima")
    w.steps.value = 10  # on its way down, still well away from both minima
    s, (x, y) = SURFACES["two minima"], w.state()["final_point"]
    assert min(np.hypot(x - mx, y - my) for mx, my in s.minima) > 0.3
    note = w.state()["note"]
    assert note.endswith(f"above the lowest value, {s.f_min:.3g}).")
    assert "minimum" not in note


def test_a_crawl_on_two_minima_gives_the_share_of_the_height_above_the_lowest():
    w = DescentExplorer(surface="two minima")
    w.lr.value = 1e-4
    s, state = SURFACES["two minima"], w.state()
    first = s.f(*s.start)
    share = 100 * (state["final_loss"] - s.f_min) / (first - s.f_min)
    assert state["note"].startswith(f"Crawling: after 50 steps the loss is still {share:.0f}% "
                                    "of where it started.")


def test_descend_on_a_1d_surface_ignores_a_given_y0():
    with_y = descend("parabola", (1.8, 0.7), lr=0.1, steps=5)
    without = descend("parabola", (1.8,), lr=0.1, steps=5)
    assert np.array_equal(with_y.path, without.path) and np.all(with_y.path[:, 1] == 0.0)


@pytest.mark.parametrize("surface, start", [("bowl", (1.0,)), ("valley", (1.0, 2.0, 3.0)),
                                            ("parabola", (1.0, 2.0, 3.0))])
def test_descend_refuses_a_start_of_the_wrong_length_by_name(surface, start):
    with pytest.raises(ValueError, match=f"start must be a point .* on the {surface} surface, "
                                         f"got {len(start)} coordinates"):
        descend(surface, start, lr=0.1)


def test_descend_past_float_range_stops_as_diverged_without_inf():
    # With no practical bound, x grows 19 times per step until x**2 no longer fits a float:
    # the run stops there as diverged, and every loss it kept is a finite number.
    for surface, start in [("parabola", (1.8,)), ("valley", (-3.5, 1.5))]:
        r = descend(surface, start, lr=10.0, steps=1000, bound=1e308)
        assert r.diverged and r.steps_taken < 1000
        assert np.all(np.isfinite(r.path)) and np.all(np.isfinite(r.losses))


def test_a_ball_swinging_with_high_momentum_is_not_called_crawling():
    """Momentum 0.99 on the parabola: the loss goes 3.24, 1.12, 4.87, 0.03, 5.07, ... and ends
    where it started.  It was called "Crawling", with "try a larger learning rate, some
    momentum" (a review found it): a larger lr makes it worse, and momentum is the cause."""
    w = DescentExplorer(surface="parabola")
    with w.one_frame():
        w.momentum.value, w.lr.value = 0.99, 10 ** -0.1
    r = w.result
    rises = int(np.sum(np.diff(r.losses) > 0))
    assert rises >= len(r.losses) / 4 and r.losses[-1] > 0.5 * r.losses[0]
    note = w.state()["note"]
    assert note.startswith("Swinging: with momentum 0.99 the ball overshoots") and "Try less momentum." in note
    assert f"the loss went up again at {rises} of {len(r.losses) - 1} steps" in note
    assert "larger learning rate" not in note


def test_crawling_with_momentum_already_on_does_not_offer_some_momentum():
    w = DescentExplorer(surface="parabola")
    w.momentum.value, w.steps.value, w.lr.value = 0.5, 5, 10 ** -3
    note = w.state()["note"]
    assert note.startswith("Crawling") and w.lr.value < 0.9 * stable_lr("parabola", 0.5)
    assert note.endswith("Try a larger learning rate, or more steps.")
    w.momentum.value = 0.0
    assert w.state()["note"].endswith("Try a larger learning rate, some momentum, or more steps.")
