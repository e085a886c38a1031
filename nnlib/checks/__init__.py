"""Checks for the exercise notebooks: one module per lesson (lesson01.py, ...).

Each check runs your function on several cases and says at once whether it is
right, what is wrong (the first failing case and a hint), or that you have not
started yet.  See base.py for how the messages are made.
"""
from .base import CheckFailed, NotImplementedYet

__all__ = ["CheckFailed", "NotImplementedYet"]
