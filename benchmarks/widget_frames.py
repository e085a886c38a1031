"""How long one widget update takes, kernel side (the course's budget: 33 ms).

For each course widget: build it at its default size, warm up, then time about
30 updates driven the way a learner drives it (a slider being dragged, a Play
tick, a Next press).  One update = the control change, the widget's update(),
drawing the figure and encoding the PNG; i.e. everything the kernel does before
the picture is sent to the browser.

Prints, per widget, the median and 90th percentile of the wall-clock time
(what the learner waits for) and the median CPU time of this process (the same
work without the waiting caused by other programs running on the machine), then
`max_frame_ms: X`, the largest median.  Widgets whose module does not exist yet
are reported as "not available" and skipped.

Run from the repository root:  .venv/bin/python benchmarks/widget_frames.py
"""
import importlib
import itertools
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # find nnlib

WARMUP, UPDATES = 5, 30


def sweep(lo, hi, step):
    """Slider values lo, lo + step, ..., hi and back down: a drag to and fro."""
    up = [round(lo + i * step, 10) for i in range(int(round((hi - lo) / step)) + 1)]
    return up + up[-2:0:-1]


def slider_drag(slider, values):
    """One update = moving `slider` to the next of `values` (cycling)."""
    values = itertools.cycle(values)

    def tick():
        slider.value = next(values)
    return tick


# -- one driver per widget: build it, return (widget, tick, before) --------------
# tick() is one timed update; before(), if not None, runs untimed before each tick.
def hello(module):
    w = module.HelloWidget()
    return w, slider_drag(w.w, sweep(-2.0, 2.0, 0.1)), None


def perceptron(module):
    w = module.PerceptronWidget()
    return w, slider_drag(w.w1, sweep(-2.0, 2.0, 0.1)), None


def hidden_space(module):
    w = module.HiddenSpaceWidget()
    h1_bias = w.sliders["h1"][2]
    return w, slider_drag(h1_bias, sweep(-2.0, 2.0, 0.1)), None


def activation_explorer(module):
    w = module.ActivationExplorer()
    return w, slider_drag(w.w1, sweep(-2.0, 2.0, 0.1)), None


def universal(module):
    w = module.UniversalApproximation()
    return w, slider_drag(w.n_units, sweep(1, w.n_units.max, 1)), None


def descent(module):
    """Dragging the learning-rate slider from its default value down and up."""
    w = module.DescentExplorer()
    lr = w.lr.value
    return w, slider_drag(w.lr, [lr * 10 ** (-k / 20) for k in sweep(0, 30, 1)]), None


def backprop(module):
    """Pressing Next; after the last step, Reset (untimed: it is not a Next press)."""
    w = module.BackpropStepper()

    def before():
        if w.step_slider.value == w.n_steps:
            w.reset()
    return w, w.next_button.click, before


def playground(module):
    """One Play tick: Play's value goes up by one while playing -> step_epochs()."""
    w = module.Playground()
    w.play.playing = True  # headless, nothing ticks by itself: we advance the value

    def tick():
        if not w.play.playing:  # stopped (e.g. training diverged): start again
            w.reset()
            w.play.playing = True
        w.play.value += 1
    return w, tick, None


def digit_drawer(module):
    """A click on a cell (inking it, then wiping it, in turn) with the lesson's network."""
    w = module.DigitDrawer()
    w.show_test_image(0)
    cells = itertools.cycle([(r, c) for r in range(2, 6) for c in range(2, 6)])

    def tick():
        r, c = next(cells)
        w.cells[r][c].click()
    return w, tick, None


WIDGETS = [  # (class name, module, driver, what one update is)
    ("HelloWidget", "nnlib.widgets.hello", hello, "w slider drag"),
    ("PerceptronWidget", "nnlib.widgets.perceptron", perceptron, "w1 slider drag"),
    ("HiddenSpaceWidget", "nnlib.widgets.perceptron", hidden_space, "h1: b slider drag"),
    ("ActivationExplorer", "nnlib.widgets.activation_explorer", activation_explorer,
     "w1 slider drag"),
    ("UniversalApproximation", "nnlib.widgets.universal", universal, "N slider drag"),
    ("DescentExplorer", "nnlib.widgets.descent", descent, "learning-rate slider drag"),
    ("BackpropStepper", "nnlib.widgets.backprop", backprop, "Next press"),
    ("Playground", "nnlib.widgets.playground", playground, "Play tick (train + draw)"),
    ("DigitDrawer", "nnlib.widgets.digits", digit_drawer, "a click on a cell"),
]


def time_updates(tick, before=None):
    """Wall and CPU milliseconds of each of UPDATES ticks, after WARMUP untimed ones."""
    wall, cpu = [], []
    for i in range(WARMUP + UPDATES):
        if before is not None:
            before()
        w0, c0 = time.perf_counter(), time.process_time()
        tick()
        if i >= WARMUP:
            wall.append(1000 * (time.perf_counter() - w0))
            cpu.append(1000 * (time.process_time() - c0))
    return wall, cpu


def main():
    load = os.getloadavg()[0]
    print(f"{UPDATES} updates per widget after {WARMUP} warm-up ones; {os.cpu_count()} CPUs, "
          f"load average {load:.1f} (other programs running slow the wall clock)")
    print(f"{'widget':24s} {'median':>8s} {'p90':>8s} {'cpu median':>11s}   one update")
    medians = {}
    for name, module_name, driver, what in WIDGETS:
        try:
            module = importlib.import_module(module_name)
            getattr(module, name)
        except (ImportError, AttributeError):
            print(f"{name:24s} not available (no {module_name}.{name} yet): skipped")
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            widget, tick, before = driver(module)
            wall, cpu = time_updates(tick, before)
        medians[name] = statistics.median(wall)
        p90 = statistics.quantiles(wall, n=10)[-1]
        print(f"{name:24s} {medians[name]:5.1f} ms {p90:5.1f} ms {statistics.median(cpu):8.1f} ms"
              f"   {what}")
        if caught:
            print(f"  note: {len(caught)} warning(s), first: {caught[0].message}")
        if "went wrong" in widget.message.value:
            print(f"  note: the widget shows an error: {widget.message.value}")
    print(f"max_frame_ms: {max(medians.values()):.1f}")


if __name__ == "__main__":
    main()
