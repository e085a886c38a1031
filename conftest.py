"""Running the suite on several cores: `pytest -n N` (pytest-xdist; `python3 course.py test` does it).

xdist hands the tests to its workers in groups ("scopes"), each group whole and in order
on one worker.  A group here is one file, except where tests share something costly:

* a notebook's cells (strict nbval of notebooks/ and solutions/) run in order in one
  kernel, so they stay together (a file), and a test module's fixtures are built once;
* each lesson's browser tests (tests/test_browser.py, tests/test_browser_slides.py and
  tests/test_browser_prerun.py, parametrized by the lesson, and lesson 09's
  tests/test_browser_names.py) are one group: the lesson is run in Chromium once for all
  of them (tests/lesson_runs.py).  Likewise the two tests that share a run of the widget gallery
  (tests/gallery_run.py) are one group, "gallery".  Every worker that runs browser tests starts its own Chromium
  and JupyterLab server (tests/conftest.py's session fixtures).

Which worker takes what: see pytest_xdist_make_scheduler below (the first worker the
browser groups, the others the rest).
This file is here, at the top of the course, so that it applies to every path pytest
is given (a conftest applies to the folder it sits in).
"""
import gc
import re

import pytest


LESSON_RUN_MODULES = ("tests/test_browser.py", "tests/test_browser_slides.py", "tests/test_browser_prerun.py")
# Tests that read one lesson's run without being parametrized by the lesson: their lesson's number.
LESSON_RUN_TESTS = {"tests/test_browser_names.py::test_typing_a_prefix_and_sampling_names_in_lesson_09": "09"}


def is_browser_test(nodeid):
    """The browser modules: tests/test_browser*.py and tests/test_lab_path.py."""
    module = nodeid.split("::")[0].rsplit("/", 1)[-1]
    return module.startswith("test_browser") or module == "test_lab_path.py"


# The two tests that share one run of the widget gallery (tests/gallery_run.py).
GALLERY_RUN_TESTS = ("tests/test_browser.py::test_every_widget_renders_and_responds",
                     "tests/test_browser_fit.py::test_every_widget_fits_a_1024_pixel_wide_window")


def group(nodeid):
    """The group a test is run in: "lesson NN" for a lesson's browser run, "gallery" for
    the gallery's, else its file."""
    path, _, name = nodeid.partition("::")
    lesson = re.search(r"\[(\d\d)-[^\]]*\]$", name)
    if path in LESSON_RUN_MODULES and lesson:
        return f"lesson {lesson.group(1)}"
    if nodeid in LESSON_RUN_TESTS:
        return f"lesson {LESSON_RUN_TESTS[nodeid]}"
    if nodeid in GALLERY_RUN_TESTS:
        return "gallery"
    return path


def pytest_collection_modifyitems(config, items):
    """Lesson runs first, then the other browser tests, then the rest (a stable sort)."""
    items.sort(key=lambda item: (not group(item.nodeid).startswith("lesson "),
                                 not is_browser_test(item.nodeid)))


def is_browser_group(name):
    return name.startswith("lesson ") or name == "gallery" or is_browser_test(name)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """xdist's scheduler by groups (its LoadScopeScheduling, with our groups and one rule).

    The rule: the first worker takes the browser groups, the others everything else,
    while there is any; then each helps with what is left.  So the browser tests (one
    Chromium, one JupyterLab server per worker) run on one worker while the others work
    through the rest.  Measured on 2 cores: a lesson's browser run alone keeps about 1.2
    cores busy (Chromium, the kernel and the server in turn); with this rule and two
    workers the whole suite kept the two cores about 85% busy, with three (course.py's
    choice on 2 cores) about 97%.
    Used for every load-balancing --dist mode (plain `-n 2` means "load"), since any
    mode that split a notebook's cells over two workers would break them.
    """
    if config.getvalue("dist") not in ("load", "loadscope", "loadfile", "loadgroup"):
        return None  # "each" and "worksteal" keep their own meaning
    from xdist.scheduler import LoadScopeScheduling

    class ByGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return group(nodeid)

        def _reschedule(self, node):
            # xdist's own, with one change: a worker gets its next group when one test of
            # its groups is left, not two.  (A worker holds its last test until it knows
            # what follows, so one is the least.)  With two, a worker that starts the
            # gallery's group of two tests takes the next group at once, and holds it
            # for the gallery's 30 s while the other worker may have run out of work.
            if node.shutting_down:
                return
            if not self.workqueue:
                node.shutdown()
                return
            if self._pending_of(self.assigned_work[node]) > 1:
                return
            self._assign_work_unit(node)

        def _assign_work_unit(self, node):
            # Put the group this worker should take at the front; xdist takes the front one.
            browser_worker = node.workerinput.get("workerid") == "gw0"
            mine = [name for name in self.workqueue if is_browser_group(name) == browser_worker]
            if mine:
                self.workqueue.move_to_end(mine[0], last=False)
            elif not browser_worker:
                # Helping with the browser groups: take them from the end, so the two
                # workers do not both wait for a lesson at the same moment.
                self.workqueue.move_to_end(next(reversed(self.workqueue)), last=False)
            super()._assign_work_unit(node)

    # Send the groups out in collection order (browser first), not biggest first.
    config.option.loadscopereorder = False
    return ByGroup(config, log)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """The last thing a pytest process does: put every object out of the collector's reach.

    At exit, Python runs its cyclic garbage collector over every object still alive,
    several times while it clears the modules.  A worker ends holding about a million
    objects (the imported libraries, ~4000 collected tests and their reports), so that
    took 3-5 s per worker after its last test, while the whole run waited for it
    (measured with gdb: the exiting worker was in gc_collect_main, called from
    finalize_modules).  gc.freeze() moves them all to a generation the collector
    skips; the memory goes back to the system when the process ends, as it would anyway.
    """
    gc.freeze()
