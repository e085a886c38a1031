"""The checks of exercises/09-words.ipynb: right answers pass (also written differently), stubs
say "not implemented yet", plausible wrong answers are caught with the failing case and a
fitting hint, and odd answers get a clean report."""
import numpy as np
import pytest

from nnlib.checks import lesson09 as check
from nnlib.checks.base import NotImplementedYet
from tests.check_helpers import failure, stub


@pytest.mark.parametrize("check_fn", [check.make_pairs, check.embed_forward, check.embed_backward,
                                      check.sample_next, check.heldout_loss])
def test_untouched_stub_is_not_implemented_yet(check_fn):
    with pytest.raises(NotImplementedYet, match="not implemented yet") as info:
        check_fn(stub)
    assert len(info.value._render_traceback_()) == 1


def _exits(*args):
    raise SystemExit(3)


def _key_error(*args):
    return {}["missing"]


def _spoils_its_arguments(*args):
    for a in args:
        if isinstance(a, np.ndarray):
            a[...] = 0
    return "done"


@pytest.mark.parametrize("check_fn", [check.make_pairs, check.embed_forward, check.embed_backward,
                                      check.sample_next, check.heldout_loss])
@pytest.mark.parametrize("odd", [lambda *a: "hello", lambda *a: None, lambda *a: 10 ** 400,
                                 lambda *a: iter([1, 2]), lambda *a: 1 / 0, lambda *a: print("hi"),
                                 lambda *a: (x for x in range(3)), _exits, _key_error,
                                 _spoils_its_arguments, lambda *a: np.array([np.nan]),
                                 lambda *a: [[1, 2], [3]]])
def test_odd_answers_get_a_clean_report(check_fn, odd):
    text = failure(check_fn, odd)
    assert "Traceback" not in text and len(text) < 1200


# ---- task 1: make_pairs ---------------------------------------------------------------

def make_pairs(names, stoi, context):
    X, y = [], []
    for name in names:
        window = [0] * context
        for ch in name + ".":
            X.append(window)
            y.append(stoi[ch])
            window = window[1:] + [stoi[ch]]
    return np.array(X), np.array(y)


def test_make_pairs_right_answers_pass(capsys):
    check.make_pairs(make_pairs)

    def with_padding_string(names, stoi, context):  # slices of a padded string, as lists
        X, y = [], []
        for name in names:
            padded = "." * context + name + "."
            for t in range(context, len(padded)):
                X.append([stoi[c] for c in padded[t - context:t]])
                y.append(stoi[padded[t]])
        return X, y
    check.make_pairs(with_padding_string)
    check.make_pairs(lambda n, s, k: tuple(np.asarray(a, dtype=float) for a in make_pairs(n, s, k)))
    assert capsys.readouterr().out.count("make_pairs: right — 7 cases") == 3


def test_make_pairs_that_ignores_stoi_is_told_to_use_it():
    """Numbering by ord(ch) - 96 gives the lesson's numbers, so only a case with another stoi tells."""
    by_ord = {ch: 0 if ch == "." else ord(ch) - 96 for ch in ".abcdefghijklmnopqrstuvwxyz"}
    text = failure(check.make_pairs, lambda names, stoi, context: make_pairs(names, by_ord, context))
    assert text.startswith("make_pairs(['ann', 'zed'], stoi, context=3): another vocabulary")
    assert "use the stoi you are given, stoi[ch]" in text


def _pairs_mistake(**kwargs):
    return lambda names, stoi, context: check._pairs_with(names, stoi, context, **kwargs)


@pytest.mark.parametrize("wrong, case, hint", [
    (_pairs_mistake(end=False), "one name, context 3", "where names END"),
    (_pairs_mistake(reset=False), "two names, context 2", "fresh window"),
    (_pairs_mistake(slide="right"), "one name, context 3", "drop the OLDEST character"),
    (_pairs_mistake(update=False), "one name, context 3", "the window never moves"),
    (_pairs_mistake(before=True), "one name, context 3", "BEFORE sliding"),
    (lambda n, s, k: make_pairs(n, s, k)[0], "one name, context 3", "return X, y"),
    (lambda n, s, k: (make_pairs(n, s, k)[0][:, -1:], make_pairs(n, s, k)[1]), "one name",
     "shape (n, 3)"),
])
def test_make_pairs_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.make_pairs, wrong)
    assert text.startswith("make_pairs(") and case in text and hint in text


def test_make_pairs_one_window_list_stored_many_times_is_named():
    # X.append(window), then the window slides IN PLACE: every row of X is the same list, so
    # all the rows of a name end up as its last window; the hint was the generic one
    def aliased(names, stoi, context):
        X, y = [], []
        for name in names:
            window = [0] * context
            for ch in name + ".":
                X.append(window)
                y.append(stoi[ch])
                window.pop(0)
                window.append(stoi[ch])
        return np.array(X), np.array(y)
    text = failure(check.make_pairs, aliased)
    assert text.startswith("make_pairs(['ann'], stoi, context=3)")
    assert "X holds the same list many times" in text and "list(window)" in text
    assert "got X[0]: [14, 14, 0]" in text          # the rows shown as whole numbers


# ---- task 2: the embedding -------------------------------------------------------------

def embed_forward(C, X):
    return C[X].reshape(len(X), -1)


def embed_backward(dE, X, vocab_size):
    n, k = X.shape
    dC = np.zeros((vocab_size, dE.shape[1] // k))
    np.add.at(dC, X, dE.reshape(n, k, -1))
    return dC


def test_embedding_right_answers_pass(capsys):
    check.embed_forward(embed_forward)
    check.embed_forward(lambda C, X: np.concatenate([C[X[:, j]] for j in range(X.shape[1])], axis=1))
    check.embed_forward(lambda C, X: np.eye(len(C))[X].reshape(len(X), X.shape[1], -1) @ C
                        if False else (np.eye(len(C))[X] @ C).reshape(len(X), -1))  # one-hot @ C
    check.embed_backward(embed_backward)

    def loops(dE, X, V):  # the plain loop of lesson 05: every piece added to its row
        d = dE.shape[1] // X.shape[1]
        dC = np.zeros((V, d))
        for i in range(len(X)):
            for j in range(X.shape[1]):
                dC[X[i, j]] += dE[i, j * d:(j + 1) * d]
        return dC
    check.embed_backward(loops)
    check.embed_backward(lambda dE, X, V: np.eye(V)[X].reshape(-1, V).T
                         @ dE.reshape(-1, dE.shape[1] // X.shape[1]))   # one-hot^T @ dE
    out = capsys.readouterr().out
    assert out.count("embed_forward: right — 6 cases") == 3
    assert out.count("embed_backward: right — 6 cases") == 3


@pytest.mark.parametrize("wrong, case, hint", [
    (lambda C, X: C[X], "one sample, three different characters", "reshape(len(X), -1)"),
    (lambda C, X: C[X].transpose(0, 2, 1).reshape(len(X), -1), "one sample",
     "yours interleaves them"),
    (lambda C, X: C[X].sum(axis=1), "one sample", "not added up"),
    (lambda C, X: C[X].mean(axis=1), "one sample", "not averaged"),
    (lambda C, X: C[X[:, -1]], "one sample", "EVERY character of the context"),
])
def test_embed_forward_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.embed_forward, wrong)
    assert text.startswith(f"embed_forward(C, X): {case}") and hint in text


@pytest.mark.parametrize("wrong, case, hint", [
    (check._fancy_add, "a character repeated within one context", "np.add.at"),
    (lambda dE, X, V: -embed_backward(dE, X, V), "one sample, three different", "the sign"),
    (check._mean_per_char, "a character repeated within one context", "do not average"),
    (check._first_piece_only, "a character repeated within one context", "not just the first"),
    (lambda dE, X, V: dE.reshape(len(X), X.shape[1], -1).sum(axis=0), "one sample",
     "one row per CHARACTER"),
])
def test_embed_backward_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.embed_backward, wrong)
    assert text.startswith("embed_backward(dE, X, vocab_size=") and case in text and hint in text


def test_embed_backward_a_loop_that_assigns_instead_of_adding_is_named():
    # dC[X[i, j]] = piece (= instead of +=) keeps the last piece, as dC[X] += ... does: the
    # hint must name the loop too, not only numpy's fancy indexing
    def assigns(dE, X, vocab_size):
        n, k = X.shape
        pieces = dE.reshape(n, k, -1)
        dC = np.zeros((vocab_size, pieces.shape[2]))
        for i in range(n):
            for j in range(k):
                dC[X[i, j]] = pieces[i, j]
        return dC
    text = failure(check.embed_backward, assigns)
    assert "a character repeated within one context" in text
    assert "only the LAST piece" in text and "dC[X[i, j]] = ..." in text and "+=" in text


def test_the_fancy_index_bug_passes_the_cases_without_repeats_and_fails_at_the_first_repeat():
    # the classic bug is right while no character repeats: the report names the repeat case
    text = failure(check.embed_backward, check._fancy_add)
    assert "repeated within one context ('ann')" in text
    assert "one sample, three different" not in text


# ---- task 3: sample_next ---------------------------------------------------------------

def sample_next(z, temperature, rng):
    z = z / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    return int(rng.choice(len(p), p=p))


def test_sample_next_right_answers_pass(capsys):
    check.sample_next(sample_next)

    def inverse_cdf(z, T, rng):  # one uniform number and the running sum: another right way
        p = np.exp((z - z.max()) / T)
        return int(np.searchsorted(np.cumsum(p / p.sum()), rng.random()))
    check.sample_next(inverse_cdf)

    def power_of_probs(z, T, rng):  # p ** (1/T), renormalised: the same as softmax(z / T)
        p = np.exp(z - z.max())
        q = (p / p.sum()) ** (1 / T)
        return rng.choice(len(q), p=q / q.sum())       # a numpy int: fine too
    check.sample_next(power_of_probs)
    assert capsys.readouterr().out.count("sample_next: right — 5 cases") == 3


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


@pytest.mark.parametrize("wrong, case, hint", [
    (lambda z, T, rng: int(rng.choice(len(z), p=_softmax(z * T))), "T = 0.5", "DIVIDE the logits"),
    (lambda z, T, rng: int(rng.choice(len(z), p=_softmax(z))), "T = 0.5", "temperature is not used"),
    (lambda z, T, rng: int(np.argmax(z)), "T = 1", "do not always take the likeliest"),
    (lambda z, T, rng: int(rng.integers(len(z))), "T = 1", "not every character equally often"),
    (lambda z, T, rng: int(np.random.default_rng().choice(len(z), p=_softmax(z / T))), "T = 1",
     "the generator you are given"),
    (lambda z, T, rng: int(rng.choice(len(z), p=np.exp(z / T) / np.exp(z / T).sum())),
     "large logits", "overflows"),
    (lambda z, T, rng: int(rng.choice(len(z), p=z / T)), "T = 1", "raised ValueError"),
    (lambda z, T, rng: "abcde"[int(rng.choice(len(z), p=_softmax(z / T)))], "T = 1",
     "return the index"),
])
def test_sample_next_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.sample_next, wrong)
    assert text.startswith("sample_next(z, temperature=") and case in text and hint in text


# ---- task 4: heldout_loss --------------------------------------------------------------

def heldout_loss(P, y):
    return -np.mean(np.log(P[np.arange(len(y)), y]))


def test_heldout_loss_right_answers_pass(capsys):
    check.heldout_loss(heldout_loss)
    check.heldout_loss(lambda P, y: -sum(np.log(P[i, t]) for i, t in enumerate(y)) / len(y))
    check.heldout_loss(lambda P, y: float(np.mean(-np.log(np.take_along_axis(P, y[:, None], 1)))))
    assert capsys.readouterr().out.count("heldout_loss: right — 6 cases") == 3


@pytest.mark.parametrize("wrong, hint", [
    (lambda P, y: -np.sum(np.log(P[np.arange(len(y)), y])), "the MEAN over the n pairs"),
    (lambda P, y: np.mean(np.log(P[np.arange(len(y)), y])), "the NEGATIVE log-likelihood"),
    (lambda P, y: -np.mean(np.log(P[:, y])), "ONE entry per row"),
    (lambda P, y: -np.mean(np.log10(P[np.arange(len(y)), y])), "np.log10"),
    (lambda P, y: -np.mean(np.log(P.max(axis=1))), "the TRUE next character"),
    (lambda P, y: -np.mean(np.log(P)), "not every entry of P"),
    (lambda P, y: 1 - np.mean(P[np.arange(len(y)), y]), "-log of the probability"),
    (lambda P, y: -np.log(P[np.arange(len(y)), y]), "average them into ONE number"),
])
def test_heldout_loss_wrong_answers_are_caught_with_a_hint(wrong, hint):
    text = failure(check.heldout_loss, wrong)
    assert text.startswith("heldout_loss(") and "expected:" in text and hint in text


def test_heldout_loss_a_tiny_epsilon_passes_a_larger_one_is_told_what_it_does(capsys):
    """np.log(p + 1e-9) and np.clip(p, 1e-8, 1) are careful habits, not mistakes.  With 1e-7 the
    case whose true character has probability 3.1e-05 moves by 8e-4: the report printed two
    numbers and a hint restating the formula (a review found it); it now says what moved it."""
    pick = lambda P, y: P[np.arange(len(y)), y]  # noqa: E731
    check.heldout_loss(lambda P, y: -np.mean(np.log(pick(P, y) + 1e-9)))
    check.heldout_loss(lambda P, y: -np.mean(np.log(np.clip(pick(P, y), 1e-8, 1 - 1e-8))))
    assert capsys.readouterr().out.count("heldout_loss: right") == 2
    text = failure(check.heldout_loss, lambda P, y: -np.mean(np.log(pick(P, y) + 1e-7)))
    assert "close: did you add a small number against log(0), or clip p? Here a true next character " \
           "has probability 3.1e-05, and even 1e-7 added to it changes its log." in text
    text = failure(check.heldout_loss, lambda P, y: -np.mean(np.log(pick(P, y) + 1e-3)))
    assert "close: did you add a small number against log(0), or clip p? Take np.log(" in text


def test_heldout_loss_of_a_product_of_probabilities_is_caught():
    # log of the product = sum of the logs in maths, but on thousands of pairs the product
    # rounds to 0 and the loss is inf (the held-out names have 7,221 pairs)
    text = failure(check.heldout_loss, lambda P, y: -np.log(np.prod(P[np.arange(len(y)), y])) / len(y))
    assert "(shape (2000, 27))" in text and "got: inf" in text
    assert "product of thousands of probabilities rounds to 0" in text and "np.log" in text


def test_heldout_loss_reports_a_loss_of_zero_as_0_not_minus_0():
    def smooths_when_P_has_zeros(P, y):  # "avoid log(0)": but the true characters' P is 1 here
        if (P == 0).any():
            P = P + 1e-3
        return -np.mean(np.log(P[np.arange(len(y)), y]))
    text = failure(check.heldout_loss, smooths_when_P_has_zeros)
    assert "expected: 0 got:" in text and "-0 " not in text


@pytest.mark.parametrize("check_fn, slip", [
    (check.embed_forward, lambda C, X: embed_forward(C, X) + 1e-3),
    (check.embed_backward, lambda dE, X, V: embed_backward(dE, X, V) * 1.01),
    (check.heldout_loss, lambda P, y: heldout_loss(P, y) * 1.01),
    (check.make_pairs, lambda n, s, k: (make_pairs(n, s, k)[0], make_pairs(n, s, k)[1] + 1)),
    (check.sample_next, lambda z, T, rng: sample_next(z, T * 2, rng)),
])
def test_small_slips_are_caught(check_fn, slip):
    failure(check_fn, slip)


# ---- found by a mutation audit: behaviour no test pinned down ----------------

def test_make_pairs_y_of_another_length_than_X_is_pointed_out():
    def no_end_targets(names, stoi, context):  # X has the end pairs, y forgot their "."
        X, y = make_pairs(names, stoi, context)
        return X, y[y != 0]

    text = failure(check.make_pairs, no_end_targets)
    assert "hint: X and y need one entry per pair each: the same length." in text


def test_make_pairs_right_X_wrong_y_says_which_is_right():
    def current_not_next(names, stoi, context):  # y = the last character seen, not the next
        X, y = make_pairs(names, stoi, context)
        return X, X[:, -1]

    text = failure(check.make_pairs, current_not_next)
    assert "(X is right; y is not)" in text and "expected:" in text and "got:" in text
