"""Interactive widgets for the lessons: drag a control, watch the picture change.

One module per widget; every widget also works headless (see base.py).
"""
from .hello import HelloWidget

__all__ = ["HelloWidget"]
