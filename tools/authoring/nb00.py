"""Source of notebooks/00-start-here.ipynb (run: python -m tools.authoring.nb00)."""
from tools.nbbuild import write_notebook

cells = [
("md", r"""
# Start here: Neural Network Fundamentals

Welcome! This course shows you how neural networks work **from the ground up**: no black boxes,
no big frameworks. Every idea is something you can *see*, *drag* and *change*, and every line of
the small library behind it (`nnlib`) is there for you to read.

**In this notebook** (10 minutes): how to use JupyterLab, a first widget to check that everything
works, the map of the course, and how the exercises work.

**You need:** Python you can read (functions, lists, loops) and school algebra.
Derivatives are explained when we first use them.
""", {"slideshow": {"slide_type": "slide"}}),
("md", r"""
## 1. Using JupyterLab

A notebook is a list of **cells**. Text cells (like this one) explain; **code cells** run Python.

| to do this | press |
|---|---|
| run the selected cell and move on | **Shift + Enter** |
| run every cell from the top | menu **Run → Run All Cells** |
| start again from a clean slate | menu **Kernel → Restart Kernel and Run All Cells…** |
| turn a cell into text / code | **M** / **Y** (after pressing **Esc**) |

The *kernel* is the Python process that runs your code. It remembers every variable you have defined,
in the order you ran the cells. If something behaves strangely, restart it and run all cells again.

Try it: click the cell below and press **Shift + Enter**.
""", {"slideshow": {"slide_type": "slide"}}),
("code", r"""
print("Hello, neural networks!")
"""),
("md", r"""
Every lesson starts by importing `nnlib`, the course's own small library. It lives in the `nnlib/`
folder next to the notebooks: open any of its files in JupyterLab's file browser (left side bar)
to see how it works. The heart of it, `nnlib/engine.py`, is backpropagation in about a hundred
lines of plain Python; by lesson 5 you will have built it yourself.
"""),
("code", r"""
import nnlib
from nnlib.widgets import HelloWidget

print("nnlib version", nnlib.__version__)
"""),
("md", r"""
## 2. Widgets: drag and watch

Most lessons have a **widget**: sliders and buttons wired to a picture. Below is the smallest one,
a straight line $y = w \cdot x + b$.

**Try this:** drag **w**; the line turns around the point $(0, b)$. Drag **b**; it moves up and down.
If the picture follows your hand, widgets work on your computer and you are ready.
(If you see text like `HelloWidget(...)` instead of sliders, see *Troubleshooting* at the end.)
""", {"slideshow": {"slide_type": "slide"}}),
("code", r"""
HelloWidget(w=1.0, b=0.0)
"""),
("md", r"""
This one line is already a tiny "model": **w** and **b** are its *parameters*. Learning, in
everything that follows, means finding good values for parameters like these automatically.
"""),
("md", r"""
## 3. The map of the course

| # | lesson | the question it answers | time |
|---|---|---|---|
| 01 | [XOR](01-xor.ipynb) | What can one neuron do, and what can it never do? | 45 min |
| 02 | [Activation functions](02-activation-functions.ipynb) | Why do neurons bend their output, and how? | 40 min |
| 03 | [Nonlinearity](03-nonlinearity.ipynb) | Why is stacking linear layers pointless, and what bending buys | 40 min |
| 04 | [Gradient descent](04-gradient-descent.ipynb) | How does a network find good weights by walking downhill? | 50 min |
| 05 | [Backpropagation](05-backpropagation.ipynb) | How are all the slopes computed at once? We build the engine. | 60 min |
| 06 | [Putting it together](06-putting-it-together.ipynb) | Train a network end to end and watch it learn | 50 min |

Take them in order: each lesson uses the ideas of the ones before it.
""", {"slideshow": {"slide_type": "slide"}}),
("md", r"""
## 4. How the exercises work

Each lesson has an exercise notebook with the same number, e.g. `exercises/01-xor.ipynb`.
In it you fill in small pieces of code where it says `# YOUR CODE HERE`, then run the **check cell**
just below. The check answers at once:

* ✅ **right**: it says so, and you move on;
* ❌ **wrong**: it shows the first input where your answer differs, what was expected and what you
  gave, and a hint about the likely mistake;
* ⏳ **not started**: it says the task is not implemented yet.

Your own copies of the exercises live in the `workspace/` folder, made for you the first time you
open the course. Course updates never overwrite them.
""", {"slideshow": {"slide_type": "slide"}}),
("md", r"""
## Troubleshooting

* **The widget shows as text, not sliders:** the page was opened outside JupyterLab or before the
  kernel was ready. Use **Kernel → Restart Kernel and Run All Cells…**.
* **`ModuleNotFoundError: No module named 'nnlib'`:** the notebook is running in a different Python.
  Open the course with `python3 course.py lab` (see the README) and choose the *Python 3 (ipykernel)* kernel.
* **Everything is slow or stuck:** a cell may still be running (a `[*]` on its left).
  Use **Kernel → Interrupt Kernel**.

**Next:** [Lesson 01: XOR](01-xor.ipynb), where a single neuron meets a problem it cannot solve.
"""),
]

if __name__ == "__main__":
    write_notebook("notebooks/00-start-here.ipynb", cells)
