"""Kakehashi: an offline-first observatory of Japan's relations with Latin America and the
Caribbean."""

__version__ = "0.1.0"

__all__ = ["__version__"]
