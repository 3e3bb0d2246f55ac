"""The ``dautu`` command line."""

from dautu_adapters.cli.main import main

__all__ = ["main"]
