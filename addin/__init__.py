"""rolefit: check a leadership plan against CTO and CIO reference profiles."""

__version__ = "0.1.0"
