"""dautu's builtin exporters beyond the review and the audit bundle (OC4IDS open data, the
stored records as JSON lines), and the declared options every exporter registers with
(:mod:`dautu_adapters.exporters.options`).

Kept light on purpose: importing this package imports no exporter; the builtin plugin
:mod:`dautu_adapters.exporters.plugin` does, when the plugin manager loads it.
"""
