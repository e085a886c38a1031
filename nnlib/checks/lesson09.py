"""Checks for exercises/09-words.ipynb: the (context, next) pairs, the embedding lookup's
forward and backward, sampling with a temperature, and the held-out loss.

The notation of lesson 09 (V characters, "." is number 0, a context of k characters,
embeddings of d numbers):

    pairs        each name framed by ".": context "." * k, then after every character the
                 window slides one step left (the newest character at the right end);
                 a name of m letters gives m + 1 pairs, the last one predicting "." (0)
    forward      E[i] = [C[X[i, 0]], ..., C[X[i, k-1]]]          (n, k * d)
    backward     dC[j] = sum of the pieces of dE at every lookup of j   (V, d)
    sampling     p = softmax(z / T), then one draw from p with the rng given
    loss         L = -(1/n) sum over i of log P[i, y_i]

The right answers come from nnlib itself: nnlib.language.make_pairs, Embedding,
with_temperature and nll.
"""
import numpy as np

from nnlib.language import Embedding, Vocabulary, make_pairs as _make_pairs
from nnlib.language import with_temperature

from .base import (call, close, guarded, known_mistake, numbers, passed, report,
                   show, wrong_answer)

LETTERS = ".abcdefghijklmnopqrstuvwxyz"
STOI = {ch: i for i, ch in enumerate(LETTERS)}   # the lesson's vocabulary: "." = 0, "a" = 1, ...
_VOCAB = Vocabulary(list("abcdefghijklmnopqrstuvwxyz"))


# ------------------------------------------------------------ task 1: make_pairs --

PAIR_CASES = [
    ("one name, context 3", ["ann"], 3),
    ("two names, context 2 (each name starts from '..')", ["bo", "eve"], 2),
    ("context 1: the previous character only", ["emma"], 1),
    ("a context longer than the name", ["al"], 4),
    ("a long name", ["christopher"], 3),
    ("four names, context 3", ["jo", "ada", "lee", "max"], 3),
    ("another vocabulary, the letters numbered backwards (z = 1 ... a = 26)", ["ann", "zed"], 3),
]
# The last case's stoi: a function that ignores its stoi (ord(ch) - 96) is right on the others.
BACKWARDS = {".": 0, **{ch: 27 - i for i, ch in enumerate(LETTERS[1:], 1)}}


def _pairs(names, stoi, context):
    X, y = _make_pairs(list(names), _VOCAB, context)
    return X.astype(np.int64), y


def _pairs_with(names, stoi, context, *, end=True, slide="left", reset=True, update=True,
                before=False, aliased=False):
    """The pairs with one known mistake switched on.

    aliased: X.append(window) stores the list itself and the window then slides in place
    (window.pop(0); window.append(i)), so every row of a name is its last window."""
    X, y, window = [], [], [0] * context
    for name in names:
        if reset:
            window = [0] * context
        ids = [stoi[ch] for ch in name] + ([0] if end else [])
        for i in ids:
            if before:
                window = window[1:] + [i]
            X.append(window if aliased else list(window))
            y.append(i)
            if aliased:
                window.pop(0)
                window.append(i)
            elif update and not before:
                window = window[1:] + [i] if slide == "left" else [i] + window[:-1]
    return np.array(X), np.array(y)


_PAIR_MISTAKES = [
    (lambda n, s, k: _pairs_with(n, s, k, end=False),
     'every name ends with one more pair, (its last k characters) -> "." (number 0): the model '
     "must learn where names END. Loop over the name's numbers + [0]."),
    (lambda n, s, k: _pairs_with(n, s, k, reset=False),
     'start every name from a fresh window [0] * context ("..."): yours carries the end of the '
     "previous name into the next one."),
    (lambda n, s, k: _pairs_with(n, s, k, slide="right"),
     "slide the window the other way: drop the OLDEST character at the left and put the new one "
     "at the right end, window = window[1:] + [i]."),
    (lambda n, s, k: _pairs_with(n, s, k, update=False),
     "the window never moves: after each pair, slide it, window = window[1:] + [i]."),
    (lambda n, s, k: _pairs_with(n, s, k, aliased=True),
     "X holds the same list many times: X.append(window) stores the list itself, not the numbers "
     "it holds now, and sliding it in place (window.pop(0), window.append(i)) changes every row "
     "already stored. Append a copy, list(window), or make a new window each step: "
     "window = window[1:] + [i]."),
    (lambda n, s, k: _pairs_with(n, s, k, before=True),
     "record the pair BEFORE sliding the window: as written, the context already holds the "
     "character it should predict (so the model would learn to copy)."),
]


def _same_pairs(got, expected):
    """got = (X, y) with the values of expected, in the same order."""
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return False
    return close(got[0], expected[0]) and close(got[1], expected[1])


def _whole(row):
    """A row of numbers as ints when they all are whole, as X holds character numbers."""
    if np.all(np.isfinite(row)) and np.all(row == np.round(row)):
        return row.astype(np.int64)
    return row


@guarded
def make_pairs(fn):
    """Check make_pairs(names, stoi, context) -> (X, y).

    X (n, context): the numbers of the k characters before each position, "." (0) padding
    the start; y (n,): the number of the character that comes next, 0 after the last letter.
    Cases: one name, two names (the window restarts), context 1, a context longer than
    the name, a long name, four names, and two names with another numbering of the letters.
    """
    task = "make_pairs"
    for label, names, k in PAIR_CASES:
        stoi = BACKWARDS if "backwards" in label else STOI
        expected = _pairs(names, STOI, k) if stoi is STOI else _pairs_with(names, stoi, k)
        itos = {i: ch for ch, i in stoi.items()}
        got = call(task, fn, (list(names), dict(stoi), k),
                   label=f"make_pairs(names, stoi, context): {label}")
        head = f"make_pairs({names!r}, stoi, context={k}): {label}"
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise report(f"{head}\n  expected a pair (X, y)\n  got:      {show(got)}",
                         "return X, y: two arrays, X with one row per pair, y with one number per pair.")
        if _same_pairs(got, expected):
            continue
        X, y = numbers(got[0]), numbers(got[1])
        hint = next((hint for wrong, hint in _PAIR_MISTAKES
                     if _same_pairs(got, wrong(list(names), stoi, k))), None)
        if hint is None and stoi is not STOI and _same_pairs(got, _pairs(names, STOI, k)):
            hint = ("use the stoi you are given, stoi[ch], to number the characters: this case "
                    "numbers the letters backwards, and yours came out as a = 1 ... z = 26.")
        if hint is None and X is not None and X.ndim == 2 and X.shape[1] != k:
            hint = f"each row of X holds the last context = {k} characters: shape (n, {k})."
        if hint is None and y is not None and X is not None and len(y) != len(X):
            hint = "X and y need one entry per pair each: the same length."
        if hint is None:
            hint = ('for each name: window = [0] * context; for each number i of the name and then '
                    '0: append window to X and i to y, then window = window[1:] + [i].')
        if X is not None and X.shape == expected[0].shape and close(got[1], expected[1]):
            i = int(np.flatnonzero(np.any(X != expected[0], axis=1))[0])
            raise report(f"{head}\n  y is right; X is not. The first wrong row, pair {i} "
                         f"(next character {itos[int(expected[1][i])]!r}):\n  expected X[{i}]: "
                         f"{show(expected[0][i])}\n  got X[{i}]:      {show(_whole(X[i]))}", hint)
        if y is not None and y.shape == expected[1].shape and close(got[0], expected[0]):
            raise wrong_answer(f"{head}\n  (X is right; y is not)", expected[1], got[1], hint)
        raise report(f"{head}\n  expected X: {show(expected[0])}\n  expected y: {show(expected[1])}"
                     f"\n  got X:      {show(got[0])}\n  got y:      {show(got[1])}", hint)
    passed(task, f"{len(PAIR_CASES)} cases, every name framed by '.', the window sliding left")


# ------------------------------------------------------- task 2: the embedding --

def _embedding_cases():
    rng = np.random.default_rng(9)
    C5 = np.round(rng.normal(0, 1, (5, 2)), 2)      # 5 characters, d = 2
    C27 = np.round(rng.normal(0, 1, (27, 3)), 2)    # the lesson's 27, d = 3
    return [
        ("one sample, three different characters", C5, np.array([[1, 2, 3]])),
        ("two samples, no character twice", C5, np.array([[0, 1], [2, 3]])),
        ("a character repeated within one context ('ann')", C5, np.array([[1, 4, 4]])),
        ("the same character in two samples", C5, np.array([[0, 3], [3, 2], [3, 3]])),
        ("27 characters, d = 3, context 3", C27,
         np.array([[0, 0, 1], [0, 1, 14], [1, 14, 14], [14, 14, 1]])),
        ("context 1", C27, np.array([[5], [26], [5]])),
    ]


EMBED_CASES = _embedding_cases()


def _embed(C, X):
    return C[X].reshape(len(X), -1)


_EMBED_MISTAKES = [
    (lambda C, X: C[X],
     "put the k rows of each sample side by side in ONE row: C[X] has shape (n, k, d); "
     ".reshape(len(X), -1) makes it (n, k * d)."),
    (lambda C, X: C[X].transpose(0, 2, 1).reshape(len(X), -1),
     "keep each character's d numbers together: C[X].reshape(n, k * d) gives [C[x1], C[x2], ...]; "
     "yours interleaves them."),
    (lambda C, X: C[X].sum(axis=1),
     "the rows go SIDE BY SIDE (k * d numbers), not added up: adding loses which character came "
     "where."),
    (lambda C, X: C[X].mean(axis=1),
     "the rows go SIDE BY SIDE (k * d numbers), not averaged."),
    (lambda C, X: C[X[:, -1]],
     "look up EVERY character of the context, not only the last one."),
]


@guarded
def embed_forward(fn):
    """Check embed_forward(C, X) -> E (n, k * d): the rows C[X[i, 0]], ..., C[X[i, k-1]]
    side by side, against nnlib.language.Embedding.forward."""
    cases = [(C, X) for _, C, X in EMBED_CASES]
    for (label, C, X) in EMBED_CASES:
        expected = _embed(C, X)
        got = call("embed_forward", fn, (C, X), label=f"embed_forward(C, X): {label}")
        if close(got, expected):
            continue
        hint = known_mistake(got, (C, X), _EMBED_MISTAKES, fn=fn, cases=cases) or (
            "E = C[X] looks up a row for every number of X, shape (n, k, d); then "
            ".reshape(len(X), -1).")
        raise wrong_answer(f"embed_forward(C, X): {label}\n  C = {show(C)}\n  X = {show(X)}",
                           expected, got, hint)
    passed("embed_forward", f"{len(EMBED_CASES)} cases, the same as nnlib's Embedding.forward")


def _grad_case(C, X):
    """A made-up, easy-to-follow gradient dE for the output of (C, X)."""
    n, k, d = len(X), X.shape[1], C.shape[1]
    return np.arange(1.0, n * k * d + 1).reshape(n, k * d) / 10.0


def _embed_backward(dE, X, V):
    layer = Embedding(V, dE.shape[1] // X.shape[1], X.shape[1])
    layer.forward(X.astype(float))
    layer.backward(dE)
    return layer.dC.copy()


def _fancy_add(dE, X, V):
    dC = np.zeros((V, dE.shape[1] // X.shape[1]))
    dC[X] += dE.reshape(len(X), X.shape[1], -1)
    return dC


def _mean_per_char(dE, X, V):
    dC = _embed_backward(dE, X, V)
    counts = np.bincount(X.ravel(), minlength=V)
    return dC / np.maximum(counts, 1)[:, None]


def _first_piece_only(dE, X, V):
    dC = np.zeros((V, dE.shape[1] // X.shape[1]))
    pieces = dE.reshape(len(X), X.shape[1], -1)
    for i in range(len(X)):
        for j in range(X.shape[1]):
            if not dC[X[i, j]].any():
                dC[X[i, j]] = pieces[i, j]
    return dC


_BACKWARD_MISTAKES = [
    # also what a loop gives that assigns, dC[X[i, j]] = piece: the last piece stays
    (_fancy_add,
     "only the LAST piece of a repeated character survives: `dC[X] += ...` (numpy's fancy-index "
     "+= writes each row once) and `dC[X[i, j]] = ...` in a loop both overwrite. Add every "
     "piece: np.add.at(dC, X, dE.reshape(n, k, d)), or a loop `for i ...: for j ...: "
     "dC[X[i, j]] += piece` (lesson 05: a value used twice collects both gradients)."),
    (lambda dE, X, V: -_embed_backward(dE, X, V),
     "the sign: the lookup copies C's rows unchanged, so each piece of dE goes back as it is "
     "(+), not negated."),
    (_mean_per_char,
     "ADD the pieces of a repeated character, do not average them: each lookup adds its own "
     "effect on the loss."),
    (_first_piece_only,
     "a repeated character must collect ALL its pieces, not just the first one."),
    (lambda dE, X, V: dE.reshape(len(X), X.shape[1], -1).sum(axis=0),
     "dC has one row per CHARACTER of the vocabulary (V, d): add each piece to row X[i, j]."),
]


@guarded
def embed_backward(fn):
    """Check embed_backward(dE, X, vocab_size) -> dC (vocab_size, d).

    dC[j] is the sum of the pieces of dE at every lookup of character j, a repeated character
    collecting every piece.  Cases as for embed_forward: the first two have no repeats (where
    the tempting `dC[X] += ...` is still right), the next ones repeat a character.
    """
    task = "embed_backward"
    for label, C, X in EMBED_CASES:
        dE = _grad_case(C, X)
        V = len(C)
        expected = _embed_backward(dE, X, V)
        got = call(task, fn, (dE, X, V), label=f"embed_backward(dE, X, vocab_size): {label}")
        if close(got, expected):
            continue
        hint = known_mistake(got, (dE, X, V), _BACKWARD_MISTAKES) or (
            "dC = np.zeros((vocab_size, d)) with d = dE.shape[1] // X.shape[1]; then add piece "
            "dE.reshape(n, k, d)[i, j] to row X[i, j], for every i and j (np.add.at does all).")
        raise wrong_answer(f"embed_backward(dE, X, vocab_size={V}): {label}\n  X = {show(X)}"
                           f"\n  dE = {show(dE)}", expected, got, hint)
    passed(task, f"{len(EMBED_CASES)} cases; a repeated character adds up all its pieces")


# -------------------------------------------------- task 3: sampling, temperature --

DRAWS = 3000      # draws per case: a frequency is then within about 0.03 of its probability
TOLERANCE = 0.045  # largest allowed gap between a frequency and its probability (> 4 std)
_Z = np.array([2.0, 1.0, 0.5, 0.0, -1.0])
SAMPLE_CASES = [
    ("T = 1: the model's own probabilities", _Z, 1.0, 1),
    ("T = 0.5: sharper", _Z, 0.5, 2),
    ("T = 2: flatter", _Z, 2.0, 3),
    ("large logits, 1000 and more", _Z + 1000.0, 1.0, 4),
    ("T = 0.1: almost always the likeliest", np.array([1.0, 1.5, 0.0]), 0.1, 5),
]


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


_SAMPLE_MISTAKES = [
    (lambda z, T: _softmax(z * T),
     "DIVIDE the logits by the temperature, softmax(z / T): multiplying makes T = 0.5 flatter "
     "instead of sharper."),
    (lambda z, T: _softmax(z),
     "the temperature is not used: p = softmax(z / T)."),
    (lambda z, T: np.eye(len(z))[np.argmax(z)],
     "draw at random from p (rng.choice(len(p), p=p)), do not always take the likeliest."),
    (lambda z, T: np.full(len(z), 1.0 / len(z)),
     "draw from p = softmax(z / T), not every character equally often."),
]


class _Generator(np.random.Generator):
    """numpy's Generator, handed to the learner's function as it is: the checks give each call
    copies of its arguments (see base.call), but a copied generator would draw the same number
    on every call."""

    def __deepcopy__(self, memo):
        return self


def _rng(seed):
    """The generator np.random.default_rng(seed) would make (the same draws)."""
    return _Generator(np.random.PCG64(seed))


def _draws(fn, z, T, seed, task, label, crash_hints=(), n=20):
    """The first n draws with a fresh rng made from seed, as a list of ints."""
    rng = _rng(seed)
    return [int(numbers(call(task, fn, (z.copy(), T, rng), label=label, crash_hints=crash_hints)))
            for _ in range(n)]


def _frequencies(fn, z, T, seed, task, label, crash_hints=()):
    """Draw DRAWS times with one rng; return the frequency of each index."""
    rng = _rng(seed)
    counts = np.zeros(len(z))
    for _ in range(DRAWS):
        got = call(task, fn, (z.copy(), T, rng), label=label, crash_hints=crash_hints)
        value = numbers(got)
        if value is None or value.shape != () or value != np.round(value) \
                or not 0 <= value < len(z):
            raise report(f"{label}\n  expected: one whole number from 0 to {len(z) - 1}, the index "
                         f"drawn\n  got:      {show(got)}",
                         "return the index of the character drawn, e.g. "
                         "int(rng.choice(len(p), p=p)).")
        counts[int(value)] += 1
    return counts / DRAWS


@guarded
def sample_next(fn):
    """Check sample_next(z, temperature, rng) -> an index drawn from softmax(z / T).

    For each case the function is called 3000 times with one seeded generator, and how often
    each index comes out must be within 0.045 of its probability (more than 4 standard
    deviations: a right answer passes, whichever way it draws).  It must use the rng it is
    given: the same seed must give the same draws.
    """
    task = "sample_next"
    crash_hints = [("contain NaN", "exp() of a logit near 1000 overflows: subtract the largest "
                    "logit first (softmax of z / T, stably)."),
                   ("do not sum to 1", "p must be probabilities that sum to 1: softmax(z / T).")]
    for label, z, T, seed in SAMPLE_CASES:
        head = f"sample_next(z, temperature={T}, rng): {label}\n  z = {show(z)}"
        expected = with_temperature(z, T)
        freq = _frequencies(fn, z, T, seed, task, head, crash_hints)
        first = _draws(fn, z, T, seed, task, head, crash_hints)
        again = _draws(fn, z, T, seed, task, head, crash_hints)
        if first != again:
            raise report(f"{head}\n  the same seed gave different draws: {show(tuple(first[:8]))} "
                         f"and {show(tuple(again[:8]))}",
                         "draw with the generator you are given, rng.choice(...) or rng.random(), "
                         "not np.random.choice: then a seed repeats the names.")
        if np.max(np.abs(freq - expected)) <= TOLERANCE:
            continue
        hint = next((hint for wrong, hint in _SAMPLE_MISTAKES if _near(freq, wrong(z, T))),
                    None) or (
            "p = softmax(z / T) (subtract the largest value first), then "
            "int(rng.choice(len(p), p=p)).")
        raise report(f"{head}\n  how often each index should come out: {show(np.round(expected, 3))}"
                     f"\n  how often yours did, in {DRAWS} draws: {show(np.round(freq, 3))}", hint)
    passed(task, f"{len(SAMPLE_CASES)} cases of {DRAWS} draws each, sharper below T = 1, flatter "
                 "above, repeatable from the seed")


def _near(freq, p):
    with np.errstate(all="ignore"):
        return p is not None and np.max(np.abs(freq - np.asarray(p))) <= TOLERANCE


# ------------------------------------------------------- task 4: heldout_loss --

def _loss_cases():
    rng = np.random.default_rng(90)
    P4 = rng.dirichlet(np.ones(5), size=4)
    P27 = rng.dirichlet(np.ones(27), size=6)
    return [
        (np.array([[0.1, 0.7, 0.2]]), np.array([1])),
        (P4, np.array([0, 4, 2, 2])),
        (np.full((3, 27), 1 / 27), np.array([0, 5, 26])),
        (np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 1])),
        (P27, np.array([3, 0, 26, 14, 1, 1])),
        # thousands of pairs, as a held-out set has: their product, 27**-2000, rounds to 0
        (np.full((2000, 27), 1 / 27), np.arange(2000) % 27),
    ]


LOSS_CASES = _loss_cases()


def _same_number(got, want):
    """One number (a float, or an array of a single value), equal to want up to rounding.

    Up to 1e-5: a tiny epsilon against log(0), np.log(p + 1e-9) or np.clip(p, 1e-8, 1),
    is a habit of careful programmers, not a mistake; every mistake in _LOSS_MISTAKES is
    far larger.  (A larger epsilon gets its own hint in heldout_loss.)
    """
    values = numbers(got)
    return values is not None and values.size == 1 and close(values.reshape(()), want,
                                                             rtol=1e-5, atol=1e-6)


def _nll(P, y):
    # + 0.0 turns the -0.0 of a sure, right model (-mean(log 1)) into 0.0, as reports show it
    return float(-np.mean(np.log(P[np.arange(len(y)), y]))) + 0.0


_LOSS_MISTAKES = [
    (lambda P, y: float(-np.sum(np.log(P[np.arange(len(y)), y]))),
     "the MEAN over the n pairs, not the sum: divide by n (np.mean), so that a longer test set "
     "does not look worse."),
    (lambda P, y: float(np.mean(np.log(P[np.arange(len(y)), y]))),
     "the NEGATIVE log-likelihood: -mean(log p). log of a probability is negative, the loss is "
     "positive."),
    (lambda P, y: float(-np.mean(np.log(P[:, y]))),
     "P[:, y] takes every row for every label (an n x n table): take ONE entry per row, "
     "P[np.arange(n), y]."),
    (lambda P, y: float(-np.mean(np.log10(P[np.arange(len(y)), y]))),
     "use the natural logarithm np.log, as the lesson does (log 27 = 3.30): np.log10 gives numbers "
     "2.3 times smaller."),
    (lambda P, y: float(-np.mean(np.log(P.max(axis=1)))),
     "take the probability of the TRUE next character, P[i, y[i]], not the largest one."),
    (lambda P, y: float(-np.mean(np.log(P))),
     "average only the true next characters' -log P[i, y[i]], not every entry of P."),
    (lambda P, y: float(-np.log(np.prod(P[np.arange(len(y)), y])) / len(y)),
     "a product of thousands of probabilities rounds to 0 (here 27**-2000), and log(0) = -inf: "
     "take the log of each probability first and average, -np.mean(np.log(...)) (the log of a "
     "product is the sum of the logs)."),
    (lambda P, y: float(1 - np.mean(P[np.arange(len(y)), y])),
     "the loss is -log of the probability, averaged: -np.mean(np.log(P[np.arange(n), y]))."),
]


@guarded
def heldout_loss(fn):
    """Check heldout_loss(P, y) -> L = -(1/n) sum of log P[i, y_i], a number.

    Cases: one pair, four pairs of 5 characters, uniform probabilities (log 27), a sure and
    right model (0, with zeros elsewhere in P), six pairs of 27 characters, and 2,000 pairs
    (where the product of the probabilities rounds to 0).
    """
    task = "heldout_loss"
    for P, y in LOSS_CASES:
        expected = _nll(P, y)
        got = call(task, fn, (P, y))
        if _same_number(got, expected):
            continue
        values = numbers(got)
        p_true = P[np.arange(len(y)), y]
        if values is not None and values.shape == y.shape and close(values, -np.log(p_true)):
            hint = ("these are the n losses of the pairs, one each: average them into ONE number, "
                    "-np.mean(...).")
        elif values is not None and values.size == 1 and abs(float(values.reshape(())) - expected) < 0.01 * expected:
            small = (f" Here a true next character has probability {p_true.min():.1e}, and even 1e-7 "
                     "added to it changes its log." if p_true.min() < 1e-3 else "")
            hint = ("close: did you add a small number against log(0), or clip p?" + small
                    + " Take np.log(P[np.arange(n), y]) as it is: where a model gives the true "
                    "character probability 0, the loss is rightly inf.")
        else:
            hint = known_mistake(got, (P, y), _LOSS_MISTAKES, compare=_same_number, fn=fn,
                                 cases=LOSS_CASES) or (
                "L = -np.mean(np.log(P[np.arange(len(y)), y])): one probability per row, the "
                "true next character's.")
        raise wrong_answer(f"{task}{show((P, y))}", expected, got, hint)
    passed("heldout_loss", f"{len(LOSS_CASES)} cases, 2,000 pairs among them; uniform "
                           "probabilities give log 27 = 3.296")
