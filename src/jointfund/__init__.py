"""jointfund: the books and the forecast of a jointly owned natural-resource revenue fund."""

__version__ = "0.1.0"
__all__ = ["__version__"]
