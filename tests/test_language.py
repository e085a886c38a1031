"""Lesson 09's data and tools: the shipped names, their split, the vocabulary and pairs, the
counting model and its loss, the Embedding layer (its backward adds up repeated characters,
checked against finite differences), the model, temperature and sampling."""
import hashlib
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from nnlib.data import NAMES_FILE, all_names, names
from nnlib.gradcheck import numerical_gradient, relative_error
from nnlib.language import (Embedding, Vocabulary, bigram_counts, bigram_probs, char_mlp,
                            make_pairs, next_char_probs, nll, sample_names, with_temperature)
from nnlib.layers import Dense
from nnlib.losses import softmax, softmax_cross_entropy, softmax_cross_entropy_grad
from nnlib.train import fit

ROOT = Path(__file__).resolve().parent.parent
VOCAB = Vocabulary(list("abcdefghijklmnopqrstuvwxyz"))


# ---- the file ----------------------------------------------------------------------

def test_the_shipped_file_holds_the_census_names_cleaned():
    text = NAMES_FILE.read_text(encoding="ascii")
    words = all_names()
    assert len(words) == 5163 and NAMES_FILE.stat().st_size < 50_000
    assert words == sorted(set(words))                          # sorted, no repeats
    assert all(re.fullmatch(r"[a-z]{2,11}", w) for w in words)
    assert {"mary", "james", "jean", "marion", "christopher"} <= set(words)
    # exactly the file tools/extract_names.py wrote (its printed checksum)
    assert hashlib.sha256(text.encode("ascii")).hexdigest() == \
        "cba14f452b7768bd7fe093035a67491d4a334061634ccfd51522fb796910e75e"


def test_source_and_licence_are_stated_beside_the_file_and_in_the_package_data():
    readme = (ROOT / "nnlib" / "datasets" / "README.md").read_text(encoding="utf-8")
    for fact in ["names.txt", "1990 census", "dist.female.first", "dist.male.first", "public domain",
                 "names` 0.3.0", "tools/extract_names.py", "5,163"]:
        assert fact in readme, fact
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'nnlib = \[.*"datasets/\*\.txt"', pyproject)


def test_names_split_whole_names_seeded():
    train, test = names()
    assert (len(train), len(test)) == (4130, 1033)
    assert not set(train) & set(test) and sorted(train + test) == all_names()
    assert names() == (train, test) and names(seed=1)[1] != test
    assert len(names(test_ratio=0.5)[1]) == 2582


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(test_ratio=0), ValueError, "test_ratio must be between 0 and 1"),
    (dict(test_ratio=0.00005), ValueError, "0 for testing: both need at least 1"),  # 0.26 names
    (dict(test_ratio="a fifth"), TypeError, "test_ratio must be a number"),
    (dict(seed=-1), ValueError, "seed must be 0 or more"),
])
def test_names_bad_arguments_get_clear_errors(kwargs, error, words):
    with pytest.raises(error, match=words):
        names(**kwargs)


# ---- characters and pairs ----------------------------------------------------------------

def test_vocabulary_numbers_the_characters_with_the_dot_first():
    vocab = Vocabulary(all_names())
    assert len(vocab) == 27 and vocab.chars[0] == "." and vocab.chars[1:] == list("abcdefghijklmnopqrstuvwxyz")
    assert vocab.encode("anna") == [1, 14, 14, 1] and vocab.decode([13, 1, 24]) == "max"
    assert vocab.decode(np.array([1, 2])) == "ab"
    assert Vocabulary(["cab"]).chars == [".", "a", "b", "c"]


def test_make_pairs_frames_every_name_with_dots():
    X, y = make_pairs(["ann", "bo"], VOCAB, context=3)
    contexts = ["".join(VOCAB.chars[int(i)] for i in row) for row in X]
    nexts = [VOCAB.chars[i] for i in y]
    assert list(zip(contexts, nexts)) == [("...", "a"), ("..a", "n"), (".an", "n"), ("ann", "."),
                                          ("...", "b"), ("..b", "o"), (".bo", ".")]
    assert X.dtype == np.float64 and y.dtype == np.int64
    X1, y1 = make_pairs(all_names(), VOCAB, context=1)
    assert len(y1) == sum(len(n) + 1 for n in all_names()) and np.sum(y1 == 0) == 5163


# ---- the counting model and the loss ------------------------------------------------------

def test_bigram_counts_and_smoothed_probabilities():
    N = bigram_counts(["ab", "abb"], Vocabulary(["ab"]))
    assert N.tolist() == [[0, 2, 0], [0, 0, 2], [2, 0, 1]]    # rows/cols: . a b
    P = bigram_probs(N, alpha=1.0)
    assert np.allclose(P.sum(axis=1), 1) and np.isclose(P[1, 2], 3 / 5)
    assert np.isclose(bigram_probs(N, alpha=0)[2, 2], 1 / 3)


def test_nll_is_the_mean_negative_log_of_the_true_characters_probability():
    P = np.array([[0.1, 0.7, 0.2], [0.5, 0.25, 0.25]])
    assert np.isclose(nll(P, [1, 2]), -(np.log(0.7) + np.log(0.25)) / 2)
    assert np.isclose(nll(np.full((4, 27), 1 / 27), [0, 1, 2, 3]), np.log(27))
    with np.errstate(all="raise"):
        assert nll(np.array([[1.0, 0.0]]), [1]) == np.inf      # no warning: inf is the answer
    Z = np.random.default_rng(0).normal(size=(5, 4))
    y = np.array([0, 3, 1, 1, 2])
    assert np.isclose(nll(softmax(Z), y), softmax_cross_entropy(Z, y))   # lesson 08's loss


# ---- the embedding -------------------------------------------------------------------------

def test_a_lookup_is_a_dense_layer_on_one_hot_inputs():
    emb = Embedding(27, 3, 2, seed=1)
    dense = Dense(27, 3, seed=1)
    dense.W[...] = emb.C
    X = np.array([[1, 14], [14, 14], [0, 26]])
    one_hot = np.eye(27)[X]                          # (3, 2, 27)
    expected = np.concatenate([dense.forward(one_hot[:, j]) for j in range(2)], axis=1)
    assert np.allclose(emb.forward(X), expected)


def test_backward_adds_up_the_pieces_of_a_repeated_character():
    emb = Embedding(5, 2, 3)
    emb.forward(np.array([[1, 4, 4]]))
    assert emb.backward(np.array([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]])) is None
    assert emb.dC.tolist() == [[0, 0], [1, 2], [0, 0], [0, 0], [8, 10]]
    grads = emb.gradients()
    emb.forward(np.array([[0, 0, 0]]))
    emb.backward(np.ones((1, 6)))
    assert emb.gradients()[0] is grads[0] and emb.dC[4].tolist() == [0, 0]   # in place, reset


def test_the_whole_model_matches_finite_differences():
    model = char_mlp(vocab_size=6, context=3, dim=2, hidden=5, seed=2)
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 1, 1], [2, 5, 1]], dtype=float)  # repeats on purpose
    y = np.array([1, 1, 0, 3])

    def loss(_):
        return softmax_cross_entropy(model.forward(X), y)
    Z = model.forward(X)
    model.backward(softmax_cross_entropy_grad(Z, y), need_dX=False)
    analytic = [g.copy() for g in model.gradients()]
    for param, grad in zip(model.parameters(), analytic):
        assert relative_error(grad, numerical_gradient(loss, param)) < 1e-6


def test_fit_trains_the_model_below_the_counting_model_on_held_out_names():
    """Lesson 09's claim, on a smaller run: a few epochs beat counting on unseen names."""
    train, test = names()
    vocab = Vocabulary(train + test)
    X, y = make_pairs(train, vocab, 3)
    X_test, y_test = make_pairs(test, vocab, 3)
    model = char_mlp(seed=0)
    history = fit(model, X, y, loss="softmax_ce", optimizer="adam", lr=0.01, epochs=4,
                  batch_size=64, seed=0, X_test=X_test, y_test=y_test, progress=False)
    X1, y1 = make_pairs(test, vocab, 1)
    bigram = nll(bigram_probs(bigram_counts(train, vocab))[X1[:, 0].astype(int)], y1)
    assert history.test_loss[-1] < bigram - 0.03 < np.log(27)


# ---- temperature and sampling ---------------------------------------------------------------


def test_char_mlp_is_embedding_then_tanh_then_logits():
    """The docstring's model: Embedding -> Dense(tanh) -> Dense (logits, one per character)."""
    model = char_mlp(vocab_size=27, context=3, dim=2, hidden=64, seed=0)
    emb, hidden, out = model.layers
    assert isinstance(emb, Embedding) and emb.C.shape == (27, 2)
    assert (hidden.n_in, hidden.n_out, hidden.activation) == (6, 64, "tanh")
    assert (out.n_in, out.n_out, out.activation) == (64, 27, "identity")


def test_a_short_prefix_is_padded_with_dots():
    """next_char_probs: "." padding, then the last k characters: "" reads "...", "a" reads "..a"."""
    model = char_mlp(seed=0)
    for prefix, window in (("", [0, 0, 0]), ("a", [0, 0, 1]), ("ab", [0, 1, 2])):
        z = model.forward(np.array([window], dtype=np.float64))
        np.testing.assert_allclose(next_char_probs(model, VOCAB, prefix), softmax(z)[0])


def test_temperature_divides_the_logits():
    z = np.array([2.0, 1.0, 0.0])
    assert np.allclose(with_temperature(z, 1.0), softmax(z[None])[0])
    assert np.allclose(with_temperature(z, 0.5), softmax(2 * z[None])[0])
    assert with_temperature(z, 0.01)[0] > 0.999 and np.ptp(with_temperature(z, 100.0)) < 0.01
    assert np.allclose(with_temperature(z + 1000, 1.0), with_temperature(z, 1.0))   # no overflow


def test_sampling_is_repeatable_and_reads_the_last_k_characters():
    model = char_mlp(seed=0)
    a = sample_names(model, VOCAB, n=5, temperature=1.0, seed=3)
    assert a == sample_names(model, VOCAB, n=5, temperature=1.0, seed=3)
    assert a != sample_names(model, VOCAB, n=5, temperature=1.0, seed=4)
    assert all(re.fullmatch(r"[a-z]{0,20}", s) for s in a)
    assert np.allclose(next_char_probs(model, VOCAB, "xmar"), next_char_probs(model, VOCAB, "mar"))
    assert not np.allclose(next_char_probs(model, VOCAB, "ma"), next_char_probs(model, VOCAB, "mar"))


def test_a_model_and_a_vocabulary_of_different_sizes_are_refused_naming_vocab():
    small = Vocabulary(["ann", "bob"])                          # . a b n o: 5 characters
    model = char_mlp(27)
    for call in (lambda: sample_names(model, small, n=1),
                 lambda: next_char_probs(model, small, "a")):
        with pytest.raises(ValueError, match=r"^vocab has 5 characters but the model gives 27 "
                                             r"logits.*char_mlp\(5\)"):
            call()
    with pytest.raises(TypeError, match=r"^vocab must be a Vocabulary"):
        next_char_probs(model, "abc", "a")
    # matching sizes work, whichever size
    assert next_char_probs(char_mlp(len(small)), small, "ab").shape == (5,)
    assert set("".join(sample_names(char_mlp(len(small)), small, n=3))) <= set("abno")


def test_nll_says_in_words_what_a_probability_of_0_gives_and_gives_it():
    """The comment at nll's log points to the docstring: it must say it, and be right."""
    import inspect
    assert "docstring" in inspect.getsource(nll).split("np.errstate")[1].splitlines()[0]
    assert re.search(r"probability 0 makes L = inf", nll.__doc__)
    with np.errstate(all="raise"):                     # no warning on the way either
        assert nll(np.array([[0.5, 0.5, 0.0], [0.2, 0.8, 0.0]]), [0, 2]) == np.inf


def test_bigram_probs_names_negative_counts_as_such_not_as_a_shape():
    with pytest.raises(ValueError, match=r"^N must hold counts, 0 or more, got -1$"):
        bigram_probs(-np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"^N must be a square table of counts \(V, V\), got shape \(2, 3\)"):
        bigram_probs(np.ones((2, 3)))
    assert np.allclose(bigram_probs(np.array([[0, 2], [1, 1]]), alpha=0), [[0, 1], [0.5, 0.5]])


def test_make_pairs_names_the_name_with_an_unknown_character():
    with pytest.raises(ValueError, match=r"^names\[1\] must use only the characters"):
        make_pairs(["ann", "zed"], Vocabulary(["ann"]))


@pytest.mark.parametrize("T", [1e-3, 1e-30, 1e-300, 1e-310, 5e-324])
def test_a_temperature_near_0_always_picks_the_likeliest_without_warnings(T):
    z = np.array([1.0, 3.0, -2.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")                  # no overflow warning either
        p = with_temperature(z, T)
        assert np.array_equal(p, [0.0, 1.0, 0.0, 0.0])
        tied = with_temperature(np.array([5.0, 1.0, 5.0]), T)   # ties share
        assert np.array_equal(tied, [0.5, 0.0, 0.5])
