"""Real-browser testing: JupyterLab started by the test, driven in Chromium by Playwright.

Used by the tests/test_browser*.py modules, through the session-wide
server and browser of tests/conftest.py.  Without chromium or Playwright the browser tests
are skipped with the reason; with NNF_REQUIRE_BROWSER=1 (set by .ci/run) a
missing browser is a failure instead, so CI can never pass by skipping them.

Recipe (see shared/README.md): Debian's /usr/bin/chromium, never `playwright
install`; JupyterLab on a free 127.0.0.1 port with a token, a temporary HOME
and copies of the notebooks; open notebooks in turn in one loaded JupyterLab
page (LabPage); wait for the status bar's "Idle" after running; after moving a
slider wait until the picture stops changing.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("NNF_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def browser_missing_reason():
    """Why the browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright)"
    return None


def require_browser():
    reason = browser_missing_reason()
    if reason is None:
        return
    if os.environ.get("NNF_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required here (NNF_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


def require_rise():
    """Skip (or, with NNF_REQUIRE_BROWSER=1, fail) when RISE, the slideshow, is missing."""
    try:
        import jupyterlab_rise  # noqa: F401
    except ImportError:
        reason = "jupyterlab_rise is not installed (it is in the test extra: pip install -e '.[test]')"
        if os.environ.get("NNF_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the slideshow test is required here (NNF_REQUIRE_BROWSER=1) but {reason}")
        pytest.skip(reason)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """A JupyterLab server over a temporary copy of the course's notebooks."""

    def __init__(self, tmp_path, folders=("notebooks",), extra_files=(), settings=None):
        """`settings` maps a plugin ("jupyterlab-rise:plugin") to the user settings to write for it."""
        self.root = tmp_path / "course"
        self.root.mkdir()
        for folder in folders:
            shutil.copytree(ROOT / folder, self.root / Path(folder).name,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        for src, dest in extra_files:
            (self.root / dest).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, self.root / dest)
        self.home = tmp_path / "home"
        self.home.mkdir()
        for plugin, values in (settings or {}).items():
            package, name = plugin.split(":")
            path = self.home / ".jupyter" / "lab" / "user-settings" / package / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        self.port = free_port()
        self.token = "nnf-test-" + os.urandom(6).hex()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, HOME=str(self.home), JUPYTER_CONFIG_DIR=str(self.home / ".jupyter"),
                   JUPYTER_RUNTIME_DIR=str(self.home / "runtime"))
        cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
               f"--port={self.port}", f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={self.root}", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               # window.jupyterapp: LabPage opens notebooks in a page already loaded.
               "--LabApp.expose_app_in_browser=True"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # CI runs as root
        self.log = open(tmp_path / "jupyter.log", "w")
        self.process = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_until_up()

    def _wait_until_up(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early, see {self.log.name}")
            try:
                urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("JupyterLab did not start within 60 s")

    def shutdown_kernel(self, relpath):
        """Shut down the kernel of the notebook at `relpath` (its session), if it has one."""
        headers = {"Authorization": f"token {self.token}"}
        request = urllib.request.Request(f"{self.url}/api/sessions", headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            sessions = json.load(response)
        for session in sessions:
            if session.get("path") == relpath:
                urllib.request.urlopen(urllib.request.Request(
                    f"{self.url}/api/sessions/{session['id']}", method="DELETE", headers=headers),
                    timeout=30).close()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class LabPage:
    """One JupyterLab page, loaded once, in which notebooks are opened and closed in turn.

    Loading JupyterLab's page is the costly part of opening a notebook by its URL: about
    3 s and 5 s of CPU on a 2-core machine, against about 1 s for opening the notebook in
    a page already loaded (the command a double-click in the file browser runs).  So the
    browser tests that only need a notebook open share a page; the page of a learner's
    first visit, by the printed link, is tested in tests/test_lab_path.py.
    """

    def __init__(self, chromium, lab, viewport=None):
        self.lab = lab
        self.context = chromium.new_context(viewport=viewport or {"width": 1400, "height": 1000})
        self.page = None
        self.opened = set()  # the paths opened in it: tests/lesson_runs.py's first-day look needs to know
        self._load()

    def _load(self):
        if self.page is not None:
            self.page.close()
        self.page = self.context.new_page()
        self.page.goto(f"{self.lab.url}/lab?token={self.lab.token}&reset")
        self.page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=120_000)
        self.page.wait_for_selector(".jp-Launcher", timeout=120_000)
        self.close_all()

    def open(self, relpath, wait_for_kernel=True):
        """Open the notebook at `relpath` (closing whatever was open); return the page."""
        try:
            self.close_all()
        except Exception:  # a test before left the page broken: load a new one
            self._load()
        self.opened.add(relpath)
        self.page.evaluate("path => window.jupyterapp.commands.execute('docmanager:open', {path}).then(() => null)",
                           relpath)
        self.page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
        if wait_for_kernel:
            wait_idle(self.page)
        return self.page

    def close_all(self):
        """Close every tab without asking (the copies are the test's), and any dialog left open."""
        self.page.evaluate("""() => {
            document.querySelectorAll('.jp-Dialog .jp-mod-reject').forEach(b => b.click());
            for (const w of Array.from(window.jupyterapp.shell.widgets('main'))) {
                if (w.context) w.context.model.dirty = false;
                w.dispose();
            }
        }""")
        self.page.wait_for_selector(".jp-NotebookPanel", state="detached", timeout=30_000)

    def finish(self, relpath):
        """Close the notebook and shut its kernel down."""
        try:
            self.close_all()
        finally:
            self.lab.shutdown_kernel(relpath)

    def close(self):
        self.context.close()


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


# ---- driving a notebook page ------------------------------------------------

def wait_idle(page, timeout=120_000):
    """Wait until the kernel status in the status bar says Idle."""
    page.wait_for_function(
        """() => {
            const s = document.querySelector('.jp-StatusBar-Widget, #jp-main-statusbar');
            const bar = document.querySelector('#jp-main-statusbar');
            return bar && /Idle/.test(bar.textContent);
        }""",
        timeout=timeout,
    )


CODE_PROMPTS = "Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt'))"


def run_all(page):
    """Edit → Clear Outputs of All Cells, Run → Run All Cells; wait until every code cell has run.

    A stored notebook already shows execution numbers ([1], [2], ...) and outputs,
    the same ones a fresh run gives, so "no cell shows [*]" cannot tell a finished
    run from one whose cells are not yet marked or never started.  Clearing first
    leaves no number and no widget on the page: every number and picture seen
    afterwards comes from this run (the course's notebooks have no empty code cells).
    """
    page.click("text=Edit >> nth=0")
    page.click("li.lm-Menu-item:has-text('Clear Outputs of All Cells')")
    page.wait_for_function(
        f"""() => {CODE_PROMPTS}.every(p => !/\\d/.test(p.textContent))
                  && !document.querySelector('.jp-OutputArea-output')""",
        timeout=30_000,
    )
    page.click("text=Run >> nth=0")
    page.click("li.lm-Menu-item:has-text('Run All Cells')")
    page.wait_for_function(
        rf"""() => {{
            const prompts = {CODE_PROMPTS};
            return prompts.length > 0 && prompts.every(p => /\[\d+\]/.test(p.textContent));
        }}""",
        timeout=180_000,
    )
    wait_idle(page)


def error_outputs(page):
    """Texts of error outputs shown in the notebook (tracebacks)."""
    return page.eval_on_selector_all(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
        "els => els.map(e => e.textContent)",
    )


def widget_images(page):
    """The <img> elements drawn by widgets, in page order."""
    return page.locator(".jupyter-widgets img, .widget-image")


def image_src(locator):
    return locator.get_attribute("src") or ""


def wait_until_changed(page, locator, before, timeout_s=90.0, settle_s=0.75):
    """Wait until the image differs from `before` and then stops changing.

    The timeout is generous on purpose: a responsive widget returns at once, and
    only a dead one waits the whole time.  With 20 s, lesson 07's Playground was
    reported dead once in ten runs on a 2-core machine at load average ~15,
    although its screenshot, taken just after, showed the new picture.
    """
    deadline = time.time() + timeout_s
    current = image_src(locator)
    while current == before and time.time() < deadline:
        page.wait_for_timeout(100)
        current = image_src(locator)
    # Intermediate frames may still arrive: wait until it holds still.
    stable_since = time.time()
    while time.time() - stable_since < settle_s and time.time() < deadline:
        page.wait_for_timeout(150)
        latest = image_src(locator)
        if latest != current:
            current, stable_since = latest, time.time()
    return current


def press_slider(page, slider_locator, key="ArrowRight", times=5):
    """Move an ipywidgets slider with the keyboard, as a user can."""
    handle = slider_locator.locator(".noUi-handle, [role=slider]").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(times):
        handle.press(key)


def screenshot(page, name, locator=None):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if locator is not None:
        locator.scroll_into_view_if_needed()
        locator.screenshot(path=str(path))
    else:
        page.screenshot(path=str(path), full_page=False)
    return path


# ---- widgets, generically ---------------------------------------------------

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def widget_outputs(page):
    """Every output area that holds a course widget (one with a picture)."""
    return page.locator(".jp-OutputArea-output:has(.widget-image)")


def stored_picture_widgets(notebook):
    """How many course widgets (widgets with a picture) the notebook's stored outputs show.

    Read from the notebook file: each widget output names its model, and the
    widget state stored in the metadata (where tools/build_site.py reads it) says
    which models hold an Image.  None when the notebook stores no widget state.
    """
    import nbformat

    from tools.build_site import widget_models

    nb = nbformat.read(notebook, as_version=4)
    state = widget_models(nb)
    if not state:
        return None

    def has_picture(model_id, seen):
        if model_id in seen or model_id not in state:
            return False
        seen.add(model_id)
        model = state[model_id]
        if model["model_name"] == "ImageModel":
            return True
        refs = re.findall(r"IPY_MODEL_([0-9a-f]+)", json.dumps(model["state"]))
        return any(has_picture(ref, seen) for ref in refs)

    views = [out["data"][WIDGET_VIEW]["model_id"]
             for cell in nb["cells"] if cell["cell_type"] == "code"
             for out in cell.get("outputs", []) if WIDGET_VIEW in out.get("data", {})]
    return sum(has_picture(model_id, set()) for model_id in views)


def wait_for_widgets(page, count, timeout=60_000):
    """Wait until `count` course widgets have drawn their first picture; return how many did.

    The kernel says Idle before the browser has drawn the widgets: each widget
    view is built asynchronously after its output arrives (its children a step
    later still), and on a loaded machine that takes seconds.  So wait for the
    pictures themselves (an <img> with a source) instead of looking at once.
    """
    script = """() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))
        .filter(o => Array.from(o.querySelectorAll('.widget-image')).some(img => img.getAttribute('src')))
        .length"""
    try:
        page.wait_for_function(f"() => ({script})() >= {int(count)}", timeout=timeout)
    except Exception as error:  # playwright's TimeoutError: report the count instead
        if "Timeout" not in type(error).__name__:
            raise
    return page.evaluate(script)


BUTTON_PREFERENCE = ("Next", "Step")


def poke(page, output):
    """Change one control of the widget in `output`, as a user would.

    A slider moves five notches to the right; a widget without sliders gets its
    "Next" or "Step" button (or its first enabled button) pressed.
    Returns a short description of what was done.
    """
    handles = output.locator(".widget-slider .noUi-handle:visible")
    if handles.count():
        handle = handles.first
        handle.scroll_into_view_if_needed()
        handle.focus()
        for _ in range(5):
            handle.press("ArrowRight")
        return "slider"
    for text in BUTTON_PREFERENCE:
        button = output.locator(f"button:has-text('{text}'):enabled")
        if button.count():
            button.first.click()
            return f"button {text}"
    output.locator("button:enabled").first.click()
    return "first button"


def check_widgets_respond(page, name):
    """Poke every widget of the open notebook; return [(index, action, changed)]."""
    results = []
    outputs = widget_outputs(page)
    for i in range(outputs.count()):
        output = outputs.nth(i)
        image = output.locator(".widget-image").first
        image.scroll_into_view_if_needed()
        before = image_src(image)
        action = poke(page, output)
        after = wait_until_changed(page, image, before)
        screenshot(page, f"{name}-widget{i}", output)
        results.append((i, action, after != before and after != ""))
    return results
