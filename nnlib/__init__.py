"""nnlib: the small library behind Neural Network Fundamentals.

Read it!  Start with engine.py (backpropagation in ~140 lines of plain Python),
then nn.py (neurons and networks made of Values).  The numpy side (activations,
losses, layers, optim, train) does the same maths on whole arrays at once.
language.py (lesson 09) turns names into numbers and trains a tiny model that
writes new ones, one character at a time.
"""
from .engine import Value
from .nn import MLP, Layer, Neuron

__all__ = ["Value", "Neuron", "Layer", "MLP"]
__version__ = "0.1.0"
