"""Self-contained HTML pages for people: a project's timeline and the review as presented.

``dautu export timeline --project CODE --out FILE.html`` and ``dautu export review-html
--as-of DATE --out FILE.html`` (registered by the builtin ``html`` plugin). Each page is one
file with its styles, charts (SVG drawn here, not in the browser) and a little script inline,
and a Content-Security-Policy that forbids loading anything: it opens the same way on an
auditor's laptop without a network, and prints readably. Templates are Jinja2 with every
value escaped; the ``html`` extra installs it (``pip install "dautu[html]"``).
"""

from __future__ import annotations

from dautu_adapters.html.review_page import export_review_html, review_page
from dautu_adapters.html.timeline import export_timeline, timeline_page

__all__ = ["export_review_html", "export_timeline", "review_page", "timeline_page"]
