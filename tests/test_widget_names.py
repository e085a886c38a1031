"""NameLab (lesson 09), driven headless the way a learner drives it: typing in the box, the
temperature slider, the "sample 10 names" button.  The numbers of the lesson's "Try this" /
"Notice" prompts and of its prose are measured here on the lesson's own model, and the lesson
must say exactly these numbers."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

from nnlib.data import names
from nnlib.language import Vocabulary, char_mlp, make_pairs, next_char_probs, nll
from nnlib.layers import mlp
from nnlib.widgets import NameLab
from nnlib.widgets.names import LESSON_MODEL, LESSON_TRAINING, train_lesson_model
from tests.test_widget_rendering import assert_same_picture, full_drawing, pixels

pytestmark = pytest.mark.filterwarnings("error")
ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "notebooks" / "09-words.ipynb"


@pytest.fixture(scope="module")
def trained():
    return train_lesson_model()


@pytest.fixture
def lab(trained):
    model, vocab = trained
    return NameLab(model, vocab)


def lesson_text(kind):
    cells = json.loads(LESSON.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == kind)
    return text if kind == "code" else " ".join(text.split())   # prose: line breaks do not count


def says(*phrases):
    text = lesson_text("markdown")
    for phrase in phrases:
        assert " ".join(phrase.split()) in text, f"lesson 09 no longer says: {phrase!r}"


def percent(lab, ch):
    return f"{lab.state()['probabilities'][ch]:.0%}"


def likeliest(lab):
    return lab.state()["top"][0][0]


# ---- what a learner does -------------------------------------------------------------

def test_starts_empty_and_reads_the_start_of_a_name(lab):
    state = lab.state()
    assert state["prefix"] == "" and state["context"] == "..." and state["samples"] == []
    assert abs(sum(state["probabilities"].values()) - 1) < 1e-12
    assert '"..."' in lab.message.value
    assert lab.frame()[:8] == b"\x89PNG\r\n\x1a\n"


def test_typing_changes_the_bars_and_the_window_slides(lab, trained):
    model, vocab = trained
    before = lab.frame()
    lab.prefix.value = "ma"
    assert lab.state()["context"] == ".ma" and lab.frame() != before
    lab.prefix.value = "marian"
    state = lab.state()
    assert state["context"] == "ian"
    expected = next_char_probs(model, vocab, "ian")             # only the last 3 count
    assert np.allclose(list(state["probabilities"].values()), expected, rtol=1e-12)
    assert "after \"ian\"" in lab.ax.get_title()


def test_capitals_are_read_as_letters_and_other_characters_are_left_out_with_a_word(lab):
    lab.prefix.value = "Ann"
    assert lab.state()["used_prefix"] == "ann" and lab.state()["dropped"] == []
    lab.prefix.value = "an n3."
    state = lab.state()
    assert state["used_prefix"] == "ann" and state["dropped"] == [" ", ".", "3"]
    assert "only the letters a-z" in lab.message.value and "'3'" in lab.message.value


def test_temperature_sharpens_below_1_and_flattens_above(lab):
    lab.prefix.value = "ann"
    tops = []
    for T in (0.3, 1.0, 3.0):
        lab.temperature.value = T
        tops.append(lab.state()["top"][0][1])
    assert tops[0] > tops[1] > tops[2] > 1 / 27


def test_the_button_samples_10_names_repeatably_under_a_seed(trained):
    model, vocab = trained
    a, b, c = NameLab(model, vocab, seed=5), NameLab(model, vocab, seed=5), NameLab(model, vocab, seed=6)
    a.sample_button.click()
    b.sample_button.click()
    c.sample_button.click()
    assert len(a.state()["samples"]) == 10 and a.state()["samples"] == b.state()["samples"]
    assert a.state()["samples"] != c.state()["samples"]          # another seed, other names
    a.sample_button.click()                                      # the next press: seed 6
    assert a.state()["samples"] == c.state()["samples"] and a.state()["presses"] == 2
    assert "seed 6" in a.sample_list.value
    assert all(re.fullmatch(r"[a-z]*", s) for s in a.state()["samples"])


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(model="my model"), ValueError, "model and vocab must be given together"),
    (dict(vocab="abc"), ValueError, "model and vocab must be given together"),
    (dict(model=mlp([3, 4, 27]), vocab="abc"), TypeError, "vocab must be a Vocabulary"),
    (dict(model=mlp([3, 4, 10]), vocab=Vocabulary(["ann"])), ValueError, "one output per character"),
    (dict(prefix=3), TypeError, "prefix must be a str"),
    (dict(temperature=0), ValueError, "temperature must be between 0.1 and 3"),
    (dict(temperature=0.25), ValueError, "in steps of 0.1"),
    (dict(seed=-1), ValueError, "seed must be 0 or more"),
])
def test_bad_arguments_get_clear_errors(trained, kwargs, error, words):
    if "model" not in kwargs and "vocab" not in kwargs:
        kwargs = dict(kwargs, model=trained[0], vocab=trained[1])
    with pytest.raises(error, match=words):
        NameLab(**kwargs)


def test_without_a_model_it_trains_the_lessons_model(trained):
    lab = NameLab()
    for a, b in zip(lab.model.parameters(), trained[0].parameters()):
        assert np.array_equal(a, b)


# ---- the lesson's model and its numbers, measured ------------------------------------

def test_the_lesson_trains_the_model_the_prompts_were_measured_on():
    code = lesson_text("code")
    m = LESSON_MODEL
    assert (f"model = char_mlp(vocab_size={m['vocab_size']}, context={m['context']}, dim={m['dim']}, "
            f"hidden={m['hidden']}, seed={m['seed']})") in code
    t = LESSON_TRAINING
    assert (f"fit(model, X_train, y_train, loss=\"{t['loss']}\", optimizer=\"{t['optimizer']}\", "
            f"lr={t['lr']}, epochs={t['epochs']},\n              batch_size={t['batch_size']}, "
            f"seed={t['seed']}") in code
    assert "NameLab(model, vocab)" in code


def test_the_lessons_losses_bigram_against_network(trained):
    """The lesson states both held-out losses; the network's is clearly below the counting one."""
    model, vocab = trained
    train_names, test_names = names()
    X_test, y_test = make_pairs(test_names, vocab, context=3)
    from nnlib.language import bigram_counts, bigram_probs
    from nnlib.losses import softmax
    P = bigram_probs(bigram_counts(train_names, vocab), alpha=1.0)
    X1, y1 = make_pairs(test_names, vocab, context=1)
    bigram = nll(P[X1[:, 0].astype(int)], y1)
    network = nll(softmax(model.forward(X_test)), y_test)
    assert f"{bigram:.2f}" == "2.37" and f"{network:.2f}" == "2.29"
    assert bigram - network > 0.05
    says("The network's held-out loss, 2.29, is clearly below the counting model's 2.37",
         "3.30 knowing nothing, 2.37 counting, 2.29 for the network")


def test_the_vowels_cluster_in_the_lessons_embeddings(trained):
    model, vocab = trained
    C = model.layers[0].C
    vowels = [vocab.index[ch] for ch in "aeiou"]
    consonants = [i for i in range(1, 27) if i not in vowels]
    dist = np.linalg.norm(C[:, None] - C[None], axis=2)
    vv = dist[np.ix_(vowels, vowels)][np.triu_indices(5, 1)].mean()
    vc = dist[np.ix_(vowels, consonants)].mean()
    assert (f"{vv:.2f}", f"{vc:.2f}") == ("0.76", "2.00") and vv < vc / 2
    # a, e, o, u and y closer to each other than any consonant but y is to any of them
    near = [vocab.index[ch] for ch in "aeouy"]
    inner = dist[np.ix_(near, near)].max()
    others = [i for i in consonants if vocab.chars[i] != "y"]
    assert dist[np.ix_(near, others)].min() > inner / 2
    says("a vowel is 0.76 from another vowel and 2.00 from a consonant")


def test_the_lessons_reason_an_m_is_followed_by_a_vowel_87_percent_of_the_time():
    from nnlib.language import bigram_counts
    train_names, test_names = names()
    vocab = Vocabulary(train_names + test_names)
    row = bigram_counts(train_names, vocab)[vocab.index["m"]]
    assert f"{sum(row[vocab.index[v]] for v in 'aeiou') / row.sum():.0%}" == "87%"
    assert {"mary", "mira", "merle", "mona"} <= set(train_names)
    says('an "m" is followed by a vowel 87% of the time')


# ---- the lesson's prompts, measured --------------------------------------------------

def test_prompt_the_empty_box(lab):
    assert likeliest(lab) == "m" and percent(lab, "m") == "10%"
    assert max(lab.state()["probabilities"].values()) < 0.105
    says('The empty box gives "m" 10%, and no letter more')


def test_prompt_q(lab):
    lab.prefix.value = "q"
    assert likeliest(lab) == "u" and percent(lab, "u") == "95%"
    says('After `q` the model is sure: "u" 95%', "the 44 times q was followed by u")
    train_names, _ = names()
    assert sum(n.count("qu") for n in train_names) == 44


def test_prompt_ann_and_the_temperature(lab):
    lab.prefix.value = "ann"
    seen = []
    for T in (1.0, 0.5, 2.0):
        lab.temperature.value = T
        seen.append((likeliest(lab), percent(lab, "e")))
    assert seen == [("e", "46%"), ("e", "77%"), ("e", "23%")]
    says('After `ann` the likeliest is "e" (46%)', 'At temperature 0.5 "e" gets 77%, at 2.0 only 23%')


def test_prompt_sampling_at_03_then_20(lab):
    known = set(names()[0])
    lab.temperature.value = 0.3
    cold = lab.sample()
    lab.temperature.value = 2.0
    hot = lab.sample()
    assert {"mel", "saren", "shelina"} <= set(cold) and sum(n in known for n in cold) == 1
    assert sum(n in known for n in hot) == 0
    says("At 0.3 the ten names look ordinary (mel, saren, shelina), 1 of them a real training name",
         "the ten at 2.0 (the second press, seed 1) include no training name")


# ---- pictures ------------------------------------------------------------------------

def test_blitted_frames_equal_full_drawings(trained):
    """Typing and the slider: every blitted frame equals a full drawing."""
    model, vocab = trained
    widget, reference = NameLab(model, vocab), NameLab(model, vocab)
    full_drawing(reference)
    steps = [("prefix", "m"), ("prefix", "ma"), ("temperature", 0.4), ("prefix", "q"),
             ("temperature", 2.5), ("prefix", "")]
    for name, value in steps:
        for w in (widget, reference):
            getattr(w, name).value = value
        assert_same_picture(widget.frame(), reference.frame(), (name, value))


def test_the_picture_shows_one_tall_orange_bar_after_q(lab):
    lab.prefix.value = "q"
    image = pixels(lab.frame())[..., :3]
    orange = np.all(np.abs(image - [255, 127, 14]) < 30, axis=-1)
    blue = np.all(np.abs(image - [31, 119, 180]) < 30, axis=-1)
    rows = np.where(orange.any(axis=1))[0]
    assert orange.sum() > 1000 and blue.sum() < 300           # u at 95%, the rest near 0
    assert rows.max() - rows.min() > 0.6 * image.shape[0]      # almost to the top
    cols = np.where(orange.any(axis=0))[0]
    u_place = lab.vocab.index["u"] / len(lab.vocab)
    assert abs(cols.mean() / image.shape[1] - u_place) < 0.12  # where "u" is on the axis
    assert u_place > 0.7


def test_a_frame_is_at_most_576_pixels_wide(lab):
    assert pixels(lab.frame()).shape[1] <= 576


def test_char_mlp_is_repeatable():
    a, b = char_mlp(seed=3), char_mlp(seed=3)
    assert all(np.array_equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
