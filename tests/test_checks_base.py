"""The feedback machinery shared by every lesson's checks."""
import numpy as np
import pytest

from nnlib.checks.base import CheckFailed, NotImplementedYet, check_cases


def reference(z):
    return np.maximum(z, 0.0)


CASES = [(np.array([-2.0, 0.0, 3.0]),), (np.array([[1.0, -1.0]]),)]


def test_right_answer_says_so(capsys):
    check_cases("relu", lambda z: np.where(z > 0, z, 0.0), reference, CASES)
    assert capsys.readouterr().out.strip() == "✅ relu: right — 2 cases"


def test_untouched_stub_is_reported_in_one_line():
    def stub(z):
        raise NotImplementedError()

    with pytest.raises(NotImplementedYet) as info:
        check_cases("relu", stub, reference, CASES)
    assert isinstance(info.value, AssertionError)
    lines = info.value._render_traceback_()
    assert len(lines) == 1 and lines[0].startswith("⏳") and "not implemented yet" in lines[0]


def test_wrong_answer_names_the_case_and_the_known_mistake():
    mistakes = [(lambda z: np.minimum(z, 0.0), "you kept the negative part instead of the positive one")]
    with pytest.raises(CheckFailed) as info:
        check_cases("relu", lambda z: np.minimum(z, 0.0), reference, CASES, mistakes=mistakes)
    text = str(info.value)
    first, expected, got = text.splitlines()[:3]
    assert first.replace(" ", "") == "relu([-2.,0.,3.])"
    assert expected.replace(" ", "") == "expected:[0.,0.,3.]"
    assert got.replace(" ", "") == "got:[-2.,0.,0.]"
    assert "hint: you kept the negative part" in text
    assert info.value._render_traceback_()[0].startswith("❌")


def test_wrong_shape_is_pointed_out():
    with pytest.raises(CheckFailed, match="shape"):
        check_cases("relu", lambda z: reference(z).ravel(), reference, CASES[1:])


def test_a_crash_in_the_learners_code_is_reported_briefly():
    with pytest.raises(CheckFailed, match="raised ZeroDivisionError"):
        check_cases("relu", lambda z: 1 / 0, reference, CASES)
