"""Rendering and writing the pages: one Jinja2 environment, escaping always on.

Why autoescape without exceptions: every value on these pages comes from the record (project
names, reasons, document titles typed by clerks), so any of them may hold ``<script>``. The
templates never mark a value safe; the inline CSS and script are template files of this
package, included as template source, not as values.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dautu_adapters.audit.render import show_date, show_time
from dautu_adapters.exporters.files import export_target, whole_file
from dautu_core import __version__
from dautu_core.errors import DautuError

__all__ = ["LANGS", "bilingual_date", "bilingual_time", "both", "render_page", "write_page"]

LANGS = ("vi", "en")
"""The page's languages, Vietnamese first: both are in the page, a button switches."""


def both(text: Callable[[str], str]) -> dict[str, str]:
    """``{"vi": text("vi"), "en": text("en")}``: one wording function, both languages."""
    return {lang: text(lang) for lang in LANGS}


def bilingual_date(day: date | None) -> dict[str, str] | None:
    return None if day is None else both(lambda lang: show_date(day, lang))


def bilingual_time(moment: datetime | None) -> dict[str, str] | None:
    return None if moment is None else both(lambda lang: show_time(moment, lang))


@functools.cache
def _environment() -> Any:
    try:
        import jinja2
    except ImportError as exc:
        raise DautuError(
            'Xuất trang HTML cần gói jinja2: pip install "dautu[html]"',
            'HTML export needs jinja2: pip install "dautu[html]"',
            rule_id="dependency_missing",
        ) from exc
    return jinja2.Environment(
        loader=jinja2.PackageLoader("dautu_adapters.html", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_page(template: str, context: Mapping[str, Any], lang: str = "vi") -> str:
    """The page ``template`` filled with ``context``; ``lang`` is the language shown first."""
    env = _environment()
    first = "en" if lang == "en" else "vi"
    return str(env.get_template(template).render(**context, lang=first, version=__version__))


def write_page(out: Path, default_name: str, text: str) -> Path:
    """Write ``text`` to ``out`` (or to ``out/default_name`` if ``out`` is a folder) whole or
    not at all (:func:`dautu_adapters.exporters.files.whole_file`)."""
    path = export_target(out, default_name)
    with whole_file(path) as handle:
        handle.write(text)
    return path
