"""The walkthrough example runs as a script and tells the whole story to its end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "walkthrough.py"


def test_the_walkthrough_runs_to_the_terminated_state() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, encoding="utf-8", check=True
    )
    out = result.stdout
    assert "Trạng thái cuối cùng (final status): Chấm dứt hoạt động (Terminated)" in out
    for label in (
        "(approved)",
        "(milestone met)",
        "(delay recorded)",
        "(schedule extended)",
        "(violation found)",
        "(violation sanctioned)",
        "(violation remedied)",
        "(adjustment requested)",
        "(project adjusted)",
        "(suspended)",
        "(resumed)",
        "(correction)",
        "(terminated)",
    ):
        assert label in out, label
    assert "phải điều chỉnh chủ trương (yes, policy adjustment): capital_change:25%" in out
    assert "quy tắc/rule terminal_after_termination" in out
    assert "the project is terminated" in out
    assert "số sự kiện (events): 13" in out
