"""The auditor's commands end to end on a SQLite file: history, explain, keygen, checkpoint,
verify, export audit-bundle and verify-bundle, in Vietnamese and English."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import attrs
import pytest

from audit.samples import at, correction, project_commands
from dautu_adapters.cli.audit_commands import parse_date, parse_moment
from dautu_adapters.cli.main import main
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import open_store
from dautu_core.events import DelayRecorded
from dautu_core.vocab import CorrectionAction


@pytest.fixture
def url(tmp_path: Path) -> str:
    """Two projects; DA-0001's delay (v2) later amended by an inspector (v6)."""
    url = f"sqlite:///{tmp_path / 'dautu.db'}"
    store = open_store(url)
    service = ProjectService(store)
    for code in ("DA-0001", "DA-0002"):
        service.execute_batch(project_commands(code))
    delay = store.read_stream("DA-0001")[1].event()
    assert isinstance(delay, DelayRecorded)
    service.execute(
        correction(
            "DA-0001",
            2,
            date(2024, 6, 1),
            at(date(2024, 6, 1)),
            action=CorrectionAction.AMEND,
            replacement=attrs.evolve(delay, reason="Chậm bàn giao đất"),
            reason="Ghi sai lý do chậm",
        )
    )
    store.close()
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_history_in_vietnamese_shows_corrections_with_who_and_why(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "--store", url, "history", "DA-0001")
    assert code == 0
    assert "Lịch sử dự án DA-0001" in out
    assert "hiệu lực 15/03/2022" in out and "căn cứ: Điều 32 61/2020/QH14" in out
    assert "văn bản: 1234/QĐ-UBND (15/03/2022)" in out
    assert "(đã được sửa đổi)" in out and "bị đính chính bởi phiên bản 6" in out
    assert "nay ghi: Ghi nhận chậm tiến độ: Khởi công xây dựng: Chậm bàn giao đất" in out
    assert "Trần Thị Lan (Thanh tra Sở Tài chính)" in out and "Ghi sai lý do chậm" in out


def test_history_as_known_before_the_correction_in_english_json(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(
        capsys,
        "--store",
        url,
        "--lang",
        "en",
        "history",
        "DA-0001",
        "--known-at",
        "2024-05-31T12:00",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert [e["version"] for e in data["events"]] == [1, 2, 3, 4, 5]
    delay = data["events"][1]
    assert delay["status"] == "recorded" and delay["summary"].startswith("Delay recorded")
    assert delay["actor"]["name"] == "Nguyễn Văn Bình"
    assert data["events"][0]["legal_basis"][0]["cite"] == "61/2020/QH14, Art. 32"
    code, out = run(capsys, "--store", url, "history", "DA-0001", "--format", "json")
    later = json.loads(out)["events"]
    assert later[1]["status"] == "amended" and later[1]["corrected_by"] == [6]
    assert later[5]["corrects"] == 6 - 4 and later[5]["reason"] == "Ghi sai lý do chậm"


def test_explain_names_versions_and_the_rule_with_its_citation(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "--store", url, "explain", "DA-0002", "--as-of", "21/02/2024")
    assert code == 0
    assert "tình trạng tính đến ngày 21/02/2024 (bộ quy tắc vn.law-61-2020)" in out
    assert "Giãn tiến độ: đã dùng 12/24 tháng, còn 12 tháng  [phiên bản 4]" in out
    assert "căn cứ: khoản 4 Điều 41 61/2020/QH14" in out
    code, out = run(
        capsys,
        "--store",
        url,
        "--lang",
        "en",
        "explain",
        "DA-0002",
        "--as-of",
        "2024-02-21",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert data["status"] == "approved"
    extension = next(line for line in data["lines"] if line["topic"] == "extension")
    assert extension["versions"] == [4]
    assert extension["citations"][0]["cite"] == "61/2020/QH14, Art. 41(4)"


def test_an_unknown_project_is_a_clear_error(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--store", url, "history", "DA-9999")
    assert code == 1 and "DA-9999" in out


def test_keygen_checkpoint_verify_and_tampering(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key, cp = tmp_path / "ky.pem", tmp_path / "cp.json"
    code, out = run(capsys, "keygen", "--out", str(key))
    assert code == 0 and (tmp_path / "ky.pem.pub").exists() and "Mã khoá" in out
    code, out = run(capsys, "--store", url, "checkpoint", "--key", str(key), "--out", str(cp))
    assert code == 0 and "11 bản ghi" in out
    public = str(tmp_path / "ky.pem.pub")
    code, out = run(
        capsys, "--store", url, "verify", "--checkpoint", str(cp), "--public-key", public
    )
    assert code == 0 and out.endswith("KẾT QUẢ: TOÀN VẸN VÀ ĐÃ XÁC THỰC\n")
    assert "chữ ký của khoá" in out and "hợp lệ" in out
    # A missing key is not an invalid signature: intact, not authenticated, exit 3.
    code, out = run(capsys, "--store", url, "verify", "--checkpoint", str(cp))
    assert code == 3, out
    assert out.endswith(
        "KẾT QUẢ: TOÀN VẸN, CHƯA XÁC THỰC — không có khoá công khai (--public-key)\n"
    )
    assert "không hợp lệ" not in out and "SAI LỆCH" not in out
    assert "Đã kiểm tra (tính toàn vẹn): " in out
    assert "Chưa kiểm tra: tính xác thực (chữ ký của cơ quan): không có khoá công khai" in out
    code, out = run(capsys, "--store", url, "verify", "--checkpoint", str(cp), "--allow-unsigned")
    assert code == 0 and "CHƯA XÁC THỰC" in out
    assert "chỉ kiểm tra tính toàn vẹn, KHÔNG xác thực" in out
    code, out = run(capsys, "--store", url, "--lang", "en", "verify", "--checkpoint", str(cp))
    assert code == 3
    assert out.endswith("RESULT: INTACT, NOT AUTHENTICATED — no public key given (--public-key)\n")
    code, out = run(capsys, "--store", url, "verify", "--format", "json", "--checkpoint", str(cp))
    data = json.loads(out)
    assert code == 3 == data["exit_code"] and data["verdict"] == "intact_not_authenticated"
    assert data["ok"] and not data["authenticated"] and data["findings"] == []
    assert data["not_authenticated_reason"]["en"] == "no public key given (--public-key)"

    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as con:
        state = bytes(con.execute("SELECT state FROM stored_events WHERE rowid=7").fetchone()[0])
        con.execute(
            "UPDATE stored_events SET state=? WHERE rowid=7",
            (state.replace("giải phóng".encode(), "giai phóng".encode()),),
        )
    con.close()
    code, out = run(
        capsys, "--store", url, "verify", "--checkpoint", str(cp), "--public-key", public
    )
    assert code == 1
    assert "PHÁT HIỆN SAI LỆCH" in out
    assert "Đầu tiên: dự án DA-0002, phiên bản 2, vị trí 7: bị sửa đổi" in out
    code, out = run(capsys, "--store", url, "--lang", "en", "verify", "--format", "json")
    data = json.loads(out)
    assert code == 1 and not data["ok"]
    assert data["findings"][0]["project_code"] == "DA-0002" and data["findings"][0]["version"] == 2


def test_checkpoint_with_a_new_key(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "new.pem"
    code, _ = run(
        capsys,
        "--store",
        url,
        "checkpoint",
        "--new-key",
        "--key",
        str(key),
        "--out",
        str(tmp_path / "c.json"),
    )
    assert code == 0 and key.exists()
    signed = json.loads((tmp_path / "c.json").read_text("utf-8"))
    assert signed["signature"] and signed["log_size"] == 11


def test_export_and_verify_bundle(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key, cp, out_dir = tmp_path / "k.pem", tmp_path / "cp.json", tmp_path / "bundle"
    run(capsys, "keygen", "--out", str(key))
    run(capsys, "--store", url, "checkpoint", "--key", str(key), "--out", str(cp))
    public = str(tmp_path / "k.pem.pub")
    code, out = run(
        capsys,
        "--store",
        url,
        "export",
        "audit-bundle",
        "--project",
        "DA-0001",
        "--checkpoint",
        str(cp),
        "--public-key",
        public,
        "--out",
        str(out_dir),
    )
    assert code == 0 and "records.jsonl" in out
    code, out = run(capsys, "verify-bundle", str(out_dir), "--public-key", public)
    assert code == 0 and "KẾT QUẢ: HỢP LỆ" in out and "6 bản ghi" in out
    # The key shipped in the bundle is never enough: a forger ships their own.
    # The key shipped in the bundle is never enough, and a missing key is not an invalid
    # signature: intact, not authenticated, exit 3.
    code, out = run(capsys, "verify-bundle", str(out_dir))
    assert code == 3 and "KẾT QUẢ: HỢP LỆ" not in out and "không hợp lệ" not in out
    assert out.endswith(
        "KẾT QUẢ: TOÀN VẸN, CHƯA XÁC THỰC — không có khoá công khai (--public-key)\n"
    )
    assert "Chưa kiểm tra: tính xác thực (chữ ký của cơ quan)" in out
    code, out = run(capsys, "--lang", "en", "verify-bundle", str(out_dir), "--allow-unsigned")
    assert code == 0 and "integrity only is accepted, NOT authenticity" in out
    assert "RESULT: INTACT, NOT AUTHENTICATED" in out and "VALID (" not in out
    code, out = run(capsys, "verify-bundle", str(out_dir), "--format", "json")
    data = json.loads(out)
    assert code == 3 == data["exit_code"] and data["verdict"] == "intact_not_authenticated"
    records = out_dir / "records.jsonl"
    lines = records.read_text("utf-8").splitlines()
    records.write_text("\n".join(lines[:-1]) + "\n", "utf-8")
    code, out = run(capsys, "--lang", "en", "verify-bundle", str(out_dir), "--public-key", public)
    assert code == 1 and "RESULT: INVALID" in out and "project DA-0001, version 6" in out


def test_export_names_the_installed_exporters_when_asked_for_another(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "--store", url, "export", "no-such", "--out", str(tmp_path / "x"))
    assert code == 1 and "audit-bundle" in out
    code, out = run(capsys, "--store", url, "export", "audit-bundle", "--out", str(tmp_path / "y"))
    assert code == 1 and "--project" in out


def test_dates_and_times_on_the_command_line() -> None:
    assert parse_date("21/02/2024") == parse_date("2024-02-21") == date(2024, 2, 21)
    moment = parse_moment("2024-02-21T09:00")
    assert moment.utcoffset() is not None and moment.utcoffset().total_seconds() == 7 * 3600  # type: ignore[union-attr]
    assert parse_moment("2024-02-21") == parse_moment("2024-02-21T23:59:59.999999+07:00")
    assert parse_moment("2024-02-21T02:00+00:00") == datetime.fromisoformat(
        "2024-02-21T09:00+07:00"
    )


def test_verify_reads_each_streams_last_record_and_whole_streams_only_when_asked(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Re-reading every project's whole stream is `--cross-check`; by default only each
    stream's last record is read (one short query per project) and compared with the log."""
    from dautu_adapters.stores.store import RecorderStore

    reads: list[tuple[str, int]] = []
    real = RecorderStore.read_stream

    def counted(self: RecorderStore, code: str, **kwargs: int) -> object:
        reads.append((code, kwargs.get("after_version", 0)))
        return real(self, code, **kwargs)

    monkeypatch.setattr(RecorderStore, "read_stream", counted)
    code, out = run(capsys, "--store", url, "verify")
    assert code == 3 and "KẾT QUẢ: TOÀN VẸN, CHƯA XÁC THỰC" in out
    assert sorted(reads) == [("DA-0001", 5), ("DA-0002", 4)]  # the last version of each
    assert "Bảo đảm hạn chế" in out and "bản ghi cuối của mỗi dự án" in out
    assert "hồ sơ từng dự án theo chỉ mục của kho kết thúc ở bản ghi cuối" in out
    assert "Chưa kiểm tra: từng bản ghi giữa của hồ sơ dự án" in out and "--cross-check" in out
    assert "từng bản ghi\n" not in out and "khớp nhật ký, từng bản ghi" not in out
    reads.clear()
    code, out = run(capsys, "--store", url, "verify", "--cross-check")
    assert code == 3 and sorted(reads) == [("DA-0001", 0), ("DA-0002", 0)]
    assert "hồ sơ từng dự án theo chỉ mục của kho khớp nhật ký, từng bản ghi" in out
    assert "Chưa kiểm tra: từng bản ghi giữa" not in out


def test_times_are_shown_in_vietnam_time_and_today_is_vietnams() -> None:
    from dautu_adapters.audit.render import show_time
    from dautu_adapters.cli.common import vietnam_now as _now

    utc = datetime.fromisoformat("2024-02-21T20:30+00:00")
    assert show_time(utc, "vi") == "22/02/2024 03:30 (giờ Việt Nam, UTC+07:00)"
    assert show_time(utc, "en") == "2024-02-22 03:30 (ICT, UTC+07:00)"
    now = _now()
    assert now.utcoffset() is not None and now.utcoffset().total_seconds() == 7 * 3600  # type: ignore[union-attr]


def test_output_piped_into_a_reader_that_stops_early_ends_quietly(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            raise io.UnsupportedOperation("no file")

    monkeypatch.setattr("sys.stdout", Closed())
    assert main(["--store", url, "history", "DA-0001"]) == 0


def test_diff_lists_what_was_learned_between_two_points(tmp_path: Path) -> None:
    """``dautu diff``: the records learned between two known-at points and the fields moved."""
    dautu = Path(sys.executable).with_name("dautu")
    url = f"sqlite:///{tmp_path / 'diff.db'}"
    demo = subprocess.run(
        [str(dautu), "--store", url, "demo"], capture_output=True, text=True, check=False
    )
    assert demo.returncode == 0, demo.stderr
    run = subprocess.run(
        [str(dautu), "--store", url, "diff", "DA-HD-005", "--from", "2023-01-01",
         "--to", "2024-03-01", "--format", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    change = json.loads(run.stdout)
    learned = [item["version"] for item in change["learned"]]
    assert learned and learned == sorted(learned)
    assert all(v in learned for v in change["appeared"])
    fields = {c["field"] for c in change["changes"]}
    assert "last_recorded_at" not in fields and "history" not in fields
    nothing = subprocess.run(
        [str(dautu), "--store", url, "diff", "DA-HD-005", "--from", "2024-03-01",
         "--to", "2024-03-01"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert nothing.returncode == 0 and "Không có thay đổi" in nothing.stdout


def test_verify_has_one_verdict_and_the_stored_projection_is_part_of_it(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Never "INTACT" and then a failure: a stored projection that disagrees with the log is a
    finding of the one verdict, and the exit code says the same."""
    from dautu_adapters.review.projection import catch_up
    from dautu_core.projections import PortfolioProjection

    key, cp = tmp_path / "k.pem", tmp_path / "cp.json"
    run(capsys, "keygen", "--out", str(key))
    run(capsys, "--store", url, "checkpoint", "--key", str(key), "--out", str(cp))
    public = str(tmp_path / "k.pem.pub")
    store = open_store(url)
    try:
        catch_up(store)  # stores the read model `dautu review` reads
    finally:
        store.close()
    argv = ("--store", url, "verify", "--checkpoint", str(cp), "--public-key", public)
    code, out = run(capsys, *argv)
    assert code == 0 and "bảng tổng hợp đã lưu khớp nhật ký" in out
    name = PortfolioProjection().name
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as con:
        (blob,) = con.execute(
            "SELECT state FROM dautu_projections WHERE name=?", (name,)
        ).fetchone()
        assert b'"DA-0002"' in blob
        edited = bytes(blob).replace(b'"DA-0002"', b'"DA-0003"')
        con.execute("UPDATE dautu_projections SET state=? WHERE name=?", (edited, name))
    con.close()
    code, out = run(capsys, *argv)
    assert code == 1, out
    assert "TOÀN VẸN" not in out and "KẾT QUẢ: PHÁT HIỆN SAI LỆCH (" in out
    assert "bảng tổng hợp đã lưu không khớp nhật ký" in out and "dautu review --rebuild" in out
    code, out = run(capsys, "--lang", "en", *argv, "--format", "json")
    data = json.loads(out)
    assert code == 1 == data["exit_code"] and data["verdict"] == "tampered" and not data["ok"]
    assert [f["kind"] for f in data["findings"]][-1] == "projection_mismatch"


def test_verify_exit_codes_for_an_empty_store_and_a_command_that_cannot_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_store(url).close()
    code, out = run(capsys, "--store", url, "verify")
    assert code == 4 and out.endswith("KẾT QUẢ: KHO TRỐNG — không có bản ghi nào để kiểm tra\n")
    code, out = run(capsys, "--store", url, "--lang", "en", "verify", "--format", "json")
    assert code == 4 and json.loads(out)["verdict"] == "empty"
    missing = str(tmp_path / "no-such-checkpoint.json")
    code, out = run(capsys, "--store", url, "verify", "--checkpoint", missing)
    assert code == 2 and "no-such-checkpoint.json" in out and "Traceback" not in out
    code, out = run(capsys, "verify-bundle", str(tmp_path / "no-such-bundle"))
    assert code == 2 and "no-such-bundle" in out


def test_verify_help_documents_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("verify", "verify-bundle"):
        assert main([command, "--help"]) == 0
        out = capsys.readouterr().out
        assert "Mã thoát / exit codes:" in out
        for line in ("  0  ", "  1  ", "  2  ", "  3  "):
            assert line in out, (command, line)
        assert ("  4  kho trống / empty store" in out) == (command == "verify")


def test_a_project_moved_to_another_stream_id_fails_the_documented_command(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`verify --checkpoint --strict` used to say INTACT while `history` said the project does
    not exist."""
    from dautu_adapters.stores import stream_id

    key, cp = tmp_path / "k.pem", tmp_path / "cp.json"
    run(capsys, "keygen", "--out", str(key))
    run(capsys, "--store", url, "checkpoint", "--key", str(key), "--out", str(cp))
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as con:
        con.execute(
            "UPDATE stored_events SET originator_id=? WHERE originator_id=?",
            ("0" * 31 + "1", stream_id("DA-0002").hex),
        )
    con.close()
    code, out = run(capsys, "--store", url, "history", "DA-0002")
    assert code != 0
    code, out = run(
        capsys, "--store", url, "verify", "--checkpoint", str(cp),
        "--public-key", str(tmp_path / "k.pem.pub"), "--strict",
    )  # fmt: skip
    assert code == 1 and "TOÀN VẸN" not in out
    assert "Đầu tiên: dự án DA-0002, phiên bản 1" in out and "bị xếp sai dự án" in out


def test_exporting_a_bundle_without_a_checkpoint_warns_that_it_is_unsigned(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ("--store", url, "export", "audit-bundle", "--project", "DA-0001")
    main([*argv, "--out", str(tmp_path / "b1")])
    captured = capsys.readouterr()
    assert "records.jsonl" in captured.out
    assert "Cảnh báo: bộ hồ sơ CHƯA KÝ" in captured.err and "mã thoát 3" in captured.err
    main(["--lang", "en", *argv, "--out", str(tmp_path / "b2")])
    assert "Warning: the bundle is UNSIGNED" in capsys.readouterr().err
    key, cp = tmp_path / "k.pem", tmp_path / "cp.json"
    run(capsys, "keygen", "--out", str(key))
    run(capsys, "--store", url, "checkpoint", "--key", str(key), "--out", str(cp))
    code = main([*argv, "--checkpoint", str(cp), "--out", str(tmp_path / "b3")])
    captured = capsys.readouterr()
    assert code == 0 and "CHƯA KÝ" not in captured.err + captured.out
    code, out = run(capsys, "verify-bundle", str(tmp_path / "b1"), "--public-key", f"{key}.pub")
    assert code == 3 and out.endswith("CHƯA XÁC THỰC — điểm kiểm tra chưa được ký\n")
