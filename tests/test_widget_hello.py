"""HelloWidget: the title writes the line the sliders describe, as a person would."""
import pytest

from nnlib.widgets.hello import HelloWidget

pytestmark = pytest.mark.filterwarnings("error")


@pytest.mark.parametrize("w, b, title", [(-1.5, -1.0, "y = -1.5·x - 1.0"),
                                         (2.0, 1.5, "y = 2.0·x + 1.5"),
                                         (1.0, 0.0, "y = 1.0·x + 0.0")])
def test_title_shows_the_sign_of_b_as_the_operator(w, b, title):
    widget = HelloWidget(w=w, b=b)
    assert widget.ax.get_title() == title


def test_title_follows_the_sliders_and_never_shows_minus_zero():
    widget = HelloWidget()
    widget.b.value = -2.0
    assert widget.ax.get_title() == "y = 1.0·x - 2.0"
    widget.b.value = -1e-17  # a slider's float arithmetic can leave a tiny negative
    assert widget.ax.get_title() == "y = 1.0·x + 0.0"
    widget.w.value = -0.0
    assert widget.ax.get_title() == "y = 0.0·x + 0.0"
