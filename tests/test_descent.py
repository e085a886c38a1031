"""Tests for nnlib.descent's maths (the widget's own tests are in test_widget_descent.py)."""
import math

import numpy as np
import pytest

from nnlib.descent import SURFACES, descend

# Any warning (e.g. RuntimeWarning: overflow) fails the test.
pytestmark = pytest.mark.filterwarnings("error")


def overflows(f, x, y):
    """Does f(x, y) overflow float64 (Python floats raise, numpy gives inf)?"""
    try:
        return not math.isfinite(f(x, y))
    except OverflowError:
        return True


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("x0", [1e2, 1e50, 1e100, 1e155, 1e200, 1e300])
def test_no_overflow_ever_escapes_descend_however_far_out_it_starts(surface, x0):
    """The docstring's promise: a far start diverges cleanly, or is refused by name
    where f itself overflows at the start."""
    f = SURFACES[surface].f
    if overflows(f, x0, 0.0):
        with pytest.raises(ValueError, match=r"^start is too far out: .* overflows float64"):
            descend(surface, (x0, 0.0), lr=0.1)
        return
    result = descend(surface, (x0, 0.0), lr=0.1)
    assert np.all(np.isfinite(result.losses)) and np.all(np.isfinite(result.path))
    assert result.path[0][0] == x0 and result.losses[0] == f(x0, 0.0)
    assert result.diverged or x0 < 1e6


def test_a_start_whose_loss_overflows_is_refused_naming_start():
    with pytest.raises(ValueError, match=r"^start is too far out: the loss at \(1e\+155, 0\).*x in \(-2, 2\)"):
        descend("bowl", (1e155, 0), 0.1)
    with pytest.raises(ValueError, match=r"^start is too far out: the loss at x = 1e\+200"):
        descend("parabola", (1e200,), 0.1)
