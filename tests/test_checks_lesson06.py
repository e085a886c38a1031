"""The checks of exercises/06-putting-it-together.ipynb: right answers pass, stubs say "not
implemented yet", and plausible wrong answers are caught with the failing case and a fitting hint."""
import numpy as np
import pytest

from nnlib.checks import lesson06 as check
from nnlib.checks.base import NotImplementedYet
from nnlib.data import moons, train_test_split
from nnlib.layers import mlp
from nnlib.losses import bce_with_logits, bce_with_logits_grad, mse, mse_grad
from nnlib.optim import SGD, Adam, Momentum
from nnlib.train import TrainingDiverged, fit, train_step
from tests.check_helpers import failure, stub


@pytest.mark.parametrize("check_fn", [check.dense_backward, check.count_parameters, check.train,
                                      lambda fn: check.moons_model(fn, draw=False)])
def test_untouched_stub_is_not_implemented_yet(check_fn):
    with pytest.raises(NotImplementedYet, match="not implemented yet") as info:
        check_fn(stub)
    lines = info.value._render_traceback_()
    assert len(lines) == 1 and lines[0].startswith("⏳")


# ---- task 1: dense_backward ------------------------------------------------------

def dense_backward(X, W, z, da, f_prime):
    dz = da * f_prime(z)
    return X.T @ dz, dz.sum(axis=0), dz @ W.T


def test_the_reference_is_the_four_formulas():
    for i, (label, X, W, b, da, activation) in enumerate(check.DENSE_CASES):
        X_, W_, z, da_, f_prime = check.dense_case(i)
        assert np.allclose(z, X @ W + b)
        ours = dense_backward(X_, W_, z, da_, f_prime)
        for mine, nnlibs in zip(ours, check._dense_reference(X, W, b, da, activation)):
            assert mine.shape == nnlibs.shape and np.allclose(mine, nnlibs, rtol=1e-12, atol=1e-12)


def test_dense_backward_right_answers_pass(capsys):
    check.dense_backward(dense_backward)

    def by_loops(X, W, z, da, f_prime):  # lesson 06's entry-by-entry sums
        dz = da * f_prime(z)
        n, k = X.shape
        m = W.shape[1]
        dW, db, dX = np.zeros((k, m)), np.zeros(m), np.zeros((n, k))
        for i in range(n):
            for j in range(m):
                db[j] += dz[i, j]
                for p in range(k):
                    dW[p, j] += X[i, p] * dz[i, j]
                    dX[i, p] += dz[i, j] * W[p, j]
        return [dW, db, dX]
    check.dense_backward(by_loops)

    def in_place(X, W, z, da, f_prime):  # changing its inputs does not spoil the check
        da *= f_prime(z)
        return np.dot(X.T, da), np.sum(da, axis=0), np.dot(da, W.T)
    check.dense_backward(in_place)
    assert capsys.readouterr().out.count("✅ RIGHT · dense_backward: right — 8 cases") == 3


def dz_of(z, da, f_prime):
    return da * f_prime(z)


@pytest.mark.parametrize("wrong, part, hint", [
    (lambda X, W, z, da, fp: (dz_of(z, da, fp).T @ X, dz_of(z, da, fp).sum(0), dz_of(z, da, fp) @ W.T),
     "dW is wrong", "dz.T @ X is its transpose"),
    (lambda X, W, z, da, fp: (X.T @ da, da.sum(0), da @ W.T),
     "dW is wrong", "go through the activation first: dz = da * f_prime(z), then dW"),
    (lambda X, W, z, da, fp: (X.T @ dz_of(z, da, fp) / len(X), dz_of(z, da, fp).sum(0),
                              dz_of(z, da, fp) @ W.T),
     "dW is wrong", "do not divide by n"),
    (lambda X, W, z, da, fp: (X.T @ dz_of(z, da, fp), dz_of(z, da, fp).mean(0), dz_of(z, da, fp) @ W.T),
     "db is wrong", "sum, not mean"),
    (lambda X, W, z, da, fp: (X.T @ dz_of(z, da, fp), dz_of(z, da, fp).sum(1), dz_of(z, da, fp) @ W.T),
     "db is wrong", "axis=1 sums over the neurons"),
    (lambda X, W, z, da, fp: (X.T @ dz_of(z, da, fp), dz_of(z, da, fp).sum(), dz_of(z, da, fp) @ W.T),
     "db is wrong", "not the sum of everything"),
    (lambda X, W, z, da, fp: (X.T @ dz_of(z, da, fp), dz_of(z, da, fp).sum(0, keepdims=True),
                              dz_of(z, da, fp) @ W.T),
     "db is wrong", "without keepdims=True"),
    (lambda X, W, z, da, fp: (X.T @ dz_of(z, da, fp), da.sum(0), dz_of(z, da, fp) @ W.T),
     "db is wrong", "then db = dz.sum(axis=0)"),
    (lambda X, W, z, da, fp: (X.T @ dz_of(z, da, fp), dz_of(z, da, fp).sum(0), da @ W.T),
     "dX is wrong", "then dX = dz @ W.T"),
])
def test_dense_backward_wrong_answers_name_the_case_and_the_mistake(wrong, part, hint):
    text = failure(check.dense_backward, wrong)
    assert text.startswith("dense_backward(X, W, z, da, tanh_prime): case 1 of 8, the lesson's XOR example")
    assert "shapes: X (4, 2), W (2, 3), z and da (4, 3)" in text
    assert part in text and "expected:" in text and "got:" in text
    assert f"hint: {hint}" in text or hint in text.split("hint:", 1)[1]
    assert "check.dense_case(0)" in text


def test_dense_backward_dX_through_the_wrong_product_crashes_with_a_shape_hint():
    text = failure(check.dense_backward,
                   lambda X, W, z, da, fp: (X.T @ dz_of(z, da, fp), dz_of(z, da, fp).sum(0),
                                            dz_of(z, da, fp) @ W))
    assert "case 1 of 8" in text and "raised ValueError" in text
    assert "hint: a matrix product does not fit" in text and "dX = dz @ W.T is (n, m)(m, k)" in text


def test_dense_backward_dX_mistake_on_a_square_W_is_named():
    def wrong(X, W, z, da, fp):  # dz @ W fits only when W is square: crash first, unless k == m
        dz = dz_of(z, da, fp)
        dX = dz @ W if W.shape[0] == W.shape[1] else dz @ W.T
        return X.T @ dz, dz.sum(0), dX
    text = failure(check.dense_backward, wrong)
    assert "case 6 of 8, a square W" in text and "dX is wrong" in text
    assert "from dz (n, m) and W (k, m) that is dz @ W.T" in text


def test_dense_backward_mean_is_caught_although_a_single_sample_hides_it():
    # with n = 1, mean and sum agree; the lesson's first case (n = 4) catches it
    text = failure(check.dense_backward,
                   lambda X, W, z, da, fp: (X.T @ dz_of(z, da, fp) / len(X),
                                            dz_of(z, da, fp).mean(0), dz_of(z, da, fp) @ W.T))
    assert "case 1 of 8" in text and "dW is wrong" in text


@pytest.mark.parametrize("wrong, hint", [
    (lambda X, W, z, da, fp: None, "nothing was returned"),
    (lambda X, W, z, da, fp: X.T @ dz_of(z, da, fp), "return the three gradients as a tuple"),
    (lambda X, W, z, da, fp: (dz_of(z, da, fp).sum(0), X.T @ dz_of(z, da, fp), dz_of(z, da, fp) @ W.T),
     "the order: return (dW, db, dX)"),
])
def test_dense_backward_wrong_return_values_get_a_hint(wrong, hint):
    text = failure(check.dense_backward, wrong)
    assert "case 1 of 8" in text and hint in text


def test_dense_backward_shapes_are_pointed_out():
    text = failure(check.dense_backward,
                   lambda X, W, z, da, fp: (dz_of(z, da, fp).T @ X, dz_of(z, da, fp).sum(0),
                                            dz_of(z, da, fp) @ W.T))
    assert "(shape (3, 2) instead of (2, 3))" in text


# ---- task 2: count_parameters ----------------------------------------------------

def count_parameters(sizes):
    return sum((k + 1) * m for k, m in zip(sizes[:-1], sizes[1:]))


def test_count_parameters_right_answers_pass(capsys):
    check.count_parameters(count_parameters)
    check.count_parameters(lambda s: int(np.sum(np.multiply(np.add(s[:-1], 1), s[1:]))))

    def loop(sizes):
        total = 0
        for i in range(len(sizes) - 1):
            total += sizes[i] * sizes[i + 1] + sizes[i + 1]
        return total
    check.count_parameters(loop)
    out = capsys.readouterr().out
    assert out.count("✅ RIGHT · count_parameters: right — 8 networks") == 3
    assert "101,770 parameters" in out


@pytest.mark.parametrize("wrong, got, hint", [
    (lambda s: sum(k * m for k, m in zip(s[:-1], s[1:])), "88", "the biases are missing"),
    (lambda s: sum(k * m + k for k, m in zip(s[:-1], s[1:])), "106", "one bias per NEURON"),
    (lambda s: sum((k + 1) * (m + 1) for k, m in zip(s[:-1], s[1:])), "126", "(k + 1) * m parameters"),
    (lambda s: sum(k * m for k, m in zip(s[:-1], s[1:])) + sum(s), "107",
     "the inputs are not neurons"),
    (lambda s: sum((s[i] + 1) * s[i + 1] for i in range(len(s) - 2)), "96", "the last layer is missing"),
    (lambda s: sum((s[i] + 1) * s[i + 1] for i in range(1, len(s) - 1)), "81",
     "the first layer is missing"),
    (lambda s: sum((m + 1) * m for m in s[1:]), "146", "connect two neighbouring sizes"),
    (lambda s: int(np.prod(s)), "128", "counts paths through the network"),
    (lambda s: sum(s), "19", "that counts neurons"),
])
def test_count_parameters_wrong_answers_name_the_case_and_the_mistake(wrong, got, hint):
    text = failure(check.count_parameters, wrong)
    assert text.startswith("count_parameters([2, 8, 8, 1]) expected: 105")
    assert f"got: {got}" in text and "hint:" in text and hint in text


def test_count_parameters_off_by_one_loop_crash_gets_a_hint():
    text = failure(check.count_parameters,
                   lambda s: sum((s[i] + 1) * s[i + 1] for i in range(len(s))))
    assert "count_parameters([2, 8, 8, 1]) raised IndexError" in text
    assert "hint: sizes with L + 1 numbers make L layers" in text


def test_count_parameters_a_mistake_that_only_some_networks_show():
    # right for every network with a hidden layer, wrong for [2, 1] (no hidden layer)
    text = failure(check.count_parameters,
                   lambda s: count_parameters(s) if len(s) > 2 else s[0] * s[1])
    assert text.startswith("count_parameters([2, 1]) expected: 3 got: 2")
    assert "the biases are missing" in text


def test_count_parameters_must_return_a_number():
    text = failure(check.count_parameters, lambda s: [(k + 1) * m for k, m in zip(s[:-1], s[1:])])
    assert "count_parameters([2, 8, 8, 1])" in text and "return one whole number" in text


# ---- task 3: train -------------------------------------------------------------

def train(X, y, hidden, lr, epochs, seed):
    model = mlp([X.shape[1], hidden, 1], seed=seed)
    optimizer = SGD(lr=lr)
    losses = []
    for _ in range(epochs):
        z = model.forward(X)
        losses.append(bce_with_logits(z, y))
        model.backward(bce_with_logits_grad(z, y))
        optimizer.step(model.parameters(), model.gradients())
    return model, losses


def loop(X, y, hidden, lr, epochs, seed, *, model_seed=None, loss=(bce_with_logits, bce_with_logits_grad),
         update=lambda p, g, lr: p.__isub__(lr * g), after=False, output="identity", scale=1.0):
    """train with one thing changed: the ways learners go wrong."""
    model = mlp([X.shape[1], hidden, 1], seed=seed if model_seed is None else model_seed,
                output_activation=output)
    loss_fn, loss_grad = loss
    losses = []
    for _ in range(epochs):
        z = model.forward(X)
        L = loss_fn(z, y)
        model.backward(scale * loss_grad(z, y))
        for p, g in zip(model.parameters(), model.gradients()):
            update(p, g, lr)
        losses.append(loss_fn(model.forward(X), y) if after else L)
    return model, losses


def test_the_reference_takes_the_steps_of_train_step_and_fit():
    for label, X, y, hidden, lr, epochs, seed in check.TRAIN_CASES:
        model, losses = check._train_reference(X, y, hidden, lr, epochs, seed)
        other = mlp([X.shape[1], hidden, 1], seed=seed)
        optimizer = SGD(lr=lr)
        assert losses == [train_step(other, X, y, "bce", optimizer) for _ in range(epochs)]
        fitted = mlp([X.shape[1], hidden, 1], seed=seed)
        history = fit(fitted, X, y, lr=lr, epochs=epochs, progress=False)
        assert np.allclose(history.loss, losses, rtol=1e-12)
        for a, b in zip(model.parameters(), fitted.parameters()):
            assert np.allclose(a, b, rtol=1e-12)


def test_train_right_answers_pass(capsys):
    check.train(train)

    def with_train_step(X, y, hidden, lr, epochs, seed):
        model, optimizer = mlp([X.shape[1], hidden, 1], activation="tanh", seed=seed), SGD(lr)
        return model, [train_step(model, X, y, loss="bce", optimizer=optimizer) for _ in range(epochs)]
    check.train(with_train_step)

    def with_fit(X, y, hidden, lr, epochs, seed):
        model = mlp([X.shape[1], hidden, 1], seed=seed)
        return model, fit(model, X, y, lr=lr, epochs=epochs, progress=False).loss
    check.train(with_fit)
    check.train(lambda *a: loop(*a, loss=(naive_bce, bce_with_logits_grad)))  # right, if less stable
    out = capsys.readouterr().out
    assert out.count("✅ RIGHT · train: right — 5 runs match nnlib step for step") == 4
    assert "the loss fell from 0.711 to 0.210 in 60 epochs" in out


MOONS_CASE = "train(X, y, hidden=8, lr=0.5, epochs=60, seed=0) on moons, 75 training points, X (75, 2)"


def no_step(p, g, lr):
    pass


@pytest.mark.parametrize("wrong, case, hint", [
    (lambda *a: loop(*a, update=no_step), MOONS_CASE, "the loss never changes"),
    (lambda *a: loop(*a, update=lambda p, g, lr: p.__iadd__(lr * g)), MOONS_CASE,
     "the loss grows: your update climbs uphill"),
    (lambda *a: loop(*a, after=True), MOONS_CASE, "BEFORE the update"),
    (lambda *a: loop(*a, loss=(mse, mse_grad)), MOONS_CASE, "that is the mean squared error"),
    (lambda *a: loop(*a, output="sigmoid"), MOONS_CASE, "must output logits"),
    (lambda *a: loop(*a, scale=len(a[0])), MOONS_CASE, "n = 75 times too large"),
    (lambda *a: loop(*a, model_seed=0),
     "train(X, y, hidden=4, lr=1.0, epochs=40, seed=1) on the 4 XOR points", "use the seed you are given"),
])
def test_train_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.train, wrong)
    assert text.startswith(case)
    assert "expected losses:" in text and "got losses:" in text and "first difference at epoch" in text
    assert "hint:" in text and hint in text


def test_train_a_model_made_anew_every_epoch_never_learns():
    def fresh_each_epoch(X, y, hidden, lr, epochs, seed):
        optimizer, losses = SGD(lr), []
        for _ in range(epochs):
            model = mlp([X.shape[1], hidden, 1], seed=seed)
            losses.append(train_step(model, X, y, "bce", optimizer))
        return model, losses
    text = failure(check.train, fresh_each_epoch)
    assert text.startswith(MOONS_CASE) and "the loss never changes" in text
    assert "made anew inside the loop" in text


def test_train_another_optimizer_falls_but_off_the_reference_path():
    def momentum(X, y, hidden, lr, epochs, seed):
        model, optimizer = mlp([X.shape[1], hidden, 1], seed=seed), Momentum(lr)
        return model, [train_step(model, X, y, "bce", optimizer) for _ in range(epochs)]
    text = failure(check.train, momentum)
    assert text.startswith(MOONS_CASE) and "your loss falls, good, but not step for step" in text


def test_train_a_fixed_input_size_crashes_on_three_features():
    def two_inputs(X, y, hidden, lr, epochs, seed):
        model, optimizer = mlp([2, hidden, 1], seed=seed), SGD(lr)
        return model, [train_step(model, X, y, "bce", optimizer) for _ in range(epochs)]
    text = failure(check.train, two_inputs)
    assert text.startswith("train(X, y, hidden=5, lr=0.3, epochs=30, seed=2) on 40 points with 3 features")
    assert "raised ValueError" in text and "must take X.shape[1] inputs" in text


def test_train_a_model_kept_between_calls_is_caught():
    kept = {}

    def keeps_its_model(X, y, hidden, lr, epochs, seed):
        key = (X.shape, hidden, seed)
        model = kept.setdefault(key, mlp([X.shape[1], hidden, 1], seed=seed))
        optimizer = SGD(lr)
        return model, [train_step(model, X, y, "bce", optimizer) for _ in range(epochs)]
    text = failure(check.train, keeps_its_model)
    assert text.startswith(MOONS_CASE) and "called a second time with the same arguments" in text


def test_train_a_model_trained_before_the_call_is_named():
    cache = {}

    def one_model_for_all(X, y, hidden, lr, epochs, seed):
        model = cache.setdefault(X.shape, mlp([X.shape[1], hidden, 1], seed=seed))
        optimizer = SGD(lr)
        return model, [train_step(model, X, y, "bce", optimizer) for _ in range(epochs)]
    text = failure(check.train, one_model_for_all)
    assert "seed=5) on moons again, another seed" in text
    assert "the very first loss is already low" in text


@pytest.mark.parametrize("wrong, hint", [
    (lambda *a: train(*a)[::-1], "the order: return (model, losses)"),
    (lambda *a: train(*a)[1], "return two things"),
    (lambda *a: (train(*a)[0], train(*a)[1][1:]), "one loss short"),
    (lambda *a: (train(*a)[0], []), "the list is empty"),
    (lambda *a: (mlp([a[0].shape[1], a[2], 1], seed=a[5]), train(*a)[1]),
     "the model returned is not the trained one"),
])
def test_train_wrong_return_values_get_a_hint(wrong, hint):
    text = failure(check.train, wrong)
    assert text.startswith(MOONS_CASE) and hint in text


def naive_bce(z, y):
    """BCE written straight from the formula: log(0) = -inf once sigmoid(z) rounds to 0 or 1."""
    p = 1 / (1 + np.exp(-z[:, 0]))
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def test_train_a_loss_that_blows_up_is_named():
    # steps 10,000 times too large saturate the network; the naive formula then gives inf or nan
    text = failure(check.train, lambda *a: loop(*a, scale=1e4, loss=(naive_bce, bce_with_logits_grad)))
    assert text.startswith(MOONS_CASE) and "the loss became nan or inf" in text


def test_train_a_missing_optimizer_crash_gets_a_hint():
    text = failure(check.train, lambda X, y, hidden, lr, epochs, seed: (
        None, [train_step(mlp([X.shape[1], hidden, 1], seed=seed), X, y, "bce") for _ in range(epochs)]))
    assert text.startswith(MOONS_CASE) and "raised TypeError" in text
    assert "make the optimizer once, before the loop" in text


# ---- task 4: moons_model ---------------------------------------------------------

def trained(sizes, **settings):
    """A moons_model answer: train mlp(sizes) with fit on the training split."""
    def moons_model():
        X_train, X_test, y_train, y_test = check.moons_split()
        model = mlp(sizes, seed=0)
        fit(model, X_train, y_train, progress=False, **settings)
        return model
    return moons_model


def test_moons_split_is_the_one_the_exercise_prints():
    from nnlib.data import moons, train_test_split
    X, y = moons(n=400, noise=0.2, seed=0)
    ours = train_test_split(X, y, test_ratio=0.25, seed=0)
    for a, b in zip(ours, check.moons_split()):
        assert np.array_equal(a, b)
    assert len(ours[1]) == 100


def test_moons_model_right_answers_pass(capsys):
    check.moons_model(trained([2, 16, 16, 1], lr=0.5, epochs=1000), draw=False)
    check.moons_model(trained([2, 8, 1], optimizer="momentum", lr=0.1, epochs=1000), draw=False)

    def with_own_train():
        X_train, X_test, y_train, y_test = check.moons_split()
        return train(X_train, y_train, 8, 2.0, 1000, 0)[0]
    check.moons_model(with_own_train, draw=False)
    out = capsys.readouterr().out
    assert out.count("✅ RIGHT · moons_model: right — test accuracy") == 3
    assert "test accuracy 99% (99 of 100 test points), training accuracy 97%, " \
           "with mlp([2, 16, 16, 1]) (337 parameters)" in out


@pytest.mark.parametrize("answer, reached, hint", [
    (trained([2, 1], lr=0.5, epochs=300), "test accuracy 89%", "under-fitting"),
    (trained([2, 16, 16, 1], lr=0.05, epochs=100), "test accuracy 87%", "More epochs?"),
    (trained([2, 64, 64, 1], optimizer="adam", lr=0.1, epochs=300), "training accuracy 99%",
     "over-fitting"),
    (trained([2, 16, 16, 1], lr=1e-6, epochs=3), "", "it has hardly learned"),
])
def test_moons_model_below_95_percent_reports_the_accuracy_and_a_hint(answer, reached, hint):
    text = failure(check.moons_model, answer, draw=False)
    assert text.startswith("moons_model(): test accuracy")
    assert reached in text and "needed: at least 95% on the test points" in text
    assert "hint:" in text and hint in text


def test_moons_model_the_underfitting_hint_names_the_remedies():
    text = failure(check.moons_model, trained([2, 16, 16, 1], lr=0.05, epochs=100), draw=False)
    for remedy in ["More epochs?", "A larger learning rate?", "More hidden units", "loss curve"]:
        assert remedy in text


@pytest.mark.parametrize("answer, hint", [
    (lambda: fit(mlp([2, 8, 1]), *check.moons_split()[::2], progress=False), "returned a History"),
    (lambda: train(*check.moons_split()[::2], 8, 0.5, 10, 0), "return only the model"),
    (lambda: "my model", "return the trained numpy model"),
    (lambda: mlp([2, 8, 2]), "2 inputs and 1 output"),
])
def test_moons_model_wrong_return_values_get_a_hint(answer, hint):
    text = failure(check.moons_model, answer, draw=False)
    assert text.startswith("moons_model()") and hint in text


def test_moons_model_stopped_by_the_test_points_is_told_so():
    """The review's learner trains on X_train only, but fit's patience watches X_test: the
    test points choose when to stop. The verdict stays NOT YET; the report names that cause,
    not "it trained on them", and shows the remedy: a validation split of X_train."""
    def moons_model():
        X, y = moons(n=400, noise=0.2, seed=0)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_ratio=0.25, seed=0)
        model = mlp([2, 16, 16, 1], activation="tanh", seed=0)
        fit(model, X_train, y_train, lr=0.5, epochs=1000, progress=False,
            X_test=X_test, y_test=y_test, patience=30)
        return model
    text = failure(check.moons_model, moons_model, draw=False)
    assert text.startswith("moons_model() reached 99% on the test points, but the test points "
                           "chose when to stop (fit got them as X_test, y_test)")
    assert "trained on them" not in text
    assert "fit's patience" in text and "validation split of the training points" in text
    assert "train_test_split(X_train, y_train, test_ratio=0.2, seed=1)" in text


def test_moons_model_with_a_validation_split_for_patience_passes(capsys):
    """The remedy the report gives passes."""
    def moons_model():
        X, y = moons(n=400, noise=0.2, seed=0)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_ratio=0.25, seed=0)
        X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_ratio=0.2, seed=1)
        model = mlp([2, 16, 16, 1], activation="tanh", seed=0)
        fit(model, X_fit, y_fit, lr=0.5, epochs=1000, progress=False,
            X_test=X_val, y_test=y_val, patience=100)
        return model
    check.moons_model(moons_model, draw=False)
    assert "✅ RIGHT · moons_model: right" in capsys.readouterr().out


def test_moons_model_a_learners_own_fit_is_left_alone(capsys):
    """The spy on nnlib's fit must not stand in for a function of the learner's own that is
    also called fit (here with another signature)."""
    from nnlib import train as nnlib_train

    def fit(X, y):
        model = mlp([2, 16, 16, 1], seed=0)
        nnlib_train.fit(model, X, y, lr=0.5, epochs=1000, progress=False)
        return model

    def moons_model():
        X, y = moons(n=400, noise=0.2, seed=0)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_ratio=0.25, seed=0)
        return fit(X_train, y_train)
    check.moons_model(moons_model, draw=False)
    assert "✅ RIGHT · moons_model: right" in capsys.readouterr().out


def train_like_task_3(X, y, hidden, lr, epochs, seed):
    """Task 3's train, as the solution writes it (the learner's own loop)."""
    model, optimizer = mlp([X.shape[1], hidden, 1], seed=seed), SGD(lr=lr)
    for _ in range(epochs):
        z = model.forward(X)
        model.backward(bce_with_logits_grad(z, y))
        optimizer.step(model.parameters(), model.gradients())
    return model, None


TRAINED_ON_TEST = ("but it trained on them: its network took training steps (backward passes) "
                   "on some of the 100 test points")


@pytest.mark.parametrize("how", ["fit, adam", "train_step loop", "fit, all 400", "fit, split then both",
                                 "task 3's train, all 400", "fit, all 400 as float32",
                                 "fit, split then both, test points nudged"])
def test_moons_model_trained_on_the_test_points_is_told_so(how, capsys):
    """Every way of training on the test points through nnlib's layers is caught, also the
    review's cheats: the model answer's own settings (sgd, lr 0.5) on all 400 points.  With
    the 100 test labels flipped such a net still scores about 95% on the real ones (the 300
    unchanged points outvote the flips), so the flip alone let it through as RIGHT."""
    def moons_model():
        X, y = moons(n=400, noise=0.2, seed=0)
        if how.startswith("fit, split then both"):
            X_train, X_test, y_train, y_test = train_test_split(X, y, test_ratio=0.25, seed=0)
            if how.endswith("nudged"):
                X_test = X_test * (1 + 1e-12)
            X, y = np.vstack([X_train, X_test]), np.concatenate([y_train, y_test])
        if how.endswith("float32"):
            X = X.astype(np.float32)
        if how == "task 3's train, all 400":
            return train_like_task_3(X, y, hidden=16, lr=0.5, epochs=1500, seed=0)[0]
        model = mlp([2, 16, 16, 1], seed=0)
        if how == "fit, adam":
            fit(model, X, y, optimizer="adam", lr=0.05, epochs=1500, progress=False)
        elif how == "train_step loop":
            optimizer = Adam(0.05)
            for _ in range(1500):
                train_step(model, X, y, "bce", optimizer)
        else:
            fit(model, X, y, lr=0.5, epochs=1000, progress=False)
        return model
    text = failure(check.moons_model, moons_model, draw=False)
    assert text.startswith("moons_model() reached ") and TRAINED_ON_TEST in text
    assert "hint: train on X_train, y_train only (the 300 training points)" in text
    assert "RIGHT" not in capsys.readouterr().out


def test_moons_model_task_3s_train_on_the_training_points_passes(capsys):
    """The spy on the layers does not blame an honest run of the learner's own loop."""
    def moons_model():
        X, y = moons(n=400, noise=0.2, seed=0)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_ratio=0.25, seed=0)
        return train_like_task_3(X_train, y_train, hidden=16, lr=0.5, epochs=1500, seed=0)[0]
    check.moons_model(moons_model, draw=False)
    assert "✅ RIGHT · moons_model: right" in capsys.readouterr().out


def test_moons_model_learning_from_the_test_points_out_of_the_spys_sight_is_told_by_the_flip():
    """A backward pass the spy cannot see (a method taken before the check ran): the flipped
    test labels still tell, and the hint names both ways test points can shape a model."""
    from nnlib.layers import Dense
    backward = Dense.backward  # the real one, captured now

    def moons_model():
        X, y = moons(n=400, noise=0.2, seed=0)
        model, optimizer = mlp([2, 16, 16, 1], seed=0), Adam(0.05)
        for _ in range(1500):
            da = bce_with_logits_grad(model.forward(X), y)
            for layer in reversed(model.layers):
                da = backward(layer, da)
            optimizer.step(model.parameters(), model.gradients())
        return model
    text = failure(check.moons_model, moons_model, draw=False)
    assert "but it learned from them: when only the test points' labels change" in text
    assert "train on X_train, y_train only" in text and "choose when to stop" in text


def test_moons_model_diverged_training_gets_a_hint():
    def diverges():
        raise TrainingDiverged("loss became nan at epoch 3: the learning rate 100 is probably too large")
    text = failure(check.moons_model, diverges, draw=False)
    assert "moons_model() raised TrainingDiverged" in text and "try 3 to 10 times smaller" in text


def test_moons_model_using_an_unfinished_train_names_it():
    def moons_model():
        X_train, X_test, y_train, y_test = check.moons_split()
        return train_unfinished(X_train, y_train, 8, 0.5, 100, 0)[0]

    def train_unfinished(*args):
        raise NotImplementedError()
    with pytest.raises(NotImplementedYet, match="it uses `train_unfinished`, which is not implemented"):
        check.moons_model(moons_model, draw=False)


# ---- found by a mutation audit: behaviour no test pinned down ----------------

def test_count_parameters_that_builds_the_network_is_refused():
    def by_building(sizes):  # right numbers, but the task says: count from the sizes alone
        return sum(int(np.size(p)) for p in mlp(sizes).parameters())

    text = failure(check.count_parameters, by_building)
    assert text.startswith("count_parameters([2, 8, 8, 1]) builds the network")
    assert "count from the sizes alone" in text


def test_train_a_loss_that_rises_off_the_known_paths_is_called_rising():
    # Uphill at twice the speed: no known mistake gives these losses, but they rise.
    text = failure(check.train, lambda *a: loop(*a, update=lambda p, g, lr: p.__iadd__(2 * lr * g)))
    assert text.startswith(MOONS_CASE)
    assert "hint: the loss grows: your update climbs uphill" in text


def test_train_a_flat_loss_off_the_known_paths_is_called_flat():
    def frozen(X, y, hidden, lr, epochs, seed):  # another seed AND no update: flat, but not seed's
        return loop(X, y, hidden, lr, epochs, seed + 100, update=no_step)

    text = failure(check.train, frozen)
    assert text.startswith(MOONS_CASE) and "hint: the loss never changes" in text


def test_moons_model_with_weights_blown_up_gets_the_too_large_lr_hint():
    def blown_up():
        model = mlp([2, 16, 1], seed=0)
        for p in model.parameters():
            p *= 5000.0  # what a far too large learning rate leaves behind
        return model

    text = failure(check.moons_model, blown_up, draw=False)
    assert "needed: at least 95%" in text
    assert "hint: the weights blew up" in text and "far too LARGE" in text
