"""dautu-geojson: ``dautu export geojson``, the projects' locations as a GeoJSON map layer."""

from dautu_geojson.layer import feature_collection, read_places

__all__ = ["feature_collection", "read_places"]
__version__ = "0.1.0"
