"""The handling tracks of a provincial review, with the article's own Vietnamese wording.

Why a closed list with stable ids: the department's report, the recorded decision
(:class:`~dautu_core.events.ReviewDecided`) and every export count projects per track, so the
ids must not drift. The labels are for people; the six handling tracks' Vietnamese labels are
the article's own words (:data:`ARTICLE_WORDING`, checked against the article by a test). The six
handling tracks come from the Hải Dương review of 21 Feb 2024 (see DOMAIN.md, "Mapping the
article's six tracks"); ``on_track`` and ``out_of_scope`` complete the list so that every
project in a store gets exactly one primary track.
"""

from __future__ import annotations

from dautu_core.vocab import Labelled, register_labels

__all__ = ["ARTICLE_WORDING", "DEFAULT_PRECEDENCE", "HANDLING_TRACKS", "Track"]


class Track(Labelled):
    """A handling track; the value is the stable id stored in decisions and exports."""

    TERMINATE = "terminate"
    RESOLVE_VIOLATION_THEN_ADJUST = "resolve_violation_then_adjust"
    COMPLETE_PROCEDURES = "complete_procedures"
    LAND_ENVIRONMENT_VIOLATION = "land_environment_violation"
    MINERAL_RIGHTS_AUCTION = "mineral_rights_auction"
    DISTRICT_AUTHORITY = "district_authority"
    ON_TRACK = "on_track"
    OUT_OF_SCOPE = "out_of_scope"

    @property
    def short_vi(self) -> str:
        return _SHORT[self][0]

    @property
    def short_en(self) -> str:
        return _SHORT[self][1]

    def short(self, lang: str = "vi") -> str:
        """A short label that fits a terminal table column."""
        return self.short_vi if lang == "vi" else self.short_en


HANDLING_TRACKS: tuple[Track, ...] = (
    Track.TERMINATE,
    Track.RESOLVE_VIOLATION_THEN_ADJUST,
    Track.COMPLETE_PROCEDURES,
    Track.LAND_ENVIRONMENT_VIOLATION,
    Track.MINERAL_RIGHTS_AUCTION,
    Track.DISTRICT_AUTHORITY,
)
"""The six tracks of the article, in the order the article lists them."""

DEFAULT_PRECEDENCE: tuple[Track, ...] = (
    Track.OUT_OF_SCOPE,
    Track.TERMINATE,
    Track.MINERAL_RIGHTS_AUCTION,
    Track.DISTRICT_AUTHORITY,
    Track.LAND_ENVIRONMENT_VIOLATION,
    Track.RESOLVE_VIOLATION_THEN_ADJUST,
    Track.COMPLETE_PROCEDURES,
    Track.ON_TRACK,
)
"""Which track is primary when several hold, strongest first.

Why this order: a project outside the review's scope is not reviewed at all; a project whose
termination grounds hold (Law 61/2020 Art. 48(2)) makes every other handling moot; the mineral
auction and the district's competence decide *who* acts first, so they come before the kind of
violation; land and environment violations go to other sectoral bodies before any investment
adjustment; handling investment violations comes before letting the investor complete
procedures; ``on_track`` is what is left.
"""

ARTICLE_WORDING: dict[Track, str] = {
    Track.TERMINATE: "thuộc diện chấm dứt hoạt động",
    Track.RESOLVE_VIOLATION_THEN_ADJUST: (
        "cần xử lý vi phạm về đầu tư trước khi đề nghị UBND tỉnh xem xét chấp thuận điều chỉnh "
        "chủ trương đầu tư"
    ),
    Track.COMPLETE_PROCEDURES: "cho phép nhà đầu tư hoàn thiện các thủ tục về đầu tư",
    Track.LAND_ENVIRONMENT_VIOLATION: "thuộc diện xử lý vi phạm về đất đai, môi trường",
    Track.MINERAL_RIGHTS_AUCTION: (
        "khai thác khoáng sản thuộc trường hợp phải đấu giá quyền khai thác"
    ),
    Track.DISTRICT_AUTHORITY: (
        "thuộc thẩm quyền UBND cấp huyện xử lý vi phạm về đầu tư trước khi tham mưu, trình UBND "
        "tỉnh xem xét chấp thuận điều chỉnh chủ trương đầu tư"
    ),
}
"""Each handling track in the words of the article of 21 Feb 2024 ("Về tình hình xử lý các dự án
đầu tư ..."), as they follow "N dự án" there; the Vietnamese labels are these words with a
capital letter, and a test compares them with the article's text."""


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


register_labels(
    {
        Track.TERMINATE: (
            _capitalised(ARTICLE_WORDING[Track.TERMINATE]),
            "To be terminated",
        ),
        Track.RESOLVE_VIOLATION_THEN_ADJUST: (
            _capitalised(ARTICLE_WORDING[Track.RESOLVE_VIOLATION_THEN_ADJUST]),
            "Investment violations to be handled before the Provincial People's Committee is "
            "asked to consider approving an adjustment of the investment policy",
        ),
        Track.COMPLETE_PROCEDURES: (
            _capitalised(ARTICLE_WORDING[Track.COMPLETE_PROCEDURES]),
            "The investor is allowed to complete the investment procedures",
        ),
        Track.LAND_ENVIRONMENT_VIOLATION: (
            _capitalised(ARTICLE_WORDING[Track.LAND_ENVIRONMENT_VIOLATION]),
            "Land and environment violations to be handled",
        ),
        Track.MINERAL_RIGHTS_AUCTION: (
            _capitalised(ARTICLE_WORDING[Track.MINERAL_RIGHTS_AUCTION]),
            "Mineral exploitation whose exploitation rights must be auctioned",
        ),
        Track.DISTRICT_AUTHORITY: (
            _capitalised(ARTICLE_WORDING[Track.DISTRICT_AUTHORITY]),
            "Within the district People's Committee's authority: it handles the investment "
            "violations before advising and submitting to the Provincial People's Committee to "
            "consider approving an adjustment of the investment policy",
        ),
        Track.ON_TRACK: ("Đúng tiến độ, không có vi phạm", "On schedule, no violation"),
        Track.OUT_OF_SCOPE: ("Ngoài phạm vi rà soát", "Outside the review's scope"),
    }
)

_SHORT: dict[Track, tuple[str, str]] = {
    Track.TERMINATE: ("Chấm dứt", "Terminate"),
    Track.RESOLVE_VIOLATION_THEN_ADJUST: ("Xử lý VP rồi điều chỉnh", "Violations, then adjust"),
    Track.COMPLETE_PROCEDURES: ("Hoàn thiện thủ tục", "Complete procedures"),
    Track.LAND_ENVIRONMENT_VIOLATION: ("VP đất đai, môi trường", "Land/environment"),
    Track.MINERAL_RIGHTS_AUCTION: ("Đấu giá khoáng sản", "Mineral auction"),
    Track.DISTRICT_AUTHORITY: ("Thẩm quyền cấp huyện", "District authority"),
    Track.ON_TRACK: ("Đúng tiến độ", "On track"),
    Track.OUT_OF_SCOPE: ("Ngoài phạm vi", "Out of scope"),
}
