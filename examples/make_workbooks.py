"""Write the import template and a sample filled workbook into examples/workbook/.

    python examples/make_workbooks.py

The files are generated from dautu_adapters.workbook.examples, so they cannot drift from the
template the code writes; tests/workbook/test_examples.py checks the committed files match.
"""

from __future__ import annotations

from pathlib import Path

from dautu_adapters.workbook.examples import write_examples

FOLDER = Path(__file__).resolve().parent / "workbook"

if __name__ == "__main__":
    for path in write_examples(FOLDER):
        print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
