"""Interactive widgets for the lessons: drag a control, watch the picture change.

One module per widget; every widget also works headless (see base.py).

    HelloWidget            00  a line y = w x + b (checks that widgets work)
    PerceptronWidget       01  one neuron on the truth tables of AND, OR, NAND, NOR, XOR
    HiddenSpaceWidget      01  two hidden neurons make XOR separable
    ActivationExplorer     02  f, f' and one neuron's output over the plane
    UniversalApproximation 03  a curve fitted by a sum of N hidden units
    DescentExplorer        04  gradient descent paths on loss surfaces
    BackpropStepper        05  forward then backward, node by node, on a drawn graph
    Playground             06  train a network live: Play, Pause, Step, Reset
    InitExplorer           07  every layer's activations and gradients under an initial weight std
    DigitDrawer            08  draw a digit on 8 x 8 cells, watch the 10 probabilities
    NameLab                09  type a name's beginning, watch the next character's probabilities
"""
from .activation_explorer import ActivationExplorer
from .backprop import BackpropStepper
from .descent import DescentExplorer
from .digits import DigitDrawer
from .hello import HelloWidget
from .init_explorer import InitExplorer
from .names import NameLab
from .perceptron import HiddenSpaceWidget, PerceptronWidget
from .playground import Playground
from .universal import UniversalApproximation

__all__ = ["HelloWidget", "PerceptronWidget", "HiddenSpaceWidget", "ActivationExplorer",
           "UniversalApproximation", "DescentExplorer", "BackpropStepper",
           "Playground", "InitExplorer", "DigitDrawer", "NameLab"]
