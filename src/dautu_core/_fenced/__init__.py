"""The only places where dautu relies on a private interface of Python or of a dependency.

Why fenced: a private interface can change in any release without notice. Each use lives in a
module of its own here, falls back to the public interface when the private one is missing or
different, and has a test (``tests/core/test_fenced.py``) that fails loudly when an upgrade
changes it, so a slowdown or a silent fallback is noticed at the upgrade, not in production.
"""
