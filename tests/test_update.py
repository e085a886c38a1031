"""`python3 course.py update`, walked as a learner types it, in throwaway git repositories.

An "upstream" bare repository plays the course's GitHub; the learner clones it, runs
and autosaves a lesson, edits nnlib, works in workspace/; the course then changes.
Whatever happens, no edit of the learner's may be lost and no conflict left behind.
"""
import json
import subprocess
import sys

import pytest

from tests.course_repo import clone, course_repo, git, require_git

LESSON = "notebooks/01-xor.ipynb"
EXERCISE = "02-activation-functions"


@pytest.fixture
def course(tmp_path):
    """(upstream bare repo, the teacher's clone that pushes to it, the learner's clone)."""
    require_git()
    seed = course_repo(tmp_path / "seed")
    upstream = tmp_path / "upstream.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(upstream))
    teacher = clone(upstream, tmp_path / "teacher")
    learner = clone(upstream, tmp_path / "learner")
    # The learner's first `course.py lab` copies the exercises into workspace/.
    subprocess.run([sys.executable, "-c", "import course; course.sync_workspace()"], cwd=learner,
                   check=True)
    return upstream, teacher, learner


def update(learner):
    return subprocess.run([sys.executable, "course.py", "update"], cwd=learner,
                          capture_output=True, text=True, timeout=120)


def edit_notebook(path, change):
    nb = json.loads(path.read_text(encoding="utf-8"))
    change(nb)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def run_and_autosave(nb):
    """What running a lesson in JupyterLab and letting it autosave does to the file."""
    count = 0
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            count += 1
            cell["execution_count"] = count + 40
            cell["outputs"] = [{"output_type": "stream", "name": "stdout",
                                "text": [f"my run, cell {count}\n"]}]
    nb["metadata"]["widgets"] = {"state": "saved by my browser"}


def new_title(nb, title):
    nb["cells"][0]["source"] = [f"# {title}\n"] + nb["cells"][0]["source"][1:]


def teacher_publishes(teacher):
    """The course changes: lesson 01, exercise 02, and a new lesson 07 with its exercise."""
    edit_notebook(teacher / LESSON, lambda nb: new_title(nb, "XOR, second edition"))
    edit_notebook(teacher / f"exercises/{EXERCISE}.ipynb",
                  lambda nb: new_title(nb, "Exercise 02, second edition"))
    for folder in ("notebooks", "exercises"):
        (teacher / folder / "07-words.ipynb").write_text(
            (teacher / folder / "06-putting-it-together.ipynb").read_text())
    git(teacher, "add", "-A")
    git(teacher, "commit", "-q", "-m", "Lesson 07: words")
    git(teacher, "push", "-q")
    return git(teacher, "rev-parse", "HEAD")


def conflict_markers(folder):
    out = subprocess.run(["git", "grep", "-l", "-e", "^<<<<<<< ", "-e", "^>>>>>>> "], cwd=folder,
                         capture_output=True, text=True)
    return out.stdout.split()


def download_of(learner, folder):
    """The course as a download, not a git clone: its course.py and pyproject.toml in `folder`."""
    folder.mkdir()
    for name in ("course.py", "pyproject.toml"):
        (folder / name).write_bytes((learner / name).read_bytes())
    return folder


def backup_folders(learner):
    backups = learner / "workspace" / "backups"
    return sorted(p for p in backups.iterdir() if p.is_dir()) if backups.exists() else []


def test_update_keeps_every_edit_and_lands_on_the_new_version(course):
    upstream, teacher, learner = course
    old = git(learner, "rev-parse", "HEAD")
    # The learner's work: a lesson run and autosaved, an edit to nnlib, an exercise in progress,
    # and a notebook of their own that happens to have the name of a lesson the course adds.
    edit_notebook(learner / LESSON, run_and_autosave)
    engine = learner / "nnlib" / "engine.py"
    engine.write_text(engine.read_text() + "\n# my note: backward() walks the graph in reverse\n")
    my_exercise = learner / "workspace" / f"{EXERCISE}.ipynb"
    edit_notebook(my_exercise, lambda nb: nb["cells"].append(
        {"cell_type": "markdown", "metadata": {}, "source": ["my answer"]}))
    (learner / "notebooks" / "07-words.ipynb").write_text('{"my": "own notes"}')
    mine = {LESSON: (learner / LESSON).read_bytes(), "nnlib/engine.py": engine.read_bytes(),
            "notebooks/07-words.ipynb": (learner / "notebooks/07-words.ipynb").read_bytes()}
    my_work = my_exercise.read_bytes()
    new = teacher_publishes(teacher)

    # What the learner hit before: git refuses to pull over the autosaved lesson.
    refused = subprocess.run(["git", "pull", "--ff-only"], cwd=learner, capture_output=True, text=True)
    assert refused.returncode != 0 and git(learner, "rev-parse", "HEAD") == old

    result = update(learner)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    # At the course's new version, with a clean tree and no conflict anywhere.
    assert git(learner, "rev-parse", "HEAD") == new
    assert git(learner, "status", "--porcelain", "--untracked-files=no") == ""
    assert conflict_markers(learner) == []
    assert (learner / LESSON).read_bytes() == (teacher / LESSON).read_bytes()
    assert (learner / "notebooks/07-words.ipynb").read_bytes() == \
        (teacher / "notebooks/07-words.ipynb").read_bytes()
    # Every edit is in exactly one backup folder, byte for byte, under its own path.
    [backup] = backup_folders(learner)
    for rel, content in mine.items():
        assert (backup / rel).read_bytes() == content, rel
        assert rel in out
    assert str(backup.relative_to(learner)) in out
    # workspace/: the learner's exercise untouched, the new exercise copied, the change reported.
    assert my_exercise.read_bytes() == my_work
    assert (learner / "workspace/07-words.ipynb").read_bytes() == \
        (learner / "exercises/07-words.ipynb").read_bytes()
    assert "07-words.ipynb" in out
    assert f"python3 course.py reset {EXERCISE}" in out
    assert "python3 course.py reset 01-xor" not in out  # exercise 01 did not change
    assert "Lesson 07: words" in out and old[:7] in out and new[:7] in out

    # Running it again: nothing new, nothing touched, no second backup.
    again = update(learner)
    assert again.returncode == 0 and "already up to date" in again.stdout
    assert len(backup_folders(learner)) == 1


def test_a_reset_after_the_update_gives_the_new_exercise(course):
    upstream, teacher, learner = course
    teacher_publishes(teacher)
    assert update(learner).returncode == 0
    subprocess.run([sys.executable, "course.py", "reset", EXERCISE], cwd=learner, check=True,
                   capture_output=True)
    assert (learner / f"workspace/{EXERCISE}.ipynb").read_bytes() == \
        (teacher / f"exercises/{EXERCISE}.ipynb").read_bytes()
    assert f"reset {EXERCISE}" not in update(learner).stdout  # the copy is now the new version


def test_unreachable_course_says_so_and_changes_nothing(course):
    upstream, teacher, learner = course
    git(learner, "remote", "set-url", "origin", str(learner.parent / "no-such-course.git"))
    edit_notebook(learner / LESSON, run_and_autosave)
    edited = (learner / LESSON).read_bytes()
    head = git(learner, "rev-parse", "HEAD")
    result = update(learner)
    assert result.returncode == 1
    assert "could not fetch" in result.stderr and "Nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert (learner / LESSON).read_bytes() == edited
    assert git(learner, "rev-parse", "HEAD") == head and backup_folders(learner) == []


def test_own_commits_stop_the_update_and_stay(course):
    upstream, teacher, learner = course
    engine = learner / "nnlib" / "engine.py"
    engine.write_text(engine.read_text() + "\n# my committed note\n")
    git(learner, "commit", "-q", "-am", "My note on the engine")
    mine = git(learner, "rev-parse", "HEAD")
    teacher_publishes(teacher)
    result = update(learner)
    assert result.returncode == 1
    assert "commit(s) of your own" in result.stderr and "My note on the engine" in result.stderr
    assert "changed nothing" in result.stderr
    assert git(learner, "rev-parse", "HEAD") == mine
    assert "# my committed note" in engine.read_text()
    assert git(learner, "status", "--porcelain", "--untracked-files=no") == ""


def test_a_conflict_left_by_git_stash_pop_is_cleared_and_kept(course):
    """The issue's path: stash, pull, stash pop leaves markers; update repairs it, keeping both."""
    upstream, teacher, learner = course
    edit_notebook(learner / LESSON, lambda nb: new_title(nb, "XOR, my notes"))
    teacher_publishes(teacher)
    git(learner, "stash", "-q")
    git(learner, "pull", "-q", "--ff-only")
    popped = subprocess.run(["git", "stash", "pop"], cwd=learner, capture_output=True, text=True)
    assert popped.returncode != 0 and conflict_markers(learner) == [LESSON]
    with_markers = (learner / LESSON).read_bytes()

    result = update(learner)
    assert result.returncode == 0, result.stderr
    assert conflict_markers(learner) == []
    json.loads((learner / LESSON).read_text())  # readable again
    assert (learner / LESSON).read_bytes() == (teacher / LESSON).read_bytes()
    [backup] = backup_folders(learner)
    assert (backup / LESSON).read_bytes() == with_markers
    assert git(learner, "status", "--porcelain", "--untracked-files=no") == ""


def test_no_upstream_and_not_a_clone_are_explained(course, tmp_path):
    upstream, teacher, learner = course
    git(learner, "branch", "-q", "--unset-upstream")
    result = update(learner)
    assert result.returncode == 1 and "no upstream" in result.stderr
    assert "Nothing was changed" in result.stderr

    plain = download_of(learner, tmp_path / "download")
    result = update(plain)
    assert result.returncode == 1 and "not a git clone" in result.stderr
    assert "copy your workspace/ folder" in result.stderr


def test_a_file_of_mine_where_the_course_brings_a_folder_is_kept(course):
    upstream, teacher, learner = course
    (learner / "datasets").write_text("my notes about datasets")
    (teacher / "datasets").mkdir()
    (teacher / "datasets" / "README.md").write_text("Datasets of the course\n")
    git(teacher, "add", "-A")
    git(teacher, "commit", "-q", "-m", "Datasets folder")
    git(teacher, "push", "-q")
    result = update(learner)
    assert result.returncode == 0, result.stderr
    [backup] = backup_folders(learner)
    assert (backup / "datasets").read_text() == "my notes about datasets"
    assert (learner / "datasets" / "README.md").read_text() == "Datasets of the course\n"


def test_when_git_cannot_move_forward_nothing_is_lost_or_left_in_conflict(course):
    """A folder of the learner's own where the course now has a file: git refuses to move."""
    upstream, teacher, learner = course
    old = git(learner, "rev-parse", "HEAD")
    edit_notebook(learner / LESSON, run_and_autosave)
    edited = (learner / LESSON).read_bytes()
    (learner / "notebooks" / "07-words.ipynb").mkdir()
    (learner / "notebooks" / "07-words.ipynb" / "mine.txt").write_text("mine")
    teacher_publishes(teacher)
    result = update(learner)
    assert result.returncode == 1
    assert "could not move to the new version" in result.stderr and "no conflict" in result.stderr
    assert "Traceback" not in result.stderr
    assert git(learner, "rev-parse", "HEAD") == old
    assert git(learner, "status", "--porcelain", "--untracked-files=no") == ""
    assert conflict_markers(learner) == []
    [backup] = backup_folders(learner)
    assert (backup / LESSON).read_bytes() == edited
    assert str(backup.relative_to(learner)) in result.stderr
    assert (learner / "notebooks" / "07-words.ipynb" / "mine.txt").read_text() == "mine"


def teacher_commits(teacher, rel, text, message):
    (teacher / rel).parent.mkdir(parents=True, exist_ok=True)
    (teacher / rel).write_text(text)
    git(teacher, "add", "-A")
    git(teacher, "commit", "-q", "-m", message)
    git(teacher, "push", "-q")


def test_an_exercise_changed_by_an_earlier_plain_pull_is_still_reported(course):
    """The report compares with the version the copy was made from, not with the last update."""
    upstream, teacher, learner = course
    edit_notebook(teacher / f"exercises/{EXERCISE}.ipynb", lambda nb: new_title(nb, "Fixed"))
    git(teacher, "commit", "-q", "-am", "Fix exercise 02")
    git(teacher, "push", "-q")
    git(learner, "pull", "-q", "--ff-only")  # by hand, before course.py update existed
    teacher_commits(teacher, "docs/extra.md", "More\n", "More docs")
    out = update(learner).stdout
    assert f"python3 course.py reset {EXERCISE}" in out
    assert "reset 01-xor" not in out and "reset 03-nonlinearity" not in out


def test_copies_made_before_origins_were_recorded_fall_back_to_what_the_update_changed(course):
    upstream, teacher, learner = course
    (learner / "workspace" / ".origins.json").unlink()
    edit_notebook(teacher / f"exercises/{EXERCISE}.ipynb", lambda nb: new_title(nb, "Fixed"))
    git(teacher, "commit", "-q", "-am", "Fix exercise 02")
    git(teacher, "push", "-q")
    out = update(learner).stdout
    assert f"python3 course.py reset {EXERCISE}" in out
    assert "reset 01-xor" not in out


def test_with_nothing_new_my_edited_lesson_is_left_alone(course):
    """Up to date: only files git left in conflict are touched, never a lesson being worked on."""
    upstream, teacher, learner = course
    edit_notebook(learner / LESSON, run_and_autosave)
    edited = (learner / LESSON).read_bytes()
    result = update(learner)
    assert result.returncode == 0 and "already up to date" in result.stdout
    assert (learner / LESSON).read_bytes() == edited
    assert backup_folders(learner) == []


def test_a_course_file_i_deleted_comes_back(course):
    upstream, teacher, learner = course
    (learner / "notebooks" / "03-nonlinearity.ipynb").unlink()
    teacher_publishes(teacher)
    result = update(learner)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (learner / "notebooks/03-nonlinearity.ipynb").read_bytes() == \
        (teacher / "notebooks/03-nonlinearity.ipynb").read_bytes()


def test_a_file_i_added_to_git_where_the_course_brings_one_is_kept(course):
    """`git add` of a notebook of my own, at the name of a lesson the course then adds."""
    upstream, teacher, learner = course
    mine = learner / "notebooks" / "07-words.ipynb"
    mine.write_text('{"my": "own notes"}')
    other = learner / "notebooks" / "my-sketches.ipynb"  # a name the course does not bring
    other.write_text('{"my": "sketches"}')
    git(learner, "add", "notebooks/07-words.ipynb", "notebooks/my-sketches.ipynb")
    new = teacher_publishes(teacher)
    result = update(learner)
    assert result.returncode == 0, result.stderr
    assert git(learner, "rev-parse", "HEAD") == new
    assert git(learner, "status", "--porcelain", "--untracked-files=no") == ""
    [backup] = backup_folders(learner)
    assert (backup / "notebooks/07-words.ipynb").read_text() == '{"my": "own notes"}'
    assert mine.read_bytes() == (teacher / "notebooks/07-words.ipynb").read_bytes()
    assert other.read_text() == '{"my": "sketches"}'  # still where the learner keeps it


def test_a_backup_never_goes_into_an_earlier_backups_folder(course):
    """Backup folders are named by the second; an update in a second that already has one
    (two updates in a row, a clock set back) makes a folder of its own."""
    import datetime
    upstream, teacher, learner = course
    earlier = {}
    now = datetime.datetime.now()
    for s in range(-2, 120):  # every name this update could choose in the next two minutes
        stamp = (now + datetime.timedelta(seconds=s)).strftime("%Y%m%d-%H%M%S")
        folder = learner / "workspace" / "backups" / stamp
        (folder / "notebooks").mkdir(parents=True, exist_ok=True)
        (folder / LESSON).write_text(f"an earlier backup, {s}")
        earlier[folder] = f"an earlier backup, {s}"
    edit_notebook(learner / LESSON, run_and_autosave)
    edited = (learner / LESSON).read_bytes()
    teacher_publishes(teacher)
    result = update(learner)
    assert result.returncode == 0, result.stderr
    for folder, text in earlier.items():
        assert (folder / LESSON).read_text() == text
    [new] = [p for p in backup_folders(learner) if p not in earlier]
    assert (new / LESSON).read_bytes() == edited
    assert str(new.relative_to(learner)) in result.stdout


def test_in_the_middle_of_a_merge_update_explains_and_changes_nothing(course):
    upstream, teacher, learner = course
    git(learner, "checkout", "-q", "-b", "notes")
    engine = learner / "nnlib" / "engine.py"
    engine.write_text(engine.read_text() + "\n# my note\n")
    git(learner, "commit", "-q", "-am", "My note")
    git(learner, "checkout", "-q", "main")
    git(learner, "merge", "-q", "--no-ff", "--no-commit", "notes")  # the learner stopped here
    head = git(learner, "rev-parse", "HEAD")
    teacher_publishes(teacher)
    result = update(learner)
    assert result.returncode == 1
    assert "in the middle of a merge" in result.stderr and "Nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert git(learner, "rev-parse", "HEAD") == head and "# my note" in engine.read_text()
    assert git(learner, "rev-parse", "-q", "--verify", "MERGE_HEAD", check=False) != ""
    assert backup_folders(learner) == []


def test_a_detached_head_is_explained(course):
    upstream, teacher, learner = course
    git(learner, "checkout", "-q", "--detach")
    head = git(learner, "rev-parse", "HEAD")
    teacher_publishes(teacher)
    result = update(learner)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "detached HEAD" in result.stderr and "Nothing was changed" in result.stderr
    assert git(learner, "rev-parse", "HEAD") == head


def test_a_download_inside_a_git_repository_of_my_own_is_not_updated_as_a_course(course, tmp_path):
    """The course downloaded (no .git of its own) into a folder the learner keeps in git:
    update must not fetch, reset or move the learner's own repository."""
    upstream, teacher, learner = course
    # The learner's own repository, with a remote of its own and a change not yet pulled.
    theirs = tmp_path / "my-notes-upstream.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(theirs))
    mine = clone(theirs, tmp_path / "my-notes")
    (mine / "diary.md").write_text("day 1\n")
    git(mine, "add", "-A")
    git(mine, "commit", "-q", "-m", "Day 1")
    git(mine, "push", "-q", "-u", "origin", "main")
    other = clone(theirs, tmp_path / "my-notes-elsewhere")
    (other / "diary.md").write_text("day 1\nday 2\n")
    git(other, "commit", "-q", "-am", "Day 2")
    git(other, "push", "-q")
    (mine / "diary.md").write_text("day 1\nday 2, not committed yet\n")
    head = git(mine, "rev-parse", "HEAD")
    download = download_of(learner, mine / "course")
    result = update(download)
    assert result.returncode == 1 and "not a git clone" in result.stderr
    assert "Traceback" not in result.stderr
    assert git(mine, "rev-parse", "HEAD") == head
    assert (mine / "diary.md").read_text() == "day 1\nday 2, not committed yet\n"
    assert not (download / "workspace" / "backups").exists()


def test_a_reset_keeps_what_the_other_copies_started_from(course):
    """Resetting one exercise must not forget the origin of the others: a change to another
    exercise that arrived by a plain `git pull` is still reported."""
    upstream, teacher, learner = course
    subprocess.run([sys.executable, "course.py", "reset", "01-xor"], cwd=learner, check=True,
                   capture_output=True)
    edit_notebook(teacher / f"exercises/{EXERCISE}.ipynb", lambda nb: new_title(nb, "Fixed"))
    git(teacher, "commit", "-q", "-am", "Fix exercise 02")
    git(teacher, "push", "-q")
    git(learner, "pull", "-q", "--ff-only")
    teacher_commits(teacher, "docs/extra.md", "More\n", "More docs")
    result = update(learner)
    assert result.returncode == 0, result.stderr
    assert f"python3 course.py reset {EXERCISE}" in result.stdout
    assert "reset 01-xor" not in result.stdout


def test_an_unreadable_origins_record_is_no_traceback(course):
    """workspace/.origins.json cut short (a full disk, an edit by hand): update goes on and
    falls back to what the update itself changed."""
    upstream, teacher, learner = course
    origins = learner / "workspace" / ".origins.json"
    origins.write_text(origins.read_text()[:20])
    teacher_publishes(teacher)
    result = update(learner)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (learner / "workspace/07-words.ipynb").exists()
    assert f"python3 course.py reset {EXERCISE}" in result.stdout
    assert "reset 01-xor" not in result.stdout


def test_changed_packages_are_announced(course):
    upstream, teacher, learner = course
    constraints = teacher / "constraints.txt"
    constraints.write_text(constraints.read_text() + "\n")
    git(teacher, "commit", "-q", "-am", "Pins")
    git(teacher, "push", "-q")
    result = update(learner)
    assert result.returncode == 0, result.stderr
    assert "the next `python3 course.py lab` installs them" in result.stdout
    teacher_commits(teacher, "docs/extra.md", "More\n", "More docs")
    assert "installs them" not in update(learner).stdout
