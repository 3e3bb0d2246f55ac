"""dautu_adapters: everything around the pure core that touches the world.

Storage on eventsourcing's recorders, the pluggy plugin system, exporters, importers and the
``dautu`` command line. Nothing here is imported by :mod:`dautu_core`.
"""

__all__: list[str] = []
