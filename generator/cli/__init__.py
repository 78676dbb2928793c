"""The `confgen` command: a thin layer over the library (see `generator.build`)."""

from .main import main

__all__ = ["main"]
