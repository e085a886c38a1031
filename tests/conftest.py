"""Fixtures shared by the real-browser tests (see tests/browser.py).

One Chromium and one JupyterLab server serve the whole session: starting a server,
loading JupyterLab's page and running a lesson are the slow parts, so the browser
modules share the server and one page (tests/browser.py's LabPage), and each lesson
is run once (tests/lesson_runs.py) for every check that needs it run.
Each lesson is first looked at as a learner's first day shows it (nothing run, nothing
trusted: the server's HOME is fresh) when its run opens it (tests/test_browser_prerun.py).
The test whose subject is the server `python3 course.py lab` starts keeps its own:
test_lab_path.py.
"""
import json
import os
import subprocess
import sys
import time

import pytest

from tests import browser


@pytest.fixture(scope="session")
def chromium():
    browser.require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = browser.launch_browser(p)
        yield b
        b.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


# The slideshow without its slide transition (RISE's default, "linear", animates each
# step for most of a second): the slide tests measure the layout once it is still, which
# the animation only delays, and ~420 steps are walked.
SLIDES_SETTINGS = {"transition": "none"}


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """JupyterLab over copies of notebooks/ and tests/gallery/, started once for the session.

    Started with subprocess.Popen on a free port, with a token and a temporary HOME
    (tests/browser.py's JupyterLab), and terminated by its handle at the end.
    """
    browser.require_browser()
    server = browser.JupyterLab(tmp_path_factory.mktemp("lab"), folders=("notebooks", "tests/gallery"),
                                settings={"jupyterlab-rise:plugin": SLIDES_SETTINGS})
    yield server
    server.stop()


@pytest.fixture(scope="session")
def lab_page(chromium, lab):
    """One JupyterLab page on the session's server, in which tests open notebooks in turn."""
    shared = browser.LabPage(chromium, lab)
    yield shared
    shared.close()


@pytest.fixture(scope="session")
def lesson_runs(lab_page):
    """Each lesson run once in the browser, on first request; see tests/lesson_runs.py."""
    from tests.lesson_runs import LessonRuns

    return LessonRuns(lab_page)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The static site, built once by the command `python3 course.py site` runs.

    (dest folder, the command's CompletedProcess).  tests/test_site.py reads its pages,
    tests/test_browser_classroom.py serves it; building it takes several seconds, so with
    several workers (pytest -n) the first one to ask builds it for all of them, in the
    folder the workers share, and the others wait for its record.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # each worker's basetemp sits in the run's own folder
    folder, record = shared / "site", shared / "site" / "result.json"
    try:
        folder.mkdir()  # atomic: exactly one worker gets here first
    except FileExistsError:
        deadline = time.time() + 600
        while not record.exists():
            assert time.time() < deadline, f"another worker did not finish building the site in {folder}"
            time.sleep(0.5)
    else:
        command = [sys.executable, str(browser.ROOT / "tools" / "build_site.py"), str(folder / "out")]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=300)
            outcome = [command, result.returncode, result.stdout, result.stderr]
        except subprocess.TimeoutExpired:  # a record all the same: the waiting workers fail at once
            outcome = [command, -1, "", "the site's build took more than 300 s"]
        partial = record.with_suffix(".partial")
        partial.write_text(json.dumps(outcome))
        partial.rename(record)  # complete, in one step, for the workers waiting for it
    args, returncode, stdout, stderr = json.loads(record.read_text())
    return folder / "out", subprocess.CompletedProcess(args, returncode, stdout, stderr)


@pytest.fixture(scope="session")
def gallery_run(lab_page):
    """The widget gallery run once in the browser, for two tests; see tests/gallery_run.py."""
    from tests.gallery_run import run_gallery

    return run_gallery(lab_page)
