"""Neuron, Layer and MLP built from Values."""
import pytest

from nnlib.engine import Value
from nnlib.nn import MLP, Layer, Neuron


def test_neuron_computes_activation_of_weighted_sum():
    n = Neuron(2, activation="tanh")
    n.w[0].data, n.w[1].data, n.b.data = 0.5, -1.0, 0.25
    out = n([2.0, 1.0])
    assert out.data == pytest.approx(__import__("math").tanh(0.5 * 2 - 1.0 + 0.25))


def test_backward_reaches_every_weight_and_the_bias():
    """z = w . x + b:  dz/dw_i = x_i and dz/db = 1 (a linear neuron, so a = z)."""
    n = Neuron(3, activation="linear")
    x = [2.0, -1.0, 0.5]
    n(x).backward()
    assert [w.grad for w in n.w] == x
    assert n.b.grad == 1.0


def test_weights_start_uniform_in_minus_1_to_1_and_biases_at_0():
    """MLP's docstring: weights uniform in [-1, 1]; so about half of them are negative."""
    params = MLP(2, [16, 16, 1], seed=0).parameters()
    weights = [p.data for p in params if p.label == "w"]
    biases = [p.data for p in params if p.label == "b"]
    assert len(weights) == 2 * 16 + 16 * 16 + 16 and len(biases) == 16 + 16 + 1
    assert all(-1.0 <= w <= 1.0 for w in weights)
    assert 0.4 < sum(w < 0 for w in weights) / len(weights) < 0.6
    assert max(weights) > 0.9 and min(weights) < -0.9
    assert biases == [0.0] * len(biases)


@pytest.mark.parametrize("activation", ["linear", "relu", "tanh", "sigmoid"])
def test_every_activation_is_selectable(activation):
    n = Neuron(3, activation=activation)
    assert isinstance(n([1.0, 2.0, 3.0]), Value)


def test_layer_always_returns_a_list_even_for_one_output():
    out = Layer(3, 1)([1.0, 2.0, 3.0])
    assert isinstance(out, list) and len(out) == 1
    assert len(Layer(3, 4)([1.0, 2.0, 3.0])) == 4
    assert len(MLP(2, [3, 1])([1.0, 2.0])) == 1


def test_parameter_count_and_zero_grad():
    model = MLP(2, [16, 16, 1])
    params = model.parameters()
    assert len(params) == (2 + 1) * 16 + (16 + 1) * 16 + (16 + 1) * 1
    loss = model([0.5, -0.5])[0] ** 2
    loss.backward()
    assert any(p.grad != 0 for p in params)
    model.zero_grad()
    assert all(p.grad == 0 for p in params)


def test_same_seed_same_weights_and_different_seed_different_weights():
    a = [p.data for p in MLP(2, [4, 1], seed=3).parameters()]
    b = [p.data for p in MLP(2, [4, 1], seed=3).parameters()]
    c = [p.data for p in MLP(2, [4, 1], seed=4).parameters()]
    assert a == b and a != c


def test_hidden_layers_use_activation_and_last_layer_is_linear_by_default():
    model = MLP(2, [3, 3, 1], activation="tanh")
    assert [n.activation for n in model.layers[0].neurons] == ["tanh"] * 3
    assert model.layers[-1].neurons[0].activation == "linear"
    relu_by_default = MLP(2, [3, 1])       # micrograd's choice: relu hidden, linear output
    assert [n.activation for n in relu_by_default.layers[0].neurons] == ["relu"] * 3


def test_an_mlp_learns_xor_with_gradient_descent():
    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    y = [0.0, 1.0, 1.0, 0.0]
    model = MLP(2, [4, 1], activation="tanh", seed=1)

    def loss_now():
        return sum((model(x)[0] - t) ** 2 for x, t in zip(X, y)) * 0.25

    first = loss_now().data
    for _ in range(300):
        loss = loss_now()
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.2 * p.grad
    assert loss_now().data < 0.05 < first
    assert [round(model(x)[0].data) for x in X] == [0, 1, 1, 0]


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: Neuron(0), ValueError, "n_inputs must be at least 1"),
        (lambda: Layer(2, -1), ValueError, "n_outputs must be at least 1"),
        (lambda: MLP(2, [3, 0]), ValueError, "layer_sizes"),
        (lambda: MLP(2, []), ValueError, "layer_sizes"),
        (lambda: MLP(2, 3), ValueError, "layer_sizes"),
        (lambda: MLP(2, [2.5]), TypeError, "layer_sizes"),
        (lambda: Neuron(2, activation="softmax"), ValueError, "unknown activation 'softmax'"),
        (lambda: Neuron(2)([1.0]), ValueError, "x must have 2 inputs"),
    ],
)
def test_bad_input_gets_a_clear_message(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_identity_is_another_name_for_linear_as_in_nnlib_layers():
    a = MLP(2, [3, 1], activation="identity", output_activation="identity", seed=4)
    b = MLP(2, [3, 1], activation="linear", output_activation="linear", seed=4)
    x = [0.7, -2.0]
    assert a(x)[0].data == b(x)[0].data
    # stored and shown under this module's own name, so printed models do not change
    assert repr(a) == repr(b) and "linear" in repr(a) and "identity" not in repr(a)
    assert Neuron(2, activation="identity").activation == "linear"
    with pytest.raises(ValueError, match=r"unknown output_activation 'ident'.*'linear'.*'identity'"):
        MLP(2, [1], output_activation="ident")
