"""Claims the lessons' prose makes about their own code's results, recomputed.

nbval checks that every cell still prints what it printed; it cannot check a sentence such as
"the loss falls faster for a while, then gets stuck at 0.100" about a picture, or the answer to a
Check-yourself question.  Each test first finds the sentence in the lesson (so that a changed
sentence fails here until its test changes too), then recomputes what it says, running the
lesson's own code cells where the claim is about them.
"""
import contextlib
import io
import json
import sys
from pathlib import Path

import matplotlib
import numpy as np

from nnlib.data import digits, make_dataset
from nnlib.language import Vocabulary, char_mlp, sample_names
from nnlib.layers import mlp
from nnlib.losses import softmax_cross_entropy
from tests.test_prompts import says

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parent.parent


def code_cells(path):
    return ["".join(c["source"]) for c in json.loads((ROOT / path).read_text())["cells"]
            if c["cell_type"] == "code"]


def run_cells(path, *markers):
    """Run, in the notebook's order, its first code cell (the imports) and each code cell that
    contains one of `markers`; return the names they define.  Every marker must be found."""
    cells = code_cells(path)
    chosen = [0] + [i for i, source in enumerate(cells) if any(m in source for m in markers)]
    for marker in markers:
        assert any(marker in cells[i] for i in chosen), f"{path} has no code cell with {marker!r}"
    names = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for i in sorted(set(chosen)):
            exec(compile(cells[i], f"{path} code cell {i}", "exec"), names)
    return names


def text_of(path):
    cells = json.loads((ROOT / path).read_text())["cells"]
    return " ".join(" ".join("".join(c["source"]).split()) for c in cells if c["cell_type"] == "markdown")


# ================================================================ lesson 00 ==

def code_lines(path):
    """Lines of code in a Python file: not blank, not a comment, not part of a docstring."""
    import ast
    source = (ROOT / path).read_text(encoding="utf-8")
    docstrings = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and ast.get_docstring(node):
            docstrings.update(range(node.body[0].lineno, node.body[0].end_lineno + 1))
    return sum(1 for number, line in enumerate(source.splitlines(), 1)
               if line.strip() and not line.strip().startswith("#") and number not in docstrings)


def test_00_the_engine_is_about_140_lines_of_plain_python():
    says(0, "`nnlib/engine.py`, is backpropagation in about 140 lines of plain Python (plus comments)")
    assert "engine.py (backpropagation in ~140 lines of plain Python)" in (ROOT / "nnlib" / "__init__.py").read_text()
    assert 120 <= code_lines("nnlib/engine.py") <= 160  # "about 140"
    imports = [line for line in (ROOT / "nnlib" / "engine.py").read_text().splitlines()
               if line.startswith(("import ", "from "))]
    # plain Python: the standard library and nnlib's own input checks, no numpy
    assert all(line.split()[1].startswith(".") or line.split()[1] in sys.stdlib_module_names
               for line in imports), imports


# ================================================================ lesson 01 ==

def test_01_training_found_another_xor_than_the_hand_built_one():
    says(1, "The boundary is two curves around a band that holds the 0s, $(0, 0)$ and $(1, 1)$; each curve "
            "cuts off one of the 1-corners.",
         "there the OR and NAND lines ran the other way, with the two 1s in the band between them.")
    lesson = run_cells("notebooks/01-xor.ipynb", "def neuron(", "def xor_net(", 'net = MLP(2, [4, 1]',
                       "def loss_of(net)", "for step in range(300)")
    net, xor_net = lesson["net"], lesson["xor_net"]

    def trained(x1, x2):
        return net([x1, x2])[0].data

    # The trained network: the 0s and the middle of the square in one band, the 1s outside it.
    assert trained(0, 0) < 0.5 and trained(1, 1) < 0.5 and trained(0.5, 0.5) < 0.5
    assert trained(0, 1) > 0.5 and trained(1, 0) > 0.5
    # The hand-built one: the middle is between OR and NAND, with the 1s.
    out, _ = xor_net(np.array([[0.5, 0.5], [0, 0], [1, 1]]))
    assert out.tolist() == [1, 0, 0]


# ================================================================ lesson 03 ==

def test_03_the_five_hidden_layer_network_of_the_exercise_has_1153_numbers():
    assert "their 1,153 weights and biases add no power" in text_of("solutions/03-nonlinearity.ipynb")
    assert "A network with **5 hidden layers** of 16 neurons each" in text_of("solutions/03-nonlinearity.ipynb")
    assert sum(p.size for p in mlp([2] + [16] * 5 + [1]).parameters()) == 1153


def test_03_the_best_line_on_the_circles_gets_about_69_percent_and_training_ends_near_0_5():
    """Check-yourself 3 and solution 03's model answer: no line has the inner ring alone on one
    side; the best one cuts off a cap of the outer ring; training ends near an undecided line."""
    from nnlib.data import circles
    from nnlib.train import accuracy, fit
    says(3, "no straight line has the inner ring alone on one side (the best one cuts off a cap of the "
            "outer ring, about 69% right), and training, on rings centred on the origin, ends near an "
            "undecided line: the accuracy stays near 0.5")
    assert ("the best line cuts off a cap of the outer ring and gets about 69% of the lesson's circles "
            "right") in text_of("solutions/03-nonlinearity.ipynb")
    X, y = circles(n=200, noise=0.08, seed=0)
    best = 0.0
    for angle in np.linspace(0, np.pi, 180, endpoint=False):   # every direction (both sides below)
        p = X @ np.array([np.cos(angle), np.sin(angle)])
        for c in p:                                              # every offset through a point
            right = np.mean((p >= c) == (y == 1))
            best = max(best, right, 1 - right)
    assert round(best, 2) in (0.68, 0.69, 0.70), best
    neuron = mlp([2, 1], seed=0)                                 # what any linear stack folds into
    fit(neuron, X, y, lr=0.1, epochs=300, progress=False)
    assert accuracy(neuron, X, y) < 0.6


# ================================================================ lesson 05 ==

def test_05_without_zero_grad_the_loss_falls_faster_dips_below_then_sticks_at_0_100():
    says(5, "then for a while (about steps 10 to 25) falls *faster* and dips below the other curve until "
            "about step 40", "then gets stuck at 0.100.")
    lesson = run_cells("notebooks/05-backpropagation.ipynb", "def loss_of(", "net = MLP(2, [8, 1]",
                       "forgetful = MLP(2, [8, 1]")
    with_zero, without = lesson["losses"], lesson["forgetful_losses"]
    step = lambda losses, s: losses[s - 1]  # noqa: E731  (the plot numbers steps from 1)
    # Steps 10 to 25: the forgetful run falls several times as far.
    assert step(without, 10) - step(without, 25) > 3 * (step(with_zero, 10) - step(with_zero, 25))
    # Below the other curve for most of steps 20 to 40, never after step 45.
    assert sum(step(without, s) < step(with_zero, s) for s in range(20, 41)) >= 17
    assert all(step(without, s) > step(with_zero, s) for s in range(45, 101))
    assert round(without[-1], 3) == 0.100 and round(without[-10], 3) == 0.100


# ================================================================ lesson 07 ==

def test_07_why_cross_entropy_the_numbers_at_the_flat_end_of_the_sigmoid():
    """Section 1: the output 0.9975 (label 0) the lesson's cell prints, its slope 0.0025,
    and cross-entropy's gradient 0.9975 against the squared error's 0.005: 200 times."""
    says(7, "At $a = 0.9975$ the factor $\\sigma'(z)$ is $0.0025$",
         "The gradient is simply *how wrong* the output is: here 0.9975 instead of 0.005, 200 times larger.")
    cells = json.loads((ROOT / "notebooks" / "07-training-well.ipynb").read_text(encoding="utf-8"))["cells"]
    printed = " ".join("".join(o.get("text", "")) for c in cells if c["cell_type"] == "code"
                       for o in c.get("outputs", []))
    assert "output 0.9975" in printed
    a, y = 0.9975, 0
    slope = a * (1 - a)
    assert round(slope, 4) == 0.0025
    assert round(2 * (a - y) * slope, 3) == 0.005
    assert 195 < (a - y) / (2 * (a - y) * slope) < 205


def test_07_the_stable_learning_rates_of_the_two_bowls():
    says(7, "on the left with learning rate 0.4 (anything up to about 0.7 works there), on the right with "
            "0.009, just below the largest that does not blow up there (about 0.01):",
         "here anything above 0.01")
    code = "\n".join(code_cells("notebooks/07-training-well.ipynb"))
    assert 'X, y = make_dataset("moons", n=200, noise=0.1, seed=0)' in code
    assert "for ax, scale, lr in [(axes[0], 1.0, 0.4), (axes[1], 10.0, 0.009)]" in code
    X, _ = make_dataset("moons", n=200, noise=0.1, seed=0)
    X1 = (X - X.mean(axis=0)) / X.std(axis=0)
    limits = []
    for scale in (1.0, 10.0):
        Xs = X1 * np.array([1.0, scale])
        curvature = np.linalg.eigvalsh(2 * Xs.T @ Xs / len(Xs)).max()   # the squared error's Hessian
        limits.append(2 / curvature)                                      # lesson 04: lr < 2 / curvature
    assert 0.65 < limits[0] < 0.75 and 0.4 < limits[0]
    assert 0.0095 < limits[1] < 0.0105 and 0.009 < limits[1]


# ================================================================ lesson 08 ==

def test_08_what_makes_an_untrained_digit_network_start_at_9_7():
    says(8, "this network with every weight times 10 starts above 9",
         "a network that has learned nothing gives every class about 1/10 whatever the labels, so it still "
         "starts near 2.30", "the loss starts below 3.")
    code = "\n".join(code_cells("notebooks/08-handwritten-digits.ipynb"))
    assert "X_train, X_test, y_train, y_test = digits(test_ratio=0.25, seed=0)" in code
    assert "untrained = mlp([64, 32, 10], seed=0)" in code
    X, _, y, _ = digits(test_ratio=0.25, seed=0)

    def start_loss(X, y, weights_times=1.0):
        net = mlp([64, 32, 10], seed=0)
        for layer in net.layers:
            layer.W *= weights_times
        return softmax_cross_entropy(net.forward(X), y)

    assert abs(start_loss(X, y) - np.log(10)) < 0.1
    assert start_loss(X, y, weights_times=10) > 9
    assert abs(start_loss(X, np.random.default_rng(0).permutation(y)) - np.log(10)) < 0.15
    assert 2.3 < start_loss(X * 16, y) < 3


# ================================================================ lesson 09 ==

def test_09_names_stop_at_20_letters_and_a_hot_model_hits_the_cap_about_half_the_time():
    says(9, "(`sample_names` also stops after 20 letters, so a name of exactly 20 letters was cut off, not "
            "finished)", "`sample_names` cuts them at 20 letters, so about half come out exactly 20 letters long.")
    vocab = Vocabulary(["abcdefghijklmnopqrstuvwxyz"])
    assert len(vocab) == 27
    # At a huge temperature every one of the 27 characters is equally likely, whatever the weights.
    made = sample_names(char_mlp(seed=0), vocab, n=400, temperature=1e6, seed=0)
    assert max(len(m) for m in made) == 20
    share = sum(len(m) == 20 for m in made) / len(made)
    assert abs(share - (26 / 27) ** 20) < 0.08 and 0.4 < share < 0.55


def test_09_one_in_10_7_for_counting_one_in_9_8_for_the_network():
    """exp(L) is "one in N": from the held-out losses the lesson's cell prints."""
    import re
    says(9, "about one in 10.7 for counting, one in 9.8 for the network")
    cells = json.loads((ROOT / "notebooks" / "09-words.ipynb").read_text(encoding="utf-8"))["cells"]
    printed = " ".join("".join(o.get("text", "")) for c in cells if c["cell_type"] == "code"
                       for o in c.get("outputs", []))
    counting, network = map(float, re.search(r"counting (\d\.\d+), network (\d\.\d+)", printed).groups())
    assert round(np.exp(counting), 1) == 10.7 and round(np.exp(network), 1) == 9.8


def test_09_a_memoriser_scores_about_1_2_on_the_training_names_and_tiny_T_repeats_one_name():
    """Solution 09's model answers to questions 6 and 7."""
    from collections import Counter
    from nnlib.data import names
    model_answers = text_of("solutions/09-words.ipynb")
    assert "On the training names its loss is far below the network's 2.26 (about 1.2)" in model_answers
    assert "the same likeliest name again and again" in model_answers
    train_names, test_names = names()
    starts, pairs = Counter(), Counter()
    for name in train_names:
        for i, ch in enumerate(name + "."):
            starts[name[:i]] += 1
            pairs[name[:i], ch] += 1
    losses = [-np.log(pairs[name[:i], ch] / starts[name[:i]])
              for name in train_names for i, ch in enumerate(name + ".")]
    assert 1.1 < np.mean(losses) < 1.3 and len(losses) == 28901
    assert not set(test_names) & set(train_names)       # so each held-out name meets something unseen
    unseen = [name for name in test_names
              if any(pairs[name[:i], ch] == 0 for i, ch in enumerate(name + "."))]
    assert len(unseen) == len(test_names)
    # T near 0: the likeliest character every time, so every sample is the same name
    vocab = Vocabulary(train_names)
    sampled = sample_names(char_mlp(vocab_size=len(vocab), seed=0), vocab, n=5, temperature=1e-3, seed=0)
    assert len(set(sampled)) == 1


def test_03_a_bump_is_about_1_high_unless_very_narrow():
    """Lesson 03's bump: height nearly 1 between its edges, lower when the slice is narrow."""
    says(3, "A bump of height 1 from $\\ell$ to $r$ (nearly: a very narrow bump stays lower).")
    lesson = run_cells("notebooks/03-nonlinearity.ipynb", "def bump(")
    bump = lesson["bump"]
    assert abs(bump(0.0, -1 / 6, 1 / 6) - 1) < 0.01       # 6 bumps on [-1, 1]: a third wide
    assert bump(0.0, -1 / 48, 1 / 48) < 0.6                # 48 bumps: far below 1
