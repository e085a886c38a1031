"""Looking at a Value graph: list its nodes, backpropagate by hand, lay it out,
and put each step of backpropagation into words.

These helpers only *read* a graph (through Value's public .children,
.local_grads, .op, .label, .data); none of them changes a Value, not even its
.grad.  The BackpropStepper widget uses them to draw and explain backprop.
"""
from collections import Counter


def topological_order(output):
    """Every Value that `output` was computed from (and output itself), each one
    listed after all of its children: inputs first, output last.

    A depth-first walk that writes a node down once all its children are written
    down.  It uses its own stack instead of recursion, so long chains are fine.
    """
    order, seen = [], set()
    stack = [(output, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))  # comes back here after the children
            stack.extend((child, False) for child in reversed(node.children) if child not in seen)
    return order


def uses(order):
    """For every node, each place it is used: a list of (parent, position).

    parent.children[position] is the node, and parent.local_grads[position] is
    d(parent)/d(node).  In a * a the node a is used twice by the same parent.
    """
    used = {node: [] for node in order}
    for parent in order:
        for position, child in enumerate(parent.children):
            used[child].append((parent, position))
    return used


def backprop(order):
    """d(output)/d(node) for every node of `order` (the output is order[-1]).

    The chain rule, walking from the output back to the inputs:
        grad[output] = 1
        grad[child] += local_grad * grad[parent]    for every (parent, child) edge
    The result is a dict; the Values' own .grad fields are left alone.
    """
    grad = {node: 0.0 for node in order}
    grad[order[-1]] = 1.0
    for parent in reversed(order):
        for child, local_grad in zip(parent.children, parent.local_grads):
            grad[child] += local_grad * grad[parent]
    return grad


def layered_layout(order):
    """A (column, row) place for every node, to draw the graph left to right.

    column: an operation sits one column right of its deepest child, so its
    column is the longest path from an input.  An input sits just left of the
    first operation that uses it (not always in column 0: shorter arrows).
    row: nodes of a column are stacked in `order`, centred around row 0.
    Returns (places, n_columns, n_rows).
    """
    column = {}
    for node in order:  # children come first, so their columns are known
        column[node] = 1 + max((column[c] for c in node.children), default=-1)
    used = uses(order)
    for node in order:
        if not node.children and used[node]:
            column[node] = min(column[parent] for parent, _ in used[node]) - 1
    n_columns = max(column.values()) + 1
    stacks = [[] for _ in range(n_columns)]
    for node in order:
        stacks[column[node]].append(node)
    places = {}
    for col, stack in enumerate(stacks):
        for i, node in enumerate(stack):
            places[node] = (col, (len(stack) - 1) / 2 - i)  # first node on top
    return places, n_columns, max(len(stack) for stack in stacks)


# ---- explaining each step in words ----

def fmt(v):
    """A number, short (4 significant digits)."""
    return f"{v:.4g}"


def factor(v):
    """A number inside a sum or product: negative ones in brackets, 2 * (-0.5)."""
    return f"({fmt(v)})" if v < 0 else fmt(v)


def node_names(order):
    """A name for every node: its label; v0, v1... if it has none; a repeated
    label gets a number (w_1, w_2...) so that every name points to one node."""
    labels = [node.label or f"v{i}" for i, node in enumerate(order)]
    repeats, seen, names = Counter(labels), Counter(), {}
    for node, label in zip(order, labels):
        seen[label] += 1
        names[node] = f"{label}_{seen[label]}" if repeats[label] > 1 else label
    return names


def forward_text(node, names):
    """How node.data was computed, e.g. 'x1w1 = x1 * w1 = 2 * 0.5 = 1'."""
    name, args = names[node], [names[c] for c in node.children]
    if not node.children:
        return f"{name} is an input: {name}.data = {fmt(node.data)}"
    values, op = [factor(c.data) for c in node.children], node.op
    if op in ("+", "-", "*", "/", "sum") and len(args) >= 2:
        sign = " + " if op == "sum" else f" {op} "
        formula, numbers = sign.join(args), sign.join(values)
    elif op == "*":  # times a plain number c, which is stored as the local gradient
        c = factor(node.local_grads[0])
        formula, numbers = f"{args[0]} * {c}", f"{values[0]} * {c}"
    elif op.startswith("**"):
        formula, numbers = f"{args[0]}{op}", f"{values[0]}{op}"
    elif op == "neg":
        formula, numbers = f"-{args[0]}", f"-{values[0]}"
    else:  # tanh, relu, exp, ...: a function of its children
        formula = f"{op}({', '.join(args)})"
        numbers = f"{op}({', '.join(fmt(c.data) for c in node.children)})"
    if numbers == fmt(node.data):  # e.g. -a = -3: no need to say -3 twice
        return f"{name} = {formula} = {numbers}"
    return f"{name} = {formula} = {numbers} = {fmt(node.data)}"


def local_grad_text(parent, position, names):
    """d(parent)/d(child) in words, child = parent.children[position].

    E.g. 'x1.data' for w1 in x1 * w1, '(1 - o.data²)' for n in o = tanh(n).
    """
    op, p = parent.op, names[parent]
    args = [names[c] for c in parent.children]
    if op in ("+", "sum") or (op == "-" and position == 0):
        return "1"
    if op == "*":
        return f"{args[1 - position]}.data" if len(args) == 2 else factor(parent.local_grads[0])
    if op == "/":
        return f"1/{args[1]}.data" if position == 0 else f"(-{args[0]}.data/{args[1]}.data²)"
    if op.startswith("**"):
        k = op[2:]
        return f"{k}*{args[0]}.data**({k} - 1)"
    words = {"-": "(-1)", "neg": "(-1)", "tanh": f"(1 - {p}.data²)", "exp": f"{p}.data",
             "sigmoid": f"{p}.data*(1 - {p}.data)", "log": f"1/{args[0]}.data",
             "relu": f"[{args[0]}.data > 0]"}
    return words.get(op, f"d{p}/d{args[position]}")


def backward_text(node, names, used, grad):
    """The chain rule for one node, e.g. 'w1.grad = x1.data * n.grad = 2 * 0.5 = 1'.

    used: from uses(order); grad: from backprop(order).  A node used several
    times gets one term per use, added up.
    """
    name, its_uses = names[node], used[node]
    if not its_uses:
        return f"{name}.grad = 1: the output's gradient with respect to itself, d{name}/d{name} = 1"
    words = [f"{local_grad_text(p, i, names)} * {names[p]}.grad" for p, i in its_uses]
    numbers = [f"{factor(p.local_grads[i])} * {factor(grad[p])}" for p, i in its_uses]
    if len(its_uses) > 4:  # keep the line readable
        words = words[:3] + [f"... ({len(its_uses)} terms)"]
        numbers = numbers[:3] + ["..."]
    text = f"{name}.grad = {' + '.join(words)} = {' + '.join(numbers)} = {fmt(grad[node])}"
    if len(its_uses) > 1:
        text += f"   ({name} is used {len(its_uses)} times: the gradients from each use add up)"
    return text
