"""The department's workbook: the way in (``dautu import``) and back out
(``dautu export workbook``), through one template (``dautu template``).

:mod:`~dautu_adapters.workbook.schema` defines the sheets and columns once;
:mod:`~dautu_adapters.workbook.parsing` reads cells as officials type them;
:mod:`~dautu_adapters.workbook.rows` turns a row into a core command and an event back into a
row. openpyxl (the ``excel`` extra) is needed only for ``.xlsx`` files.
"""
