"""Running the suite on several cores: course.py's workers and conftest.py's groups.

The whole suite running under `python3 course.py test` (two workers here) is the real
test of the grouping: a notebook split over two workers fails its nbval cells.  These
tests pin down the rules themselves.
"""
import pytest

import conftest
import course


@pytest.mark.parametrize("nodeid, group", [
    ("tests/test_browser.py::test_lesson_runs_in_the_browser_and_its_widgets_respond[06-putting-it-together.ipynb]",
     "lesson 06"),
    ("tests/test_browser_slides.py::test_every_slide_step_fits_a_1280x720_projector[06-putting-it-together]",
     "lesson 06"),
    ("tests/test_browser.py::test_every_widget_renders_and_responds", "gallery"),
    ("tests/test_browser_fit.py::test_every_widget_fits_a_1024_pixel_wide_window", "gallery"),
    ("tests/test_browser_names.py::test_typing_a_prefix_and_sampling_names_in_lesson_09", "lesson 09"),
    ("tests/test_browser_prerun.py::test_an_unrun_lesson_shows_widget_pictures_not_widget_text[06-putting-it-together]",
     "lesson 06"),
    ("tests/test_browser_prerun.py::test_every_lesson_has_a_widget_to_check", "tests/test_browser_prerun.py"),
    ("notebooks/04-gradient-descent.ipynb::Cell 12", "notebooks/04-gradient-descent.ipynb"),
    ("solutions/04-gradient-descent.ipynb::Cell 0", "solutions/04-gradient-descent.ipynb"),
    ("tests/test_engine.py::test_gradient_of_each_operation_matches_central_differences[add]", "tests/test_engine.py"),
])
def test_each_test_has_the_group_its_shared_state_needs(nodeid, group):
    assert conftest.group(nodeid) == group


def test_the_gallery_and_lesson_groups_name_tests_that_exist():
    # A renamed test would silently leave its group, and the gallery or the lesson would be run twice.
    import importlib

    for nodeid in (*conftest.GALLERY_RUN_TESTS, *conftest.LESSON_RUN_TESTS):
        path, name = nodeid.split("::")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert callable(getattr(module, name, None)), f"{nodeid} is not a test"


def test_browser_groups_are_told_apart_from_the_rest():
    assert conftest.is_browser_group("lesson 03")
    assert conftest.is_browser_group("gallery")
    assert conftest.is_browser_group("tests/test_lab_path.py")
    assert conftest.is_browser_group("tests/test_browser_fit.py")
    assert not conftest.is_browser_group("tests/test_site.py")
    assert not conftest.is_browser_group("notebooks/01-xor.ipynb")


def test_course_py_test_uses_one_worker_per_core_and_one_more_up_to_four(monkeypatch):
    for cores, workers in [(1, "2"), (2, "3"), (3, "4"), (16, "4"), (None, "2")]:
        monkeypatch.setattr(course.os, "cpu_count", lambda: cores)
        assert course.parallel([]) == ["-n", workers]


@pytest.mark.parametrize("extra", [["-n", "1"], ["-n3"], ["--numprocesses=2"], ["-p", "no:xdist"],
                                   ["--dist", "each"]])
def test_course_py_test_leaves_the_workers_to_the_user_who_chose(extra):
    assert course.parallel(extra) == []


def test_course_py_test_passes_other_arguments_through_in_parallel():
    assert course.parallel(["tests/test_engine.py", "-x"])[0] == "-n"
