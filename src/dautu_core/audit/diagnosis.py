"""Working out what happened to a project's stream, once the fast pass found it wrong.

The records of one project, the global positions missing from the log and, when there is one,
the checkpoint's head of the project are enough to name the first record that was modified,
deleted, reordered or inserted (see :func:`diagnose_stream` for the reasoning).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dautu_core.audit.checkpoint import Head
from dautu_core.audit.findings import Finding, FindingKind
from dautu_core.audit.parsing import parse_record
from dautu_core.record import GENESIS, StoredRecord, record_hash

__all__ = ["compare_stream", "diagnose_stream"]

_K = FindingKind


def _gap_between(gaps: Sequence[tuple[int, int]], low: int, high: int | None) -> int | None:
    """The first missing position strictly between ``low`` and ``high`` (``None``: no bound)."""
    for first, last in gaps:
        candidate = max(first, low + 1)
        if candidate <= last and (high is None or candidate < high):
            return candidate
    return None


def _finding(
    kind: FindingKind,
    code: str,
    record: StoredRecord | None,
    vi: str,
    en: str,
    *,
    version: int | None = None,
    position: int | None = None,
) -> Finding:
    return Finding(
        kind=kind,
        project_code=code,
        version=version if version is not None else (record.version if record else None),
        position=position if position is not None else (record.position if record else None),
        detail_vi=vi,
        detail_en=en,
    )


def diagnose_stream(
    code: str,
    records: Sequence[StoredRecord],
    *,
    head: Head | None = None,
    covered: int | None = None,
    gaps: Sequence[tuple[int, int]] = (),
    heads_known: bool = False,
) -> Finding | None:
    """What happened to project ``code``'s stream, or ``None`` if it is intact.

    ``records`` are the project's records in the order the store gives them (global order);
    ``head`` is the checkpoint's head for the project, ``covered`` the global position of the
    last record the checkpoint covers (records after it are not covered; ``None``: all are),
    ``gaps`` the missing global positions;
    ``heads_known`` says the checkpoint lists every project's head, so a project without one
    must have no record inside the checkpoint's range.
    The reasoning, for the first record that does not continue the chain:

    - its version is ahead of the next expected one, which is stored further on (rows of
      different projects swapped by position): reordered;
    - it points (``prev``) to a record stored *after* it: reordered;
    - it points to an earlier record than its predecessor: the records between were inserted;
    - its successor points past it to its predecessor: it was inserted;
    - its successor confirms it: its predecessor was modified (or records were deleted before
      it and the later ones renumbered, when positions are missing between them);
    - its successor does not confirm it either: it was modified;
    - it is the last record: the checkpoint's head decides which of the two was altered.
    """
    recs = list(records)
    hashes = [record_hash(r.data) for r in recs]
    parsed = [parse_record(r.data) for r in recs]
    index_of = {h: i for i, h in reversed(list(enumerate(hashes)))}
    for i, rec in enumerate(recs):
        p = parsed[i]
        if p is None:
            return _finding(
                _K.MALFORMED,
                code,
                rec,
                "các byte đã lưu không còn là một bản ghi chuẩn (JSON chuẩn tắc)",
                "the stored bytes are no longer a canonical record",
            )
        if p.project_code != code:
            return _finding(
                _K.MISFILED,
                code,
                rec,
                f"bản ghi ghi mã dự án {p.project_code}, nhưng được lưu trong hồ sơ dự án {code}",
                f"the record says project {p.project_code} but is filed under project {code}",
            )
        # A record whose type differs from the type the store filed it under may have been
        # moved here from elsewhere in the chain: let the chain say so first.
        wrong_type = p.type_name != rec.type_name
        previous = recs[i - 1] if i else None
        if previous is not None and rec.position <= previous.position:
            return _finding(
                _K.REORDERED,
                code,
                rec,
                f"vị trí {rec.position} đứng sau vị trí {previous.position} của cùng dự án",
                f"position {rec.position} comes after position {previous.position} of the "
                "same project",
            )
        if previous is not None and rec.version <= previous.version:
            kind = _K.INSERTED if rec.version == previous.version else _K.REORDERED
            return _finding(
                kind,
                code,
                rec,
                f"phiên bản {rec.version} xuất hiện sau phiên bản {previous.version}",
                f"version {rec.version} appears after version {previous.version}",
            )
        expected_prev = hashes[i - 1] if i else GENESIS
        expected_version = previous.version + 1 if previous is not None else 1
        if rec.version != expected_version:
            if p.prev == expected_prev:
                return _finding(
                    _K.MODIFIED,
                    code,
                    rec,
                    f"số phiên bản lưu kèm bị đổi từ {expected_version} thành {rec.version}",
                    f"the stored version number was changed from {expected_version} to "
                    f"{rec.version}",
                )
            later = next((r for r in recs[i + 1 :] if r.version == expected_version), None)
            if later is not None:
                # The missing version is there, stored further on: the rows were moved
                # (positions swapped), not deleted.
                return _finding(
                    _K.REORDERED,
                    code,
                    rec,
                    f"phiên bản {rec.version} (vị trí {rec.position}) được lưu trước phiên bản "
                    f"{expected_version} (vị trí {later.position})",
                    f"version {rec.version} (position {rec.position}) is stored before version "
                    f"{expected_version} (position {later.position})",
                )
            low = previous.position if previous is not None else 0
            missing = (
                f"{expected_version}"
                if rec.version == expected_version + 1
                else f"{expected_version}–{rec.version - 1}"
            )
            return _finding(
                _K.DELETED,
                code,
                None,
                f"thiếu phiên bản {missing}: sau phiên bản {expected_version - 1} là phiên bản "
                f"{rec.version}",
                f"version {missing} is missing: version {expected_version - 1} is followed by "
                f"version {rec.version}",
                version=expected_version,
                position=_gap_between(gaps, low, rec.position),
            )
        if p.prev != expected_prev:
            return _chain_break(code, recs, hashes, index_of, i, head, gaps)
        if wrong_type:
            return _finding(
                _K.MODIFIED,
                code,
                rec,
                f"loại sự kiện lưu kèm ({rec.type_name}) khác loại trong bản ghi ({p.type_name})",
                f"the stored type ({rec.type_name}) differs from the record's ({p.type_name})",
            )
    if head is not None:
        return _against_head(code, recs, hashes, head, covered, gaps)
    if heads_known and recs and covered is not None and recs[0].position <= covered:
        return _finding(
            _K.INSERTED,
            code,
            recs[0],
            "nằm trong phạm vi điểm kiểm tra nhưng điểm kiểm tra không ký bản ghi nào của dự án này",
            "inside the checkpoint's range, but the checkpoint signed no record of this project",
        )
    return None


def _chain_break(
    code: str,
    recs: Sequence[StoredRecord],
    hashes: Sequence[str],
    index_of: Mapping[str, int],
    i: int,
    head: Head | None,
    gaps: Sequence[tuple[int, int]],
) -> Finding:
    rec = recs[i]
    p = parse_record(rec.data)
    assert p is not None  # checked by the caller
    expected_prev = hashes[i - 1] if i else GENESIS
    j = index_of.get(p.prev)
    if j is not None and j > i:
        return _finding(
            _K.REORDERED,
            code,
            rec,
            f"bản ghi trỏ tới phiên bản {recs[j].version} vốn được lưu sau nó",
            f"the record points to version {recs[j].version}, which is stored after it",
        )
    has_next = i + 1 < len(recs)
    nxt = parse_record(recs[i + 1].data) if has_next else None
    # The last record of the stream: the checkpoint's head says which side was altered.
    if not has_next and head is not None and head.version == rec.version:
        if head.hash == hashes[i] and i > 0:
            return _modified_predecessor(code, recs[i - 1], rec)
        return _finding(
            _K.MODIFIED,
            code,
            rec,
            "bản ghi cuối khác với bản ghi đã ký trong điểm kiểm tra",
            "the last record differs from the one signed in the checkpoint",
        )
    if not has_next and head is not None and i > 0 and head.version == recs[i - 1].version:
        if head.hash == hashes[i - 1]:
            return _finding(
                _K.INSERTED,
                code,
                rec,
                "bản ghi được thêm sau điểm kiểm tra nhưng không nối vào bản ghi đã ký",
                "added after the checkpoint but does not chain onto the signed record",
            )
        return _modified_predecessor(code, recs[i - 1], rec)
    if j is not None and j < i - 1:
        return _finding(
            _K.INSERTED,
            code,
            recs[j + 1],
            f"phiên bản {rec.version} trỏ về phiên bản {recs[j].version}: các phiên bản "
            f"{recs[j + 1].version}–{recs[i - 1].version} không thuộc chuỗi",
            f"version {rec.version} points back to version {recs[j].version}: versions "
            f"{recs[j + 1].version}–{recs[i - 1].version} are not on the chain",
        )
    if p.prev == GENESIS and i > 0:
        return _finding(
            _K.INSERTED,
            code,
            recs[0],
            f"phiên bản {rec.version} mở đầu một chuỗi mới: các phiên bản trước nó không thuộc chuỗi",
            f"version {rec.version} starts a new chain: the versions before it are not on it",
        )
    if nxt is not None and nxt.prev == expected_prev:
        return _finding(
            _K.INSERTED,
            code,
            rec,
            "bản ghi kế tiếp bỏ qua bản ghi này và nối thẳng vào bản ghi trước nó",
            "the next record skips this one and points to the record before it",
        )
    if nxt is not None and nxt.prev == hashes[i]:
        low = recs[i - 1].position if i else 0
        gap = _gap_between(gaps, low, rec.position)
        renumbered = head is not None and any(
            h == head.hash and r.version < head.version for r, h in zip(recs, hashes, strict=True)
        )
        if gap is not None or i == 0 or renumbered:
            return _finding(
                _K.DELETED,
                code,
                None,
                f"bản ghi trước phiên bản {rec.version} đã bị xoá và các phiên bản sau bị đánh số lại",
                f"a record before version {rec.version} was deleted and later versions renumbered",
                version=rec.version,
                position=gap,
            )
        return _modified_predecessor(code, recs[i - 1], rec)
    if has_next:
        return _finding(
            _K.MODIFIED,
            code,
            rec,
            "trường prev của bản ghi không khớp bản ghi trước, và bản ghi sau không trỏ tới nó",
            "its prev does not match the previous record and the next record does not point to it",
        )
    return _finding(
        _K.BROKEN_LINK,
        code,
        rec,
        f"phiên bản {rec.version} không nối tiếp phiên bản {recs[i - 1].version if i else 0}: "
        "một trong hai đã bị sửa, hoặc phiên bản này bị giả mạo (cần điểm kiểm tra đã ký để "
        "xác định)",
        f"version {rec.version} does not follow version {recs[i - 1].version if i else 0}: "
        "one of them was altered, or this one forged (a signed checkpoint tells which)",
    )


def _modified_predecessor(code: str, previous: StoredRecord, rec: StoredRecord) -> Finding:
    return _finding(
        _K.MODIFIED,
        code,
        previous,
        f"mã băm của bản ghi không còn khớp trường prev của phiên bản {rec.version}",
        f"its hash no longer matches the prev of version {rec.version}",
    )


def _against_head(
    code: str,
    recs: Sequence[StoredRecord],
    hashes: Sequence[str],
    head: Head,
    covered: int | None,
    gaps: Sequence[tuple[int, int]],
) -> Finding | None:
    """An intact chain compared with the checkpoint's head of the project."""
    inside = [
        (r, h)
        for r, h in zip(recs, hashes, strict=True)
        if covered is None or r.position <= covered
    ]
    last_version = inside[-1][0].version if inside else 0
    if head.version > last_version and any(
        r.version == head.version and h == head.hash for r, h in zip(recs, hashes, strict=True)
    ):
        # The signed head is intact but now lies after the checkpoint's size: records were
        # inserted before it somewhere in the log (found there, and by the root).
        return None
    if head.version > last_version:
        low = inside[-1][0].position if inside else 0
        missing = (
            f"{last_version + 1}"
            if head.version == last_version + 1
            else f"{last_version + 1}–{head.version}"
        )
        return _finding(
            _K.DELETED,
            code,
            None,
            f"điểm kiểm tra đã ký dự án đến phiên bản {head.version}; thiếu phiên bản {missing}",
            f"the checkpoint signed the project up to version {head.version}; version "
            f"{missing} is missing",
            version=last_version + 1,
            position=_gap_between(gaps, low, covered + 1 if covered is not None else None),
        )
    if head.version < last_version:
        extra = next(r for r, _ in inside if r.version == head.version + 1)
        return _finding(
            _K.INSERTED,
            code,
            extra,
            f"nằm trong phạm vi điểm kiểm tra nhưng điểm kiểm tra chỉ ký đến phiên bản {head.version}",
            f"inside the checkpoint's range, but the checkpoint signed only up to version "
            f"{head.version}",
        )
    last, last_hash = inside[-1]
    if last_hash != head.hash:
        return _finding(
            _K.MODIFIED,
            code,
            last,
            "bản ghi khác với bản ghi cuối đã ký trong điểm kiểm tra",
            "the record differs from the last record signed in the checkpoint",
        )
    return None


def compare_stream(
    code: str, stream: Sequence[StoredRecord], log_records: Sequence[StoredRecord]
) -> Finding | None:
    """Does the stream the store returns for ``code`` hold exactly the log's records of it?

    A store indexes streams separately from the log (eventsourcing: by originator id); an
    index edited to move a record into another project would not show in the log.
    """
    for index in range(max(len(stream), len(log_records))):
        got = stream[index] if index < len(stream) else None
        want = log_records[index] if index < len(log_records) else None
        if got is not None and want is not None and got.data == want.data:
            continue
        record = got or want
        assert record is not None
        return _finding(
            _K.MISFILED,
            code,
            record,
            "hồ sơ dự án do kho trả về khác với nhật ký chung ở phiên bản này "
            f"({'thừa' if want is None else 'thiếu' if got is None else 'khác nội dung'})",
            "the project's stream as the store returns it differs from the global log at this "
            f"version ({'extra' if want is None else 'missing' if got is None else 'different'})",
        )
    return None
