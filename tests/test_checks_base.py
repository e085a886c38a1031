"""The feedback machinery shared by every lesson's checks."""
import warnings

import numpy as np
import pytest

from nnlib.checks.base import (CheckFailed, Named, NotImplementedYet, call, check_cases, difference,
                               known_mistake, numbers, quiet, report, show, wrong_answer,
                               wrong_parts)


def reference(z):
    return np.maximum(z, 0.0)


CASES = [(np.array([-2.0, 0.0, 3.0]),), (np.array([[1.0, -1.0]]),)]


def test_right_answer_says_so(capsys):
    check_cases("relu", lambda z: np.where(z > 0, z, 0.0), reference, CASES)
    assert capsys.readouterr().out.strip() == "✅ RIGHT · relu: right — 2 cases"


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


# ---- the helpers the lessons' checks share ------------------------------------

def test_show_writes_a_0d_array_as_the_notebooks_do():
    assert show(np.array(0.0)) == "np.array(0.0)"
    assert show(np.array(-1000.0)) == "np.array(-1000.0)"
    assert show(np.array(1 / 3)) == "np.array(0.333333)"  # 6 significant digits, like show(1/3)
    assert show((np.array(2.5), 1.0)) == "(np.array(2.5), 1)"


def test_show_lines_up_the_rows_of_a_matrix():
    text = show(np.array([[1.0, 2.0], [3.0, 4.0]]))
    first, second = text.splitlines()
    assert first == "[[1., 2.],"
    assert second == " " * len("  expected: ") + " [3., 4.]] (shape (2, 2))"


def test_named_functions_show_their_name():
    cube = Named("z**3", lambda z: z**3)
    assert cube(2.0) == 8.0 and show(cube) == "z**3" and show((cube, 2.0)) == "(z**3, 2)"


@pytest.mark.parametrize("value, expected", [
    ([1, 2], [1.0, 2.0]), (3, 3.0), (None, None), ("abc", None), ([[1.0], [1.0, 2.0]], None),
])
def test_numbers_are_float_arrays_or_none(value, expected):
    got = numbers(value)
    assert (got is None) if expected is None else got.tolist() == expected


def test_quiet_silences_numpy_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with quiet():
            assert np.exp(np.array(1000.0)) == np.inf
            assert np.isnan(np.mean(np.array([])))


def test_call_hands_over_copies_and_returns_the_answer():
    z = np.array([1.0, 2.0])

    def in_place(a):
        a += 1
        return a
    assert call("f", in_place, (z,)).tolist() == [2.0, 3.0] and z.tolist() == [1.0, 2.0]


def test_call_adds_the_hint_of_a_known_crash():
    with pytest.raises(CheckFailed) as info:
        call("f", lambda z: z @ np.ones(3), (np.ones(2),),
             crash_hints=[("ZeroDivision", "no"), ("matmul", "mind the shapes")])
    text = str(info.value)
    assert text.startswith("f([1., 1.]) raised ValueError: matmul")
    assert text.endswith("\n  hint: mind the shapes")
    with pytest.raises(CheckFailed, match=r"\n  hint: never divide by 0$"):
        call("f", lambda: 1 / 0, (), crash_hints=[("ZeroDivisionError", "never divide by 0")])


def test_call_with_a_label_names_the_call_on_lines_of_its_own():
    with pytest.raises(CheckFailed) as info:
        call("f", lambda X: 1 / 0, (np.ones((20, 2)),), label="f(X): case 3, X (20, 2)")
    assert str(info.value) == ("f(X): case 3, X (20, 2)\n"
                               "  raised ZeroDivisionError: division by zero")


def test_call_names_an_unfinished_function_that_fn_uses():
    def helper(z):
        raise NotImplementedError()

    def task(z):
        return helper(z) + 1

    with pytest.raises(NotImplementedYet) as info:
        call("task", task, (1.0,))
    assert str(info.value) == ("task: it uses `helper`, which is not implemented yet: "
                               "finish that task first")
    with pytest.raises(NotImplementedYet, match="^helper: not implemented yet"):
        call("helper", helper, (1.0,))


def test_call_can_watch_for_warnings_and_arguments_changed_in_place():
    def overflowing(z):
        return 1 / (1 + np.exp(-z))

    got, warning, changed = call("sigmoid", overflowing, (np.array([-1000.0, 0.0]),), watch=True)
    assert got.tolist() == [0.0, 0.5] and "overflow" in warning and changed == {}

    def shifting(f, z, xs):
        z += 1e-12
        xs.append(0.0)
        return 0.0

    z, xs = np.array([1.0]), [1.0]
    _, warning, changed = call("slope", shifting, (np.sin, z, xs), watch=True)
    assert warning is None and sorted(changed) == [1, 2] and changed[2] == [1.0, 0.0]
    assert z.tolist() == [1.0] and xs == [1.0]  # the caller's arguments are untouched


def test_known_mistake_gives_the_hint_of_the_first_that_matches():
    mistakes = [(lambda z: 1 / 0, "crashes: passed over"), (lambda z: None, "says nothing"),
                (lambda z: np.exp(z), "exp"), (lambda z: -z, "minus"), (lambda z: -z, "again")]
    args = (np.array([1000.0, 2.0]),)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a mistake model's overflow stays quiet
        assert known_mistake(-args[0], args, mistakes) == "minus"
        assert known_mistake(np.array([np.inf, np.exp(2.0)]), args, mistakes) == "exp"
        assert known_mistake(args[0], args, mistakes) is None


def test_a_report_ends_with_its_hint_if_there_is_one():
    assert str(report("f(1) is wrong", "look again")) == "f(1) is wrong\n  hint: look again"
    assert str(report("f(1) is wrong")) == "f(1) is wrong"
    assert not isinstance(report("f(1) is wrong"), NotImplementedYet)


@pytest.mark.parametrize("got, line", [
    (np.zeros((2, 1)), "(shape (2, 1) instead of (2,))"),
    (0.5, "(a single number instead of an array of shape (2,))"),
])
def test_a_wrong_answer_reports_expected_got_and_the_shapes(got, line):
    text = str(wrong_answer("f(z)", np.zeros(2), got, hint="look again"))
    assert text == (f"f(z)\n  expected: [0., 0.]\n  got:      {show(got)}\n  {line}\n"
                    "  hint: look again")


def test_difference_can_name_the_part_of_an_answer():
    assert difference(np.zeros(2), np.zeros(3), part="b").splitlines()[1:] == [
        "  expected b: [0., 0.]", "  got b:      [0., 0., 0.]",
        "  (b has shape (3,) instead of (2,))"]
    assert difference(np.zeros(2), None) == "\n  expected: [0., 0.]\n  got:      None"


def test_wrong_parts_names_each_wrong_part_with_its_mistake():
    args = (2.0, 3.0)
    expected = {"da": 3.0, "db": 2.0}
    mistakes = {"da": [(lambda a, b: a, "the swap")], "db": [(lambda a, b: 0.0, "zero")]}
    assert wrong_parts({"da": 3.0, "db": 2.0}, expected, args, mistakes) == []
    assert wrong_parts({"da": 2.0, "db": 2.0}, expected, args, mistakes) == [("da", "the swap")]
    assert wrong_parts({"da": 1.0, "db": 0.0}, expected, args, mistakes) == [
        ("da", None), ("db", "zero")]


def test_check_cases_explains_a_nan_where_the_answer_is_finite():
    with pytest.raises(CheckFailed) as info:
        check_cases("relu", lambda z: z * np.inf, reference, CASES,
                    mistakes=[(lambda z: z * np.inf, "not this one")],
                    overflow_hint="it overflowed")
    assert f"got:      {show(np.array([-np.inf, np.nan, np.inf]))}" in str(info.value)
    assert str(info.value).endswith("hint: it overflowed")


def test_check_cases_passes_crash_hints_on():
    with pytest.raises(CheckFailed, match="raised ValueError: The truth value.*\n  hint: use numpy"):
        check_cases("relu", lambda z: max(z, 0.0) + "", reference, CASES[:1],
                    crash_hints=[("truth value", "use numpy")])


# ---- every answer ends as a worded report (issue 10) -----------------------------

def test_each_report_starts_with_its_symbol_and_its_word(capsys):
    from nnlib.checks.base import passed
    passed("relu", "2 cases")
    assert capsys.readouterr().out == "✅ RIGHT · relu: right — 2 cases\n"
    assert report("f(1) is wrong")._render_traceback_() == ["❌ NOT YET · f(1) is wrong"]
    assert NotImplementedYet("f: not implemented yet")._render_traceback_() == [
        "⏳ NOT STARTED · f: not implemented yet"]


@pytest.mark.parametrize("value", ["105", b"105", 10**400, ["1", 2.0], object(), (i for i in [1])])
def test_text_huge_ints_and_odd_objects_are_not_numbers(value):
    assert numbers(value) is None
    assert isinstance(show(value), str) and len(show(value)) < 200


def test_show_survives_a_value_whose_repr_raises():
    class Odd:
        def __repr__(self):
            raise RuntimeError("no")
    assert "Odd" in show(Odd())  # something short that names it, and no error


def test_guarded_turns_a_crash_of_the_check_itself_into_a_report():
    from nnlib.checks.base import guarded

    @guarded
    def fragile(fn):
        return float(fn())  # a huge int overflows here, in the check, not in the learner's code

    with pytest.raises(CheckFailed) as info:
        fragile(lambda: 10**400)
    assert info.value._render_traceback_()[0].startswith(
        "❌ NOT YET · fragile: your answer could not be checked: it led to OverflowError")


def test_a_not_implemented_error_after_other_answers_is_not_yet_not_unstarted():
    from nnlib.checks.base import guarded

    def partly(z):
        if np.ndim(z) == 0:
            raise NotImplementedError("single numbers later")
        return reference(z)

    cases = [(np.array([-1.0, 2.0]),), (np.array(3.0),)]
    with pytest.raises(CheckFailed) as info:
        guarded(lambda fn: check_cases("relu", fn, reference, cases))(partly)
    assert not isinstance(info.value, NotImplementedYet)
    assert "raised NotImplementedError: single numbers later" in str(info.value)
    with pytest.raises(NotImplementedYet):  # a function that never answered is not started
        guarded(lambda fn: check_cases("relu", fn, reference, cases[::-1]))(partly)


def test_known_mistake_prefers_the_mistake_that_fits_every_case():
    def cast_to_int(z):  # fractions cut off: like "minus" on the first case only
        return np.maximum(np.trunc(z), 0.0)
    mistakes = [(lambda z: np.maximum(z - 0.5, 0.0), "subtracted a half"),
                (lambda z: np.maximum(np.trunc(z), 0.0), "cut off the fractions")]
    cases = [(np.array([0.5, 1.5]),), (np.array([2.25, -1.0]),)]
    got = cast_to_int(*cases[0])
    assert known_mistake(got, cases[0], mistakes) == "subtracted a half"  # output alone misleads
    assert known_mistake(got, cases[0], mistakes, fn=cast_to_int, cases=cases) == \
        "cut off the fractions"
    hint = known_mistake(got, cases[0], mistakes[:1], fn=cast_to_int, cases=cases)
    assert hint.startswith("here your answer is what this mistake would give, though on other")


def test_replaced_swaps_a_learner_function_and_puts_it_back():
    from nnlib.checks.base import replaced, seen

    def helper(x):
        return x + 1

    def task(x):
        return helper(x) * 2

    mine = helper  # (task sees helper through a closure cell that this test shares)
    with replaced(task, "helper", lambda x: 0) as original:
        assert task(5) == 0 and original is mine
    assert task(5) == 12 and seen(task, "helper") is mine


def test_forbidden_records_a_use_even_when_the_learner_catches_it():
    import types

    from nnlib.checks.base import forbidden
    box = types.SimpleNamespace(build=lambda: "built")

    def sneaky():
        try:
            return box.build()
        except Exception:
            return 3

    with forbidden((box, "build")) as used:
        assert sneaky() == 3
    assert used == ["build"] and box.build() == "built"


# ---- found by a mutation audit: behaviour no test pinned down ----------------

def test_loss_curve_shows_the_first_two_the_last_and_the_count():
    from nnlib.checks.base import loss_curve
    assert loss_curve([1.0, 0.5, 0.25, 0.125]) == "1.0000, 0.5000, ..., 0.1250 (4 numbers)"
    assert loss_curve([0.7, 0.6]) == "0.7000, 0.6000 (2 numbers)"


def test_as_training_run_wants_one_loss_per_epoch_not_a_column():
    from nnlib.checks.base import as_training_run
    from nnlib.layers import mlp
    model = mlp([2, 1])
    column = [[0.69], [0.5], [0.4]]  # losses.append(L) with L an array of one number
    assert as_training_run((model, column), "mlp([...])", "epoch") == (
        "losses must be a list of numbers, one loss (a float) per epoch.")
    got_model, losses = as_training_run((model, [0.69, 0.5, 0.4]), "mlp([...])", "epoch")
    assert got_model is model and losses.tolist() == [0.69, 0.5, 0.4]


# ---- found by a mutation audit of the machinery: how a learner's mistake is reported ----

def test_a_reports_later_lines_sit_under_its_first_after_the_symbol():
    lines = report("f(1) is wrong", "look again")._render_traceback_()
    assert lines == ["❌ NOT YET · f(1) is wrong", "     hint: look again"]


def test_passed_without_detail_writes_one_line_in_one_write(monkeypatch):
    from nnlib.checks.base import passed
    writes = []
    monkeypatch.setattr("sys.stdout", type("Out", (), {"write": lambda self, s: writes.append(s),
                                                       "flush": lambda self: None})())
    passed("relu")
    passed("relu", "2 cases")
    assert writes == ["✅ RIGHT · relu: right\n", "✅ RIGHT · relu: right — 2 cases\n"]


def test_reports_stand_alone_without_the_learners_traceback_chained():
    """pytest and a plain Python show a chained exception's traceback; the reports cut the chain."""
    from nnlib.checks.base import guarded

    def stub():
        raise NotImplementedError()

    def broken():
        return [][1]

    for raising in (lambda: call("f", stub, ()), lambda: call("f", broken, ()),
                    lambda: guarded(lambda fn: float(fn()))(lambda: 10**400)):
        with pytest.raises(CheckFailed) as info:
            raising()
        assert info.value.__cause__ is None and info.value.__suppress_context__ is True


def test_guarded_reports_a_check_that_ends_in_system_exit():
    import sys
    from nnlib.checks.base import guarded

    @guarded
    def exiting(fn):
        return fn()

    with pytest.raises(CheckFailed, match="^exiting: your answer could not be checked: it led to SystemExit: 2"):
        exiting(lambda: sys.exit(2))


def test_guarded_checks_inside_one_another_keep_what_the_outer_one_saw():
    from nnlib.checks.base import guarded

    def partly(z):
        if np.ndim(z) == 0:
            raise NotImplementedError()
        return reference(z)

    inner = guarded(lambda fn: call("other", fn, (np.array([1.0]),)))

    @guarded
    def outer(fn):
        call("relu", fn, (np.array([-1.0, 2.0]),))  # it answers this case
        inner(lambda z: z)
        call("relu", fn, (np.array(3.0),))  # and not this one: started, not finished

    with pytest.raises(CheckFailed) as info:
        outer(partly)
    assert not isinstance(info.value, NotImplementedYet)
    assert "finish it for this kind of input too" in str(info.value)


def test_a_stub_is_not_started_even_after_another_function_answered():
    from nnlib.checks.base import guarded

    def stub(z):
        raise NotImplementedError()

    @guarded
    def two(fn, gn):
        call("first", fn, (1.0,))
        call("second", gn, (1.0,))

    with pytest.raises(NotImplementedYet, match="^second: not implemented yet"):
        two(lambda z: z, stub)


def test_guarded_keeps_the_checks_own_numpy_warnings_quiet():
    from nnlib.checks.base import guarded

    @guarded
    def overflowing(fn):
        return bool(np.exp(np.array(fn())) > 1.0)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert overflowing(lambda: 1000.0) is True


def test_a_spys_report_passes_through_call_unchanged():
    def spy(z):
        raise report("relu: use your neuron", "call neuron(...)")

    with pytest.raises(CheckFailed) as info:
        call("relu", lambda z: spy(z), (1.0,))
    assert str(info.value) == "relu: use your neuron\n  hint: call neuron(...)"


def test_call_reports_a_learners_sys_exit():
    import sys
    with pytest.raises(CheckFailed, match=r"^f\(1\) raised SystemExit: 3$"):
        call("f", lambda z: sys.exit(3), (1,))


def test_a_crashs_message_is_cut_short():
    def shouting(z):
        raise ValueError("x" * 5000)

    with pytest.raises(CheckFailed) as info:
        call("f", shouting, (1,))
    text = str(info.value)
    assert text.startswith("f(1) raised ValueError: xxx") and text.endswith("x ...")
    assert len(text) < 400


def test_a_crash_whose_message_cannot_be_made_is_still_a_report():
    class Odd(Exception):
        def __str__(self):
            raise RuntimeError("no message")

    def odd(z):
        raise Odd()

    with pytest.raises(CheckFailed, match=r"^f\(1\) raised Odd: \(its message could not be shown\)$"):
        call("f", odd, (1,))
    def silent(z):
        raise ValueError()

    with pytest.raises(CheckFailed, match=r"^f\(1\) raised ValueError$"):  # no message, no colon
        call("f", silent, (1,))


def test_watch_sees_no_change_in_an_argument_with_a_nan_left_as_it_was():
    def reading(z, xs):
        return float(np.nansum(z)) + float(np.nansum(xs))

    got, warning, changed = call("f", reading, (np.array([np.nan, 1.0]), [np.nan, 2.0]), watch=True)
    assert got == 3.0 and changed == {}


def test_call_copies_the_arrays_inside_a_list_argument():
    def shrink(params):
        for p in params:
            p *= 0.5
        return 0.0

    params = [np.ones(2), np.ones(2)]
    _, _, changed = call("f", shrink, (params,), watch=True)
    assert [p.tolist() for p in params] == [[1.0, 1.0], [1.0, 1.0]]  # the caller's arrays
    assert list(changed) == [0]


def test_watch_counts_numpys_warnings_only_and_not_underflow():
    def noting(z):
        warnings.warn("a note of the learner's own")
        return np.exp(np.array(-1000.0)) + z  # underflows to 0.0: harmless

    got, warning, changed = call("f", noting, (1.0,), watch=True)
    assert got == 1.0 and warning is None


def test_check_cases_with_a_warning_hint_fails_a_right_answer_that_overflowed():
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    def stable(z):
        return np.exp(-np.logaddexp(0.0, -z))

    cases = [(np.array([-1000.0, 0.0]),)]
    with pytest.raises(CheckFailed) as info:
        check_cases("sigmoid", sigmoid, stable, cases, warning_hint="keep exp's argument small")
    assert "the value is right, but numpy warned: overflow" in str(info.value)
    assert str(info.value).endswith("hint: keep exp's argument small")


def test_check_cases_says_nothing_when_told_not_to(capsys):
    check_cases("relu", reference, reference, CASES, say=False)
    assert capsys.readouterr().out == ""


def test_the_overflow_hint_is_not_given_where_the_right_answer_is_infinite_too():
    cases = [(np.array([np.inf, 1.0]),)]
    with pytest.raises(CheckFailed) as info:
        check_cases("relu", lambda z: z * 2, reference, cases, hint="look at the positive part",
                    overflow_hint="it overflowed")
    assert str(info.value).endswith("hint: look at the positive part")


def test_replaced_leaves_no_name_behind_in_the_learners_globals():
    from nnlib.checks.base import replaced
    namespace = {}
    exec("def task(x):\n    return neuron(x)", namespace)
    task = namespace["task"]
    with replaced(task, "neuron", lambda x: 7) as original:
        assert task(1) == 7 and original is None
    assert "neuron" not in namespace


def test_watch_sees_a_change_in_a_list_of_arrays_of_different_shapes():
    def shrink_weights(params):
        params[0] *= 0.5
        return 0.0

    W, b = np.ones((2, 3)), np.ones(3)
    _, _, changed = call("f", shrink_weights, ([W, b],), watch=True)
    assert list(changed) == [0]


def test_a_guarded_check_keeps_its_name_and_docstring_for_help():
    from nnlib.checks.base import guarded

    def relu(fn):
        """Check relu(z) = max(z, 0)."""

    checked = guarded(relu)
    assert checked.__name__ == "relu" and checked.__doc__ == "Check relu(z) = max(z, 0)."


def test_wrong_parts_come_in_the_order_of_the_answer():
    expected = {"dW": 1.0, "db": 2.0, "dX": 3.0}
    assert [name for name, _ in wrong_parts({"dW": 0.0, "db": 0.0, "dX": 0.0}, expected, (), {})] == [
        "dW", "db", "dX"]


# ---- running / call_own: "write it yourself, do not import it from nnlib" --------

def _reference_relu(z):
    return np.maximum(z, 0.0)


def test_running_notes_a_function_under_any_name_and_puts_the_profiler_back():
    import sys

    from nnlib.checks.base import running

    other = _reference_relu  # another name for the same function
    events = []

    def profiler(frame, event, arg):
        events.append(event)

    sys.setprofile(profiler)
    try:
        with running(_reference_relu) as ran:
            np.maximum(np.zeros(2), 1.0)
            assert ran == []
            (lambda z: other(z))(np.zeros(2))
        assert ran == [_reference_relu]
        assert sys.getprofile() is profiler
    finally:
        sys.setprofile(None)


def test_call_own_refuses_the_reference_itself_a_wrapper_and_a_crash_after_it():
    from nnlib.checks.base import call_own

    advice = "write yours with np.maximum."
    args = (np.array([-1.0, 2.0]),)
    assert close_enough(call_own("relu", lambda z: np.maximum(z, 0.0), args,
                                 [_reference_relu], advice), [0.0, 2.0])
    with pytest.raises(CheckFailed) as info:
        call_own("relu", _reference_relu, args, [_reference_relu], advice)
    assert str(info.value) == ("relu: this is nnlib's own _reference_relu "
                               f"({__name__}._reference_relu), not yours\n  hint: {advice}")

    def crashes_after(z):
        _reference_relu(z)
        raise ValueError("later")

    for answer in (lambda z: _reference_relu(z), crashes_after):
        with pytest.raises(CheckFailed) as info:
            call_own("relu", answer, args, [_reference_relu], advice)
        assert str(info.value).startswith("relu: your function calls nnlib's own _reference_relu")
        assert str(info.value).endswith(f"hint: {advice}")

    def crashes(z):
        raise NameError("name 'my_relu' is not defined")

    with pytest.raises(CheckFailed) as info:  # a crash without the reference: the crash
        call_own("relu", crashes, args, [_reference_relu], advice)
    assert str(info.value) == "relu([-1.,  2.]) raised NameError: name 'my_relu' is not defined"


def close_enough(got, expected):
    return np.allclose(np.asarray(got, dtype=float), expected)


def test_check_cases_with_changed_hint_refuses_a_right_answer_that_changes_its_input():
    def clips_in_place(z):
        np.maximum(z, 0.0, out=z)
        return z

    check_cases("relu", clips_in_place, reference, CASES, say=False)  # no changed_hint: passes
    with pytest.raises(CheckFailed) as info:
        check_cases("relu", clips_in_place, reference, CASES, arg_names=("z",),
                    changed_hint="build a new array.")
    assert str(info.value) == ("relu([-2.,  0.,  3.])\n  the value is right, but your function "
                               "changed z in place, so the caller's z is different:\n"
                               "  z is now: [0., 0., 3.]\n  hint: build a new array.")
    check_cases("relu", reference, reference, CASES, changed_hint="build a new array.", say=False)
