"""Gradient descent on small loss surfaces, step by step.

The rule used here is gradient descent with momentum (a "heavy ball"):

    v = momentum * v - lr * grad f(p)        (v: the velocity, starts at 0)
    p = p + v

With momentum = 0 this is plain gradient descent, p = p - lr * grad f(p).
(nnlib.optim.Momentum writes the same rule as v = beta*v + g; p = p - lr*v.
 Its v is this v divided by -lr, so both take exactly the same steps.)

The maths works without the widget:  descend("valley", (-3.5, 1.5), lr=0.09)
returns the whole path, the loss at every point, and whether it diverged.
"""
import math
from dataclasses import dataclass

import numpy as np

from nnlib import validate


# ---- the surfaces: each f with its gradient, worked out by hand ----

def parabola(x, y):
    """f(x) = x^2   (1-D: y is ignored)."""
    return x**2


def parabola_grad(x, y):
    """f'(x) = 2x.  A step multiplies x by (1 - 2 lr): it blows up when lr > 1."""
    return 2 * x, 0.0


def bowl(x, y):
    """f(x, y) = x^2 + y^2, a round bowl."""
    return x**2 + y**2


def bowl_grad(x, y):
    """grad f = (2x, 2y): it points straight away from the minimum (0, 0)."""
    return 2 * x, 2 * y


def valley(x, y):
    """f(x, y) = 0.5 (x^2 + 20 y^2): steep across (y), gentle along (x)."""
    return 0.5 * (x**2 + 20 * y**2)


def valley_grad(x, y):
    """grad f = (x, 20 y).  lr must stay below 2/20 = 0.1 for the steep y
    direction, so steps along the gentle x direction are tiny: momentum helps."""
    return x, 20 * y


def rosenbrock(x, y):
    """f(x, y) = (1 - x)^2 + 10 (y - x^2)^2, a curved banana-shaped valley.

    (The classic Rosenbrock function uses 100 instead of 10.)  Minimum at (1, 1).
    """
    return (1 - x) ** 2 + 10 * (y - x**2) ** 2


def rosenbrock_grad(x, y):
    """df/dx = -2 (1 - x) - 40 x (y - x^2),   df/dy = 20 (y - x^2)."""
    return -2 * (1 - x) - 40 * x * (y - x**2), 20 * (y - x**2)


TILT = 0.3  # tilts the two-minima surface so the left basin is deeper


def two_minima(x, y):
    """f(x, y) = (x^2 - 1)^2 + 0.3 x + y^2: two basins, near x = -1 and x = +1."""
    return (x**2 - 1) ** 2 + TILT * x + y**2


def two_minima_grad(x, y):
    """df/dx = 4 x (x^2 - 1) + 0.3,   df/dy = 2 y."""
    return 4 * x * (x**2 - 1) + TILT, 2 * y


def _two_minima_points():
    """Where df/dx = 0 and f'' > 0: the real roots of 4x^3 - 4x + 0.3 with 12x^2 - 4 > 0."""
    roots = np.roots([4.0, 0.0, -4.0, TILT])
    xs = sorted(r.real for r in roots if abs(r.imag) < 1e-12 and 12 * r.real**2 - 4 > 0)
    return tuple((x, 0.0) for x in xs)


@dataclass(frozen=True)
class Surface:
    """A loss surface: f, its gradient, where to draw it and sensible defaults.

    curvature: the largest second derivative L inside the drawn region.  On a
    quadratic, descent is stable exactly when lr < 2 (1 + momentum) / L.
    """
    name: str
    formula: str
    f: object
    grad: object
    xlim: tuple
    ylim: tuple
    start: tuple
    lr: float
    curvature: float
    minima: tuple
    dims: int = 2
    f_min: float = 0.0


_TWO = _two_minima_points()
SURFACES = {s.name: s for s in [
    Surface("parabola", "f(x) = x²", parabola, parabola_grad, (-2, 2), (-0.3, 4.3),
            (1.8, 0.0), 0.1, 2.0, ((0.0, 0.0),), dims=1),
    Surface("bowl", "f = x² + y²", bowl, bowl_grad, (-2, 2), (-2, 2), (1.5, 1.8), 0.1, 2.0,
            ((0.0, 0.0),)),
    Surface("valley", "f = 0.5·(x² + 20·y²)", valley, valley_grad, (-4, 4), (-2, 2),
            (-3.5, 1.5), 0.09, 20.0, ((0.0, 0.0),)),
    # curvature: largest Hessian eigenvalue in the region, at x = ±2, y = -1.
    Surface("rosenbrock", "f = (1 - x)² + 10·(y - x²)²", rosenbrock, rosenbrock_grad,
            (-2, 2), (-1, 3), (-1.0, 2.5), 0.005, 535.0, ((1.0, 1.0),)),
    # curvature: f_xx = 12 x^2 - 4 is largest at the edge x = ±2.
    Surface("two minima", "f = (x² - 1)² + 0.3·x + y²", two_minima, two_minima_grad,
            (-2, 2), (-1.5, 1.5), (0.3, 1.2), 0.04, 44.0, _TWO,
            f_min=min(two_minima(*p) for p in _TWO)),
]}


@dataclass
class Descent:
    """The result of descend(): path[k] is the point after k steps, losses[k] = f(path[k])."""
    path: np.ndarray
    losses: np.ndarray
    diverged: bool

    @property
    def steps_taken(self):
        return len(self.path) - 1


def descend(surface, start, lr, momentum=0.0, steps=50, bound=1e6):
    """Run `steps` steps of  v = momentum*v - lr*grad f(p);  p = p + v  from `start`.

    surface: a name from SURFACES (or a Surface); start: (x0, y0), or (x0,) in 1-D.
    Stops early, with diverged=True, as soon as |p| > bound or p stops being a
    finite number: the path then ends at the last point that could be computed
    (so no overflow ever happens, and no RuntimeWarning either).  A start so
    far out that f itself overflows there is refused with a ValueError.
    """
    surface = _check_surface(surface)
    lr = validate.check_positive(lr, "lr")
    momentum = _check_momentum(momentum)
    steps = validate.check_positive_int(steps, "steps")
    start = validate.as_array(start, "start", ndim=1)
    if len(start) not in (surface.dims, 2):    # a 1-D surface ignores a y0
        raise ValueError(f"start must be a point (x0, y0){' or (x0,)' if surface.dims == 1 else ''}"
                         f" on the {surface.name} surface, got {len(start)} coordinates")
    bound = validate.check_positive(bound, "bound")
    # Plain Python floats: 10x faster than numpy for two numbers. A 1-D surface sets y = 0.
    x, y = float(start[0]), (float(start[1]) if surface.dims == 2 else 0.0)
    vx = vy = 0.0
    path, losses, diverged = [(x, y)], [_start_loss(surface, x, y)], False
    for _ in range(steps):
        try:
            gx, gy = surface.grad(x, y)
            vx, vy = momentum * vx - lr * gx, momentum * vy - lr * gy
            x, y = x + vx, y + vy
            loss = surface.f(x, y)
        except OverflowError:  # Python floats raise this where numpy would warn
            diverged = True
            break
        if not all(math.isfinite(t) for t in (x, y, loss)):
            diverged = True
            break
        path.append((x, y))
        losses.append(loss)
        if max(abs(x), abs(y)) > bound:
            diverged = True
            break
    return Descent(np.array(path), np.array(losses, dtype=float), diverged)


def _start_loss(surface, x, y):
    """f at the start; a start so far out that f overflows is refused, by name."""
    try:
        loss = surface.f(x, y)
    except OverflowError:          # Python floats raise this where numpy would warn
        loss = math.inf
    if not math.isfinite(loss):
        point = f"({x:g}, {y:g})" if surface.dims == 2 else f"x = {x:g}"
        raise ValueError(
            f"start is too far out: the loss at {point} overflows float64 "
            f"(largest number about 1.8e308); start in the drawn region, "
            f"x in {surface.xlim}" + (f", y in {surface.ylim}" if surface.dims == 2 else ""))
    return loss


def stable_lr(surface, momentum=0.0):
    """A learning rate below which descent should not blow up: 2 (1 + momentum) / L."""
    surface, momentum = _check_surface(surface), _check_momentum(momentum)
    return 2 * (1 + momentum) / surface.curvature


def _check_surface(surface):
    """A Surface, or the name of one in SURFACES."""
    if isinstance(surface, Surface):
        return surface
    return SURFACES[validate.check_choice(surface, "surface", list(SURFACES))]


def _check_momentum(momentum):
    momentum = validate.check_number(momentum, "momentum")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}")
    return momentum
