"""A tiny character-level language model (lesson 09): names, one letter at a time.

The task: given the last k characters of a name, give the probabilities of the
next one.  Written names become numbers through a vocabulary, and a name is
framed by a start/end token "." :  "ann" is read as  . a n n .

    pairs        context "..." -> "a",  "..a" -> "n",  ".an" -> "n",  "ann" -> "."
                 (context = the k characters before, "." padding the start)

Two models are compared on names they never saw:

    bigram       count how often each character follows each other one:
                     P[a, b] = (N[a, b] + alpha) / sum over c of (N[a, c] + alpha)
                 alpha > 0 ("smoothing") keeps every probability above 0
    neural       Bengio et al. (2003): look up a learned vector (an embedding) for
                 each of the k context characters, put them side by side, one
                 tanh hidden layer, then one logit per character and softmax:
                     E = [C[x_1], ..., C[x_k]]      (n, k * d)
                     h = tanh(E W1 + b1),  z = h W2 + b2,  p = softmax(z)

Both are scored with the same loss, the mean negative log-likelihood of the
true next characters,   L = -(1/n) sum_i log p_i[y_i]   (lesson 08's
cross-entropy).  A model that knows nothing gives 1/27 to each of the 27
characters: L = log 27 = 3.30.

New names are sampled one character at a time, each drawn from
softmax(z / T): the temperature T < 1 sharpens the probabilities, T > 1
flattens them.

Everything here is plain numpy; the Embedding layer plugs into
nnlib.layers.Sequential and nnlib.train.fit like a Dense layer.
"""
import numpy as np

from nnlib import validate
from nnlib.layers import Dense, Sequential, _make_rng
from nnlib.losses import softmax

START_END = "."  # marks both the start and the end of a name


# ------------------------------------------------------------ characters --

class Vocabulary:
    """The characters a model knows, each with its number.

    Vocabulary(names): "." is number 0, then every letter that occurs in the
    names, in alphabetical order ("a" = 1, ..., "z" = 26 for the course's names).

        vocab.chars          [".", "a", "b", ...]
        vocab.index          {".": 0, "a": 1, ...}
        vocab.encode("ann")  [1, 14, 14]
        vocab.decode([1, 14, 14])  "ann"
        len(vocab)           27
    """

    def __init__(self, names):
        names = check_names(names, "names")
        letters = sorted(set("".join(names)))
        if START_END in letters:
            raise ValueError(f"names must not contain {START_END!r}: it marks the start and "
                             "the end of a name")
        self.chars = [START_END] + letters
        self.index = {ch: i for i, ch in enumerate(self.chars)}

    def __len__(self):
        return len(self.chars)

    def encode(self, text, name="text"):
        """The number of each character of text, a list of int (name: how errors call text)."""
        if not isinstance(text, str):
            raise TypeError(f"{name} must be a str, got {type(text).__name__}")
        unknown = sorted(set(text) - set(self.index))
        if unknown:
            raise ValueError(f"{name} must use only the characters this vocabulary knows, "
                             f"{''.join(self.chars)}; got {unknown}")
        return [self.index[ch] for ch in text]

    def decode(self, ids):
        """The characters of a sequence of numbers, as one str."""
        return "".join(self.chars[validate.check_int(int(i) if isinstance(i, np.integer) else i,
                                                     "ids[...]", 0, len(self) - 1)]
                       for i in ids)

    def __repr__(self):
        return f"Vocabulary({len(self)} characters: {''.join(self.chars)})"


def check_names(names, name="names"):
    """A non-empty list of non-empty str."""
    if isinstance(names, str) or not isinstance(names, (list, tuple)):
        raise TypeError(f"{name} must be a list of str such as ['ann', 'bo'], "
                        f"got {type(names).__name__}")
    if not names:
        raise ValueError(f"{name} is empty: it needs at least one name")
    for i, word in enumerate(names):
        if not isinstance(word, str) or not word:
            raise TypeError(f"{name}[{i}] must be a non-empty str, got {word!r}")
    return list(names)


def make_pairs(names, vocab, context=3):
    """Every (context, next character) pair of every name: X (n, context), y (n,).

    Each name is framed by "." : the context starts as "." * context, and
    after each character slides one step left (oldest character dropped, the
    newest at the right end).  A name of m letters gives m + 1 pairs, the last
    one predicting "." (the name ends).  For "ann" with context 3:

        ...  -> a      ..a -> n      .an -> n      ann -> .

    X holds the characters' numbers (as float64, so that nnlib's checks and
    fit take it like any input; every value is a whole number), y the numbers
    of the next characters (int64).
    """
    names = check_names(names)
    if not isinstance(vocab, Vocabulary):
        raise TypeError(f"vocab must be a Vocabulary (Vocabulary(names)), "
                        f"got {type(vocab).__name__}")
    context = validate.check_int(context, "context", 1, 20)
    X, y = [], []
    for n, word in enumerate(names):
        window = [0] * context                  # "..." : the start
        for i in vocab.encode(word, f"names[{n}]") + [0]:   # every letter, then "." (the end)
            X.append(window)
            y.append(i)
            window = window[1:] + [i]           # slide: drop the oldest, add the newest
    return np.array(X, dtype=np.float64), np.array(y, dtype=np.int64)


# ---------------------------------------------------------------- losses --

def nll(P, y):
    """Mean negative log-likelihood:  L = -(1/n) sum_i log P[i, y_i].

    P  (n, V): each row the probabilities a model gives the next character
    y  (n,):   the number of the character that really came next
    The same as lesson 08's softmax cross-entropy, computed from probabilities.
    A true character given probability 0 makes L = inf (log 0 = -inf): the
    model called impossible what really happened, which no finite loss says.
    """
    P = validate.as_array(P, "P", ndim=2, shape_hint="(n_samples, n_characters)")
    y = validate.check_labels(y, "y", n_classes=P.shape[1], n_samples=P.shape[0])
    if P.min() < 0 or P.max() > 1:
        raise ValueError("P must hold probabilities, between 0 and 1")
    with np.errstate(divide="ignore"):      # log 0 = -inf, on purpose: L = inf (docstring)
        return float(-np.mean(np.log(P[np.arange(len(y)), y])))


# ---------------------------------------------------------------- bigram --

def bigram_counts(names, vocab):
    """N (V, V): N[a, b] = how often character b follows character a in the names
    (with "." before the first letter and after the last)."""
    X, y = make_pairs(names, vocab, context=1)
    N = np.zeros((len(vocab), len(vocab)), dtype=np.int64)
    np.add.at(N, (X[:, 0].astype(np.intp), y), 1)   # one more for each pair (a, b)
    return N


def bigram_probs(N, alpha=1.0):
    """P[a, b] = (N[a, b] + alpha) / sum over c of (N[a, c] + alpha).

    Each row holds the probabilities of the character after a, summing to 1.
    alpha = 0: the raw frequencies (a pair never seen gets probability 0);
    alpha > 0 adds alpha imagined sightings of every pair ("add-alpha smoothing").
    """
    N = validate.as_array(N, "N", ndim=2, shape_hint="(V, V)")
    if N.shape[0] != N.shape[1]:
        raise ValueError(f"N must be a square table of counts (V, V), got shape {N.shape}")
    if N.min() < 0:
        raise ValueError(f"N must hold counts, 0 or more, got {N.min():g}")
    alpha = validate.check_number(alpha, "alpha")
    if alpha < 0:
        raise ValueError(f"alpha must be 0 or more, got {alpha}")
    counts = N + alpha
    totals = counts.sum(axis=1, keepdims=True)
    if np.any(totals == 0):
        raise ValueError("N needs at least one count in every row (a character never followed "
                         "by anything has no probabilities): or use alpha > 0")
    return counts / totals


# ------------------------------------------------------------- embedding --

class Embedding:
    """A table of learned vectors, one row per character: C (V, d).

    forward(X): X (n, k) holds k character numbers per sample; the output puts
    their rows side by side,   E[i] = [C[X[i, 0]], ..., C[X[i, k-1]]]   (n, k * d).
    Looking up row j is the same as multiplying the one-hot vector of j by C
    (a Dense layer without bias on one-hot inputs): onehot(j) @ C = C[j].
    Only the lookup is done, since it skips V - 1 multiplications by 0.

    backward(dE): each output row-piece came from one row of C, so its gradient
    is ADDED to that row:   dC[j] = sum of dE's pieces at every place where
    character j was looked up.  A character used twice (the "n"s of "ann")
    collects two contributions, like a Value used twice in lesson 05.
    (np.add.at adds them up; dC[X] += dE.reshape(n, k, d) would keep only one of them.)
    X is data, not a weight: backward returns no gradient for it.
    """

    def __init__(self, vocab_size, dim, context, seed=0, rng=None):
        self.vocab_size = validate.check_positive_int(vocab_size, "vocab_size")
        self.dim = validate.check_positive_int(dim, "dim")
        self.context = validate.check_positive_int(context, "context")
        self.n_in, self.n_out = self.context, self.context * self.dim
        self.C = _make_rng(seed, rng).normal(0.0, 1.0, size=(self.vocab_size, self.dim))
        self.dC = np.zeros_like(self.C)
        self.X = None

    def forward(self, X):
        """E = the rows C[X[i, j]] side by side: (n, context * dim)."""
        X = validate.as_batch(X, "X", self.context)
        ix = X.astype(np.intp)
        if np.any(ix != X) or ix.min() < 0 or ix.max() >= self.vocab_size:
            raise ValueError(f"X must hold character numbers, whole numbers from 0 to "
                             f"{self.vocab_size - 1}")
        self.X = ix
        return self.C[ix].reshape(len(ix), self.n_out)

    __call__ = forward

    def backward(self, dE, need_dX=False):
        """dC[j] = sum of the gradient pieces of every lookup of j (in place); returns None."""
        if self.X is None:
            raise ValueError("backward(dE) needs the X stored by forward(X): call forward first")
        dE = validate.as_float_array(dE, "dE")
        if dE.shape != (len(self.X), self.n_out):
            raise ValueError(f"dE must have the shape of this layer's output, "
                             f"{(len(self.X), self.n_out)}, got {dE.shape}")
        self.dC[...] = 0.0
        # One (n, k, d) piece per lookup; add.at adds them ALL, repeats included.
        np.add.at(self.dC, self.X, dE.reshape(len(self.X), self.context, self.dim))
        return None

    def parameters(self):
        """[C]: the table itself (changing it changes the layer)."""
        return [self.C]

    def gradients(self):
        """[dC] from the last backward(), matching parameters()."""
        return [self.dC]

    def __repr__(self):
        return f"Embedding(vocab_size={self.vocab_size}, dim={self.dim}, context={self.context})"


def char_mlp(vocab_size=27, context=3, dim=2, hidden=64, seed=0):
    """The neural model: Embedding -> Dense(tanh) -> Dense (logits), a Sequential.

    Input: X (n, context) of character numbers.  Output: (n, vocab_size) logits,
    for fit(..., loss="softmax_ce").  All weights come from one generator made
    from seed, so the same seed gives the same model.
    """
    context = validate.check_positive_int(context, "context")
    dim = validate.check_positive_int(dim, "dim")
    hidden = validate.check_positive_int(hidden, "hidden")
    rng = _make_rng(seed, None)
    return Sequential([Embedding(vocab_size, dim, context, rng=rng),
                       Dense(context * dim, hidden, activation="tanh", rng=rng),
                       Dense(hidden, vocab_size, activation="identity", rng=rng)])


# -------------------------------------------------------------- sampling --

def with_temperature(z, temperature):
    """softmax(z / T) for the logits z (V,) of one step: the next character's probabilities.

    T = 1: the model's own probabilities.  T < 1 divides by a small number:
    differences between logits grow, the likeliest characters win more often
    (T -> 0: always the likeliest; tied ones share).  T > 1 shrinks them:
    closer to uniform.
    """
    z = validate.as_array(z, "z", ndim=1, shape_hint="(n_characters,)")
    temperature = validate.check_number(temperature, "temperature")
    if temperature <= 0:
        raise ValueError(f"temperature must be above 0, got {temperature}")
    # Shift first, so that the largest logit is 0 and the others are below: then a
    # tiny T sends the others to -inf (probability exactly 0), and never makes
    # the largest +inf (inf - inf = nan).  The shift changes nothing else: it
    # cancels in the softmax.
    with np.errstate(over="ignore"):    # overflow to -inf is the right limit here
        shifted = (z - z.max()) / temperature
    return softmax(shifted.reshape(1, -1))[0]


def _check_model_and_vocab(model, vocab):
    """The model must give one logit per character of the vocabulary."""
    if not isinstance(vocab, Vocabulary):
        raise TypeError(f"vocab must be a Vocabulary (Vocabulary(names)), "
                        f"got {type(vocab).__name__}")
    n_out = getattr(model, "n_out", None)
    if n_out != len(vocab):
        raise ValueError(f"vocab has {len(vocab)} characters but the model gives {n_out} "
                         f"logits: pass the vocabulary the model was made for, or make "
                         f"the model with char_mlp({len(vocab)})")


def next_char_probs(model, vocab, prefix, temperature=1.0):
    """The model's probabilities for the character after prefix (a str, may be ""),
    at a temperature: a (V,) array that sums to 1."""
    _check_model_and_vocab(model, vocab)
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be a str, got {type(prefix).__name__}")
    ids = vocab.encode(prefix, "prefix")
    k = model.n_in
    window = ([0] * k + ids)[-k:]               # "." padding, then the last k characters
    z = model.forward(np.array([window], dtype=np.float64))[0]
    return with_temperature(z, temperature)


def sample_names(model, vocab, n=10, temperature=1.0, seed=0, max_len=20):
    """n new names: start from "." * k, draw the next character from
    softmax(z / T), slide the window, stop at "." (or after max_len letters).

    Repeatable: the draws come from np.random.default_rng(seed).
    """
    _check_model_and_vocab(model, vocab)
    n = validate.check_positive_int(n, "n")
    max_len = validate.check_positive_int(max_len, "max_len")
    temperature = validate.check_number(temperature, "temperature")
    if temperature <= 0:
        raise ValueError(f"temperature must be above 0, got {temperature}")
    rng = np.random.default_rng(validate.check_seed(seed))
    k = model.n_in
    out = []
    for _ in range(n):
        window, letters = [0] * k, []
        while len(letters) < max_len:
            z = model.forward(np.array([window], dtype=np.float64))[0]
            i = int(rng.choice(len(vocab), p=with_temperature(z, temperature)))
            if i == 0:                          # "." : the name ends
                break
            letters.append(i)
            window = window[1:] + [i]
        out.append(vocab.decode(letters))
    return out
