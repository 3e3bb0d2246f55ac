"""The review rulebooks in use: those the installed plugins registered.

dautu's own review rulebooks are registered by its builtin ``review`` plugin through the same
hook a province uses (``dautu_register_review_rulebooks``). A plugin's rulebook with the id of a
builtin one replaces it; one with a new id is added when its dates overlap no other, and is
otherwise refused with a warning naming the plugin.
"""

from __future__ import annotations

from dautu_adapters.plugins import (
    DautuPluginManager,
    default_plugin_manager,
    review_rulebook_registry,
)
from dautu_core.review import BUILTIN_REVIEW_RULEBOOKS, ReviewRulebook, ReviewRulebooks

__all__ = ["installed_review_rulebooks"]


def installed_review_rulebooks(pm: DautuPluginManager | None = None) -> ReviewRulebooks:
    """The registered review rulebooks as one dated set (the builtins if none is registered)."""
    pm = pm or default_plugin_manager()
    books: list[ReviewRulebook] = []
    for registration in review_rulebook_registry(pm):
        book = registration.value
        if not isinstance(book, ReviewRulebook):
            pm.report(
                registration.plugin, f"registered {book!r}, which is not a dautu ReviewRulebook"
            )
            continue
        try:
            ReviewRulebooks((*books, book))
        except ValueError as exc:
            pm.report(registration.plugin, f"review rulebook {book.id!r} is refused: {exc}")
            continue
        books.append(book)
    return ReviewRulebooks(books) if books else BUILTIN_REVIEW_RULEBOOKS
