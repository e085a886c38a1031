"""BackpropStepper and nnlib.graph: stepping, the chain-rule text, true grads, untouched Values."""
import pytest

from nnlib import graph
from nnlib.engine import Value
from nnlib.nn import MLP
from nnlib.widgets.backprop import BackpropStepper, default_neuron

pytestmark = pytest.mark.filterwarnings("error")


def small_mlp_output():
    """A 2-3-1 tanh network on one input: 31 nodes, still drawable."""
    net = MLP(2, [3, 1], activation="tanh", seed=1)
    return net([Value(0.5, label="x1"), Value(-1.0, label="x2")])[0]


def reference_grads(make):
    """Grads from Value.backward() on a fresh, identical graph, by node name."""
    output = make()
    order = graph.topological_order(output)
    output.backward()
    names = graph.node_names(order)
    return {names[v]: v.grad for v in order}


# ---- nnlib.graph ----

def test_topological_order_lists_children_before_parents():
    order = graph.topological_order(small_mlp_output())
    position = {v: i for i, v in enumerate(order)}
    assert len(position) == len(order)  # every node once
    for v in order:
        assert all(position[c] < position[v] for c in v.children)


def test_topological_order_handles_a_long_chain_without_recursion():
    v = Value(1.0)
    for _ in range(3000):
        v = v * 1.0 + 0.0
    assert len(graph.topological_order(v)) > 3000


@pytest.mark.parametrize("make", [default_neuron, small_mlp_output])
def test_backprop_equals_value_backward(make):
    output = make()
    order = graph.topological_order(output)
    ours = graph.backprop(order)
    output.backward()
    for v in order:
        assert ours[v] == pytest.approx(v.grad, rel=1e-12, abs=1e-15)


def test_layout_puts_operations_right_of_their_children():
    order = graph.topological_order(default_neuron())
    places, n_cols, n_rows = graph.layered_layout(order)
    assert (n_cols, n_rows) == (5, 4)
    for v in order:
        assert all(places[c][0] < places[v][0] for c in v.children)
    # b is only used by n = s + b, so it sits just left of n, not in column 0.
    b = next(v for v in order if v.label == "b")
    assert places[b][0] == 2


def test_repeated_labels_get_unique_names():
    names = graph.node_names(graph.topological_order(small_mlp_output()))
    assert len(set(names.values())) == len(names)


# ---- the widget ----

def test_default_neuron_has_two_steps_per_node():
    w = BackpropStepper()
    assert len(w.order) == 10 and w.n_steps == 20
    state = w.state()
    assert state["phase"] == "forward" and state["step"] == 0 and state["current"] is None
    assert all(v is None for v in state["data"].values())
    assert set(state) >= {"phase", "step", "n_steps", "current", "explanation"}


def test_next_back_reset_and_the_slider():
    w = BackpropStepper()
    w.next()
    assert w.state()["step"] == 1 and w.state()["current"] == "x1"
    w.next()
    w.back()
    assert w.state()["step"] == 1
    w.back(), w.back()
    assert w.state()["step"] == 0  # never below 0
    w.step_slider.value = 15
    assert w.state()["phase"] == "backward"
    w.reset()
    assert w.state()["step"] == 0 and w.state()["current"] is None
    w.step_slider.value = 19
    w.next(), w.next()
    assert w.state()["step"] == 20 and w.state()["phase"] == "done"  # never past the end


def test_forward_then_backward_order_and_frame_changes_on_every_next():
    w = BackpropStepper()
    frames, currents, phases = [w.frame()], [], []
    for _ in range(w.n_steps):
        w.next()
        frames.append(w.frame())
        currents.append(w.state()["current"])
        phases.append(w.state()["phase"])
    assert all(a != b for a, b in zip(frames, frames[1:]))
    names = [w.names[v] for v in w.order]
    assert currents == names + names[::-1]
    assert phases == ["forward"] * 10 + ["backward"] * 9 + ["done"]


def test_forward_reveals_data_and_backward_reveals_grads():
    w = BackpropStepper()
    w.step_slider.value = 3  # x1, w1, then x1w1 = x1 * w1
    data = w.state()["data"]
    assert data["x1"] == 2.0 and data["w1"] == 0.5 and data["x1w1"] == 1.0 and data["o"] is None
    assert w.state()["explanation"] == "x1w1 = x1 * w1 = 2 * 0.5 = 1"
    w.step_slider.value = 10
    assert all(g is None for g in w.state()["grads"].values())
    w.step_slider.value = 11
    assert w.state()["grads"]["o"] == 1.0 and "o.grad = 1" in w.state()["explanation"]


@pytest.fixture(scope="module")
def mlp_stepper():
    """A 31-node graph whose leaves carry a learner's old .grad (7.0), and its stepper."""
    output = small_mlp_output()
    order = graph.topological_order(output)
    for v in order:
        v.grad = 7.0  # whatever the learner had
    before = [(v.data, v.grad) for v in order]
    return BackpropStepper(output), order, before


def test_at_the_end_every_grad_shown_equals_backward(mlp_stepper):
    for w, make in [(BackpropStepper(), default_neuron), (mlp_stepper[0], small_mlp_output)]:
        w.step_slider.value = w.n_steps
        shown = w.state()["grads"]
        expected = reference_grads(make)
        assert shown.keys() == expected.keys()
        for name, grad in expected.items():
            assert shown[name] == pytest.approx(grad, rel=1e-12, abs=1e-15)


def test_product_child_explanation_contains_the_other_factor():
    w = BackpropStepper()
    w.step_slider.value = 19  # backward: w1, with x1w1 = x1 * w1 and x1.data = 2
    state = w.state()
    assert state["current"] == "w1"
    grad_x1w1 = w.grad[w.order[2]]
    assert state["explanation"].startswith("w1.grad = x1.data * x1w1.grad = 2 * ")
    assert f"{grad_x1w1:.4g}" in state["explanation"]


def test_a_reused_node_shows_that_contributions_add_up():
    a = Value(3.0, label="a")
    square = a * a
    square.label = "square"
    w = BackpropStepper(square)
    w.step_slider.value = w.n_steps  # the last step explains a.grad
    text = w.state()["explanation"]
    assert text.startswith("a.grad = a.data * square.grad + a.data * square.grad = 3 * 1 + 3 * 1 = 6")
    assert "used 2 times" in text and "add up" in text
    assert w.state()["grads"]["a"] == 6.0  # d(a^2)/da = 2a


def many_operations():
    a, b = Value(3.0, label="a"), Value(-2.0, label="b")
    return ((a - b) / b) ** 2 + (-a).exp() + b.relu() + a.sigmoid() + (a * 0.5).tanh()


def test_every_operation_is_explained_and_gets_the_right_grad():
    order = graph.topological_order(many_operations())
    names, used, grad = graph.node_names(order), graph.uses(order), graph.backprop(order)
    for v in order:  # the texts of all 2N steps, without drawing them
        assert graph.forward_text(v, names).startswith(names[v])
        assert graph.backward_text(v, names, used, grad).startswith(f"{names[v]}.grad = ")
    w = BackpropStepper(many_operations())
    w.step_slider.value = w.n_steps
    for name, grad in reference_grads(many_operations).items():
        assert w.state()["grads"][name] == pytest.approx(grad, rel=1e-12, abs=1e-15)


def test_oversized_graph_gives_a_message_not_an_exception():
    big = Value.sum([Value(float(i)) * Value(2.0) for i in range(30)])
    w = BackpropStepper(big)
    assert "stepper shows graphs up to 40" in w.message.value
    assert "this graph has 91 nodes" in w.state()["explanation"].lower()
    w.next()
    w.reset()
    assert w.state()["n_steps"] == 0 and w.frame()


def test_the_learners_values_are_not_touched(mlp_stepper):
    w, order, before = mlp_stepper
    for step in (1, 2, w.n_steps // 2 + 1, w.n_steps):
        w.step_slider.value = step
    w.back()
    w.reset()
    assert [(v.data, v.grad) for v in order] == before


def test_a_non_value_is_a_clear_type_error():
    with pytest.raises(TypeError, match="output must be a Value"):
        BackpropStepper(3.0)


# ---- big graphs stay legible: they wrap into bands ----

def tanh_chain(n):
    """x, tanh(x), tanh(tanh(x)), ...: n nodes, n columns, one row."""
    v = Value(0.5, label="x")
    for _ in range(n - 1):
        v = v.tanh()
    return v


def reused_chain():
    """a and b used again far to the right: arrows that must go round, across bands."""
    a, b = Value(2.0, label="a"), Value(-1.0, label="b")
    v = a * b
    for _ in range(8):
        v = (v + b).tanh()
    return v + a


def crossings(widget):
    """(arrow, obstacle) pairs where an arrow runs through another node's box or op circle."""
    import numpy as np
    from matplotlib.patches import Circle

    renderer = widget.canvas.agg.get_renderer()
    boxes = {node: box.get_window_extent(renderer).padded(-2) for node, box in widget.boxes.items()}
    circles = [(c.center, c.get_window_extent(renderer).padded(-2))
               for c in widget.ax.patches if isinstance(c, Circle)]
    found = []
    for child, parent, arrow in widget.arrows:
        path = arrow.get_transform().transform_path(arrow.get_path())
        points = np.concatenate([np.linspace(p, q, 20) for polygon in path.to_polygons(closed_only=False)
                                 for p, q in zip(polygon, polygon[1:])])
        px, py = points.T
        xp, yp = widget._xy(parent)
        obstacles = [(widget.names[n], box) for n, box in boxes.items() if n is not child and n is not parent]
        obstacles += [("circle", box) for centre, box in circles
                      if not np.allclose(centre, (xp - bp.OP_X, yp))]
        for name, box in obstacles:
            if ((px > box.x0) & (px < box.x1) & (py > box.y0) & (py < box.y1)).any():
                found.append((widget.names[child], widget.names[parent], name))
    return found


import nnlib.widgets.backprop as bp  # noqa: E402  (the constants, for the checks below)


@pytest.mark.parametrize("make", [lambda: tanh_chain(20), reused_chain, lambda: tanh_chain(40)])
def test_a_long_graph_wraps_into_bands_with_legible_text(make):
    w = BackpropStepper(make())
    assert w.n_bands > 1
    for label in w.labels.values():
        assert label.get_fontsize() >= bp.MIN_FONT
    assert w.fig.get_figwidth() * w.fig.dpi <= 860  # fits a notebook
    assert crossings(w) == []
    # every arrow starts at its child and ends at its parent's circle, whatever the band
    for child, parent, arrow in w.arrows:
        # The points the arrow was made from (matplotlib keeps them as given, in data units).
        path = arrow._posA_posB if arrow._posA_posB is not None else arrow._path_original.vertices
        (xc, yc), (xp, yp) = w._xy(child), w._xy(parent)
        assert abs(path[0][0] - xc) <= bp.BOX_W / 2 + 1e-9 and abs(path[0][1] - yc) <= bp.BOX_H / 2 + 1e-9
        assert abs(path[-1][0] - (xp - bp.OP_X)) <= bp.OP_R + 1e-9 and abs(path[-1][1] - yp) <= bp.OP_R + 1e-9
    w.step_slider.value = w.n_steps  # it still steps to the end, with the true grads
    expected = reference_grads(make)
    for name, grad in expected.items():
        assert w.state()["grads"][name] == pytest.approx(grad, rel=1e-12, abs=1e-15)


def test_the_chain_of_20_reads_at_the_lessons_size_in_4_bands_of_5():
    w = BackpropStepper(tanh_chain(20))
    assert (w.per_band, w.n_bands) == (5, 4)
    assert min(label.get_fontsize() for label in w.labels.values()) > 10


def test_a_tall_graph_grows_taller_instead_of_shrinking_its_text():
    xs = [Value(float(i), label=f"x{i}") for i in range(6)]
    ws = [Value(0.1 * i, label=f"w{i}") for i in range(6)]
    w = BackpropStepper(Value.sum([x * v for x, v in zip(xs, ws)]).tanh())  # 12 inputs in a column
    assert w.n_bands == 1 and w.fig.get_figheight() > bp.MAX_HEIGHT
    assert min(label.get_fontsize() for label in w.labels.values()) >= bp.MIN_FONT


@pytest.mark.parametrize("make", [default_neuron, reused_chain, lambda: Value(3.0, label="a") ** 2])
def test_the_key_fits_the_picture_and_stays_above_the_arrows(make):
    w = BackpropStepper(make())
    w.frame()
    renderer = w.canvas.agg.get_renderer()
    key = w.fig.legends[0].get_window_extent(renderer)
    assert 0 <= key.x0 and key.x1 <= w.fig.bbox.width    # not cut off at the sides
    top_lane = w.ax.transData.transform((0, w.lanes[0][0]))[1]
    highest_box = max(box.get_window_extent(renderer).y1 for box in w.boxes.values())
    assert key.y0 > max(top_lane, highest_box)


def test_graphs_that_fit_keep_one_band_at_full_size():
    """The lesson's graphs: one band; at most MAX_WIDTH wide; the letters at FONT."""
    for output in (None, small_mlp_output()):
        w = BackpropStepper(output)
        assert w.n_bands == 1
    assert bp.fit(5, 4) == (5, 1, pytest.approx(14 * 0.6 * bp.FONT / 72 / 0.9 / bp.BOX_W))


# ---- found by a mutation audit: behaviour no test pinned down ----

def test_the_last_forward_step_says_the_backward_pass_comes_next():
    w = BackpropStepper()
    n = len(w.order)
    done = "Forward pass done: Next starts the backward pass."
    w.step_slider.value = n - 1
    assert done not in w.state()["explanation"]
    w.next()
    state = w.state()
    assert state["step"] == n and state["phase"] == "forward"
    assert state["explanation"].endswith(done) and done in w.message.value
    w.next()
    assert w.state()["phase"] == "backward" and done not in w.state()["explanation"]


def test_the_title_counts_the_steps_of_both_passes():
    w = BackpropStepper()
    n = len(w.order)
    for step in (0, 1, n, n + 1, 2 * n):
        w.step_slider.value = step
        assert w.title.get_text().startswith(f"{n} nodes, step {step} of {2 * n}: ")
    assert w.title.get_text().endswith("done: every grad is known")


def test_a_graph_too_big_to_step_is_a_warning():
    w = BackpropStepper(max_nodes=3)
    assert w.state()["n_steps"] == 0
    assert w.message.value.startswith('<span style="color:#b35900">')  # say(kind="warning")
    assert "the stepper shows graphs up to 3" in w.message.value


def test_a_graph_of_one_value_is_one_node_not_1_nodes():
    from nnlib.engine import Value
    assert BackpropStepper(Value(2.0))._title().startswith("1 node, step ")
    a = Value(2.0)
    assert BackpropStepper(a * a)._title().startswith("2 nodes, step ")
