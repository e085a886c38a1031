"""nnlib.regularization (L2 weight decay) and fit's l2 and patience (early stopping)."""
import numpy as np
import pytest

from nnlib.data import make_dataset, train_test_split
from nnlib.layers import mlp
from nnlib.regularization import add_l2_grad, l2_grad, l2_penalty
from nnlib.train import fit


def params():
    rng = np.random.default_rng(0)
    return [rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 1)), rng.normal(size=1)]


def test_the_penalty_counts_weights_not_biases():
    ps = params()
    expected = 0.5 * 0.1 * (np.sum(ps[0] ** 2) + np.sum(ps[2] ** 2))
    assert l2_penalty(ps, 0.1) == pytest.approx(expected)
    assert l2_penalty(ps, 0.0) == 0.0


def test_the_gradient_is_the_slope_of_the_penalty():
    """A central-difference check of every entry (lesson 05's gradient check)."""
    ps, lam, h = params(), 0.3, 1e-6
    grads = l2_grad(ps, lam)
    for i, p in enumerate(ps):
        assert grads[i].shape == p.shape
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = l2_penalty(ps, lam)
            p[idx] = old - h
            down = l2_penalty(ps, lam)
            p[idx] = old
            assert grads[i][idx] == pytest.approx((up - down) / (2 * h), abs=1e-6)
    assert np.all(grads[1] == 0) and np.allclose(grads[0], lam * ps[0])


def test_add_l2_grad_adds_in_place():
    ps = params()
    gs = [np.ones_like(p) for p in ps]
    add_l2_grad(ps, gs, 0.5)
    assert np.allclose(gs[0], 1 + 0.5 * ps[0]) and np.all(gs[1] == 1)


@pytest.mark.parametrize("lam, error", [(-1.0, ValueError), ("0.1", TypeError), (np.nan, ValueError)])
def test_bad_lam_is_named(lam, error):
    with pytest.raises(error, match="lam"):
        l2_penalty(params(), lam)


def overfit_data():
    X, y = make_dataset("moons", n=80, noise=0.35, seed=0)
    return train_test_split(X, y, test_ratio=0.5, seed=0)


def test_weight_decay_keeps_weights_small_and_closes_the_gap():
    X_tr, X_te, y_tr, y_te = overfit_data()
    runs = {}
    for lam in (0.0, 0.01):
        net = mlp([2, 32, 32, 1], seed=0)
        h = fit(net, X_tr, y_tr, optimizer="momentum", lr=0.1, epochs=600, X_test=X_te,
                y_test=y_te, progress=False, l2=lam)
        runs[lam] = (net, h)
    size = {lam: sum(np.sum(W ** 2) for W in net.parameters() if W.ndim == 2)
            for lam, (net, h) in runs.items()}
    assert size[0.01] < size[0.0] / 3
    gap = {lam: h.test_loss[-1] - h.loss[-1] for lam, (net, h) in runs.items()}
    assert gap[0.01] < gap[0.0] / 2


def test_l2_step_is_the_data_step_plus_lam_w():
    X_tr, _, y_tr, _ = overfit_data()
    a, b = mlp([2, 4, 1], seed=1), mlp([2, 4, 1], seed=1)
    W_before = [p.copy() for p in a.parameters()]
    fit(a, X_tr, y_tr, lr=0.1, epochs=1, progress=False)
    fit(b, X_tr, y_tr, lr=0.1, epochs=1, progress=False, l2=0.2)
    for pa, pb, p0 in zip(a.parameters(), b.parameters(), W_before):
        extra = -0.1 * 0.2 * p0 if p0.ndim == 2 else 0.0
        assert np.allclose(pb, pa + extra)


def test_early_stopping_stops_after_patience_and_restores_the_best_weights():
    X_tr, X_te, y_tr, y_te = overfit_data()
    net = mlp([2, 32, 32, 1], seed=0)
    h = fit(net, X_tr, y_tr, optimizer="momentum", lr=0.1, epochs=2000, X_test=X_te,
            y_test=y_te, progress=False, patience=200)
    assert h.stopped_early and h.epochs == h.best_epoch + 200
    assert h.test_loss[h.best_epoch - 1] == min(h.test_loss)
    # The same run without early stopping, stopped at the best epoch, has the same weights.
    again = mlp([2, 32, 32, 1], seed=0)
    fit(again, X_tr, y_tr, optimizer="momentum", lr=0.1, epochs=h.best_epoch, progress=False)
    assert all(np.allclose(p, q) for p, q in zip(net.parameters(), again.parameters()))


def test_without_a_stop_the_best_weights_still_come_back():
    X_tr, X_te, y_tr, y_te = overfit_data()
    net = mlp([2, 32, 32, 1], seed=0)
    h = fit(net, X_tr, y_tr, optimizer="momentum", lr=0.1, epochs=300, X_test=X_te,
            y_test=y_te, progress=False, patience=1000)
    assert not h.stopped_early and h.epochs == 300 and h.best_epoch < 300
    again = mlp([2, 32, 32, 1], seed=0)
    fit(again, X_tr, y_tr, optimizer="momentum", lr=0.1, epochs=h.best_epoch, progress=False)
    assert all(np.allclose(p, q) for p, q in zip(net.parameters(), again.parameters()))


class _Frozen:
    """An optimizer object that changes nothing: the held-out loss stays the same."""
    lr = 0.1

    def step(self, params, grads):
        pass


def test_an_equal_held_out_loss_is_not_a_new_best():
    """patience counts the epochs since the loss last went BELOW its best: a loss that
    only equals it (here every epoch's, the weights never move) is no improvement."""
    X_tr, X_te, y_tr, y_te = overfit_data()
    h = fit(mlp([2, 4, 1]), X_tr, y_tr, optimizer=_Frozen(), epochs=50, X_test=X_te,
            y_test=y_te, progress=False, patience=3)
    assert len(set(h.test_loss)) == 1
    assert h.best_epoch == 1 and h.stopped_early and h.epochs == 4


@pytest.mark.parametrize("kwargs, error, words", [
    ({"patience": 5}, ValueError, "X_test and y_test"),
    ({"patience": 0}, ValueError, "patience"),
    ({"l2": -0.1}, ValueError, "l2"),
    ({"l2": "big"}, TypeError, "l2")])
def test_bad_options_are_named(kwargs, error, words):
    X_tr, _, y_tr, _ = overfit_data()
    with pytest.raises(error, match=words):
        fit(mlp([2, 3, 1]), X_tr, y_tr, epochs=2, progress=False, **kwargs)
