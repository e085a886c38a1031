"""Helpers shared by the tests of the exercise checks (tests/test_checks_lesson0N.py)."""
import pytest

from nnlib.checks.base import CheckFailed, NotImplementedYet


def stub(*args):
    """An untouched exercise function."""
    raise NotImplementedError()


def failure(check_fn, *answers, **kwargs):
    """The report of a wrong answer, as one line of text (spaces squeezed)."""
    with pytest.raises(CheckFailed) as info:
        check_fn(*answers, **kwargs)
    assert not isinstance(info.value, NotImplementedYet)
    assert info.value._render_traceback_()[0].startswith("❌")
    return " ".join(str(info.value).split())
