"""The only places where dautu's adapters rely on a private interface of a dependency.

Why fenced: a private interface can change in any release without notice. Each use lives in a
module of its own here, falls back to the public behaviour when the private one is missing or
different, and has a test that fails loudly when an upgrade changes it (see each module), so a
slowdown or a silent fallback is noticed at the upgrade, not in production. The core's own
fences are in :mod:`dautu_core._fenced`.
"""
