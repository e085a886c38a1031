"""`python3 course.py lab --no-browser`, walked as the README types it.

Not a hand-made server: the real command line runs in a fresh copy of the course
(a git repository, like a learner's clone), and the test reads the link it prints.
Through that server's REST API it checks what the learner can reach: the whole
course folder, every exercise copy in workspace/, nnlib/engine.py, and the start
page the printed link opens.  A browser test then clicks a lesson's Practice link
and must land in the learner's own copy in workspace/.

The copy's .venv is made of links to the environment running these tests (nothing
is installed), and its install stamp is written by course.py's own
ensure_environment with the installer switched off, so `lab` finds it up to date.
"""
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests import browser
from tests.course_repo import course_files, course_repo

START_PAGE = "notebooks/00-start-here.ipynb"
URL = re.compile(r"(http://127\.0\.0\.1:\d+/\S*\?token=[0-9a-f]+)")


def linked_venv(dest):
    """dest/.venv: links to everything of the running environment, with stamps of its own."""
    prefix = Path(sys.prefix)
    if prefix == Path(sys.base_prefix):
        pytest.skip("the tests do not run in a virtual environment (course.py test makes one)")
    dest.mkdir()
    for entry in prefix.iterdir():
        if not entry.name.startswith(".course-installed"):
            (dest / entry.name).symlink_to(entry)


def mark_installed(course_dir):
    """Let the copy's course.py record the lab install as done, without running an installer."""
    spec = importlib.util.spec_from_file_location("course_copy", course_dir / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.run = lambda cmd, **kw: None
    module.ensure_environment({"lab"})
    installs = []
    module.run = lambda cmd, **kw: installs.append(cmd)
    module.ensure_environment({"lab"})
    assert installs == [], "course.py would reinstall on every start"


class CourseLab:
    """`python3 course.py lab --no-browser --port=N` in its own process group."""

    def __init__(self, course_dir, home):
        self.course_dir = course_dir
        self.port = browser.free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_")}
        env.update(HOME=str(home), PYTHONDONTWRITEBYTECODE="1")
        python = shutil.which("python3") or sys.executable
        self.command = [python, "course.py", "lab", "--no-browser", f"--port={self.port}"]
        self.process = subprocess.Popen(self.command, cwd=course_dir, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True)
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.url = self._wait_for_url()
        parts = urllib.parse.urlsplit(self.url)
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.token = urllib.parse.parse_qs(parts.query)["token"][0]
        self._wait_until_listening()

    def _wait_until_listening(self, timeout=60):
        """Wait until the server answers (it prints the link just before it listens).

        Jupyter Server 2 logs "running at <link>" and only then, in the first turn of its
        event loop, binds its port: on a busy machine a request sent at once was refused
        (seen once in a full run).  A person who pastes the link is slower than that.
        """
        deadline = time.time() + timeout
        while True:
            try:
                urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=10).close()
                return
            except urllib.error.URLError as error:
                if self.process.poll() is not None or time.time() > deadline:
                    raise AssertionError(f"{self.base} does not answer ({error}); course.py lab printed:\n"
                                         f"{self.output}") from error
                time.sleep(0.2)

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self):
        return "".join(self.lines)

    def _wait_for_url(self, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = URL.findall(self.output)
            if found:
                return found[-1]
            if self.process.poll() is not None:
                raise AssertionError(f"course.py lab exited ({self.process.returncode}):\n{self.output}")
            time.sleep(0.2)
        raise AssertionError(f"course.py lab printed no link within {timeout} s:\n{self.output}")

    def api(self, path, **query):
        query = urllib.parse.urlencode({**query, "token": self.token})
        quoted = urllib.parse.quote(path)
        try:
            with urllib.request.urlopen(f"{self.base}/api/contents/{quoted}?{query}", timeout=30) as r:
                return json.loads(r.read())
        except urllib.error.URLError as error:
            state = "running" if self.process.poll() is None else f"exited ({self.process.returncode})"
            raise AssertionError(f"{self.base} refused /api/contents/{path} ({error}); course.py lab is "
                                 f"{state}, its output:\n{self.output}") from error

    def stop(self):
        """Stop course.py and JupyterLab together, by their process group.

        JupyterLab shuts its kernels down on SIGTERM; wait until the whole group
        has gone (course.py exits first), and kill what is left after 30 s.
        """
        group = self.process.pid
        try:
            os.killpg(group, signal.SIGTERM)
        except ProcessLookupError:
            self.process.wait(timeout=10)
            self.process.stdout.close()
            return
        deadline = time.time() + 30
        while time.time() < deadline:
            self.process.poll()
            try:
                os.killpg(group, 0)  # anyone left in the group?
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            os.killpg(group, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.reader.join(timeout=10)  # it has read to the end of the output
        self.process.stdout.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if os.name == "nt":
        pytest.skip("process groups: POSIX only")
    tmp = tmp_path_factory.mktemp("lab-path")
    if shutil.which("git"):
        course_dir = course_repo(tmp / "course")  # like a learner's clone
    else:
        course_dir = tmp / "course"
        for rel in course_files():
            (course_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(browser.ROOT / rel, course_dir / rel)
    linked_venv(course_dir / ".venv")
    mark_installed(course_dir)
    home = tmp / "home"
    home.mkdir()
    server = CourseLab(course_dir, home)
    yield server
    server.stop()


def test_the_printed_link_opens_the_start_page(lab):
    path = urllib.parse.urlsplit(lab.url).path
    assert path == f"/lab/tree/{START_PAGE}", lab.output
    assert lab.api(START_PAGE)["type"] == "notebook"
    # The page behind the link is JupyterLab, told to open that file.
    with urllib.request.urlopen(lab.url, timeout=30) as response:
        page = response.read().decode()
    config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>\s*(\{.*?\})\s*</script>',
                                  page, re.S).group(1))
    assert config["treePath"] == START_PAGE


def test_the_server_root_is_the_whole_course(lab):
    root = {item["name"]: item["type"] for item in lab.api("")["content"]}
    for folder in ("notebooks", "workspace", "exercises", "nnlib"):
        assert root.get(folder) == "directory", f"{folder}/ is not reachable: {sorted(root)}"
    assert lab.api("nnlib/engine.py")["type"] == "file"  # "open nnlib/engine.py", say the lessons


def test_every_exercise_copy_opens(lab):
    exercises = sorted(p.name for p in (lab.course_dir / "exercises").glob("*.ipynb"))
    assert exercises, "the course has no exercises"
    assert "Your exercises are in workspace/" in lab.output
    for name in exercises:
        model = lab.api(f"workspace/{name}", content=1)
        assert model["type"] == "notebook" and model["path"] == f"workspace/{name}"
        original = json.loads((lab.course_dir / "exercises" / name).read_text())
        assert len(model["content"]["cells"]) == len(original["cells"]), name


def test_every_lesson_link_opens_on_the_server(lab):
    """Each relative link in the lessons resolves, on this server, to a file it serves."""
    from tests.test_links import relative_links

    checked = 0
    for lesson in sorted((lab.course_dir / "notebooks").glob("*.ipynb")):
        for target in relative_links(lesson):
            rel = os.path.normpath(f"notebooks/{target.split('#')[0]}")
            assert lab.api(rel)["type"] in ("notebook", "file"), f"{lesson.name}: {target}"
            checked += 1
    assert checked >= 6  # at least every lesson's Practice link


# ---- in a real browser ------------------------------------------------------------------

def current_tab_caption(page):
    """The caption of the active document tab: 'Name: ...\\nPath: ...'."""
    return page.locator(".jp-MainAreaWidget .lm-TabBar-tab.lm-mod-current, "
                        "#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current").first.get_attribute("title") or ""


def wait_for_document(page, path, timeout=120_000):
    page.wait_for_function(
        """path => Array.from(document.querySelectorAll('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current'))
                  .some(t => (t.getAttribute('title') || '').includes('Path: ' + path))""",
        arg=path, timeout=timeout)
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell", timeout=timeout)


def test_the_practice_link_lands_in_the_workspace_copy(lab, page):
    page.goto(lab.url)  # the link course.py lab printed
    wait_for_document(page, START_PAGE)
    browser.screenshot(page, "lab-path-start-page")

    # From the start page to lesson 01, then its Practice link, as a learner clicks.
    visible = ".jp-NotebookPanel:not(.lm-mod-hidden)"
    page.locator(f"{visible} a[href*='01-xor.ipynb']").first.click()
    wait_for_document(page, "notebooks/01-xor.ipynb")
    practice = page.locator(f"{visible} a[href*='workspace/01-xor.ipynb']").first
    practice.scroll_into_view_if_needed()
    browser.screenshot(page, "lab-path-lesson-practice-link")
    practice.click()
    wait_for_document(page, "workspace/01-xor.ipynb")
    page.wait_for_timeout(500)
    browser.screenshot(page, "lab-path-workspace-copy")
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    assert "YOUR CODE HERE" in panel.inner_text(), "the exercise is not shown"
    assert "Path: workspace/01-xor.ipynb" in current_tab_caption(page)
