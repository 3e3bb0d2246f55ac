"""The provincial review at the edge: plugin, projection runner, demo scenario, exports."""
