"""The example rows of the template and the sample filled workbook in ``examples/``.

Fictional projects, typed the way an official types them (text, Vietnamese notation), so that
the examples also show the accepted forms. ``python examples/make_workbooks.py`` writes the
files from here; a test checks the committed files are what this module makes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dautu_adapters.workbook.schema import EVENT_SHEET, PROJECT_SHEET
from dautu_adapters.workbook.writing import workbook_bytes, write_csv

__all__ = [
    "EXAMPLE_ROWS",
    "SAMPLE_NAME",
    "TEMPLATE_NAME",
    "template_bytes",
    "write_examples",
]

TEMPLATE_NAME = "mau-nhap-lieu.xlsx"
SAMPLE_NAME = "nhap-lieu-mau-da-dien.xlsx"

_LAW = "Luật Đầu tư 61/2020/QH14"
_LAW_UNVERIFIED = f"{_LAW} [ví dụ: điều, khoản chưa kiểm tra / example: article not verified]"

EXAMPLE_ROWS: Mapping[str, Sequence[Mapping[str, Any]]] = {
    PROJECT_SHEET: (
        {
            "code": "VD-2165432100",
            "project_name": "Nhà máy sản xuất linh kiện điện tử Gia Lộc",
            "objectives": "Sản xuất linh kiện điện tử xuất khẩu",
            "investors": "Công ty TNHH Linh kiện Gia Lộc | VN | 0801234567",
            "province": "Hải Dương",
            "district": "Gia Lộc",
            "commune": "Gia Tân",
            "industrial_zone": "Không",
            "capital": "850 tỷ",
            "land_area": "12,5 ha",
            "sector": "Công nghiệp chế biến, chế tạo",
            "mineral": "Không",
            "schedule": "Góp vốn: 30/06/2022; Khởi công xây dựng: 01/01/2023; "
            "Đi vào hoạt động: 31/12/2024",
            "duration": "50",
            "authority": "UBND tỉnh Hải Dương",
            "authority_level": "Cấp tỉnh",
            "regime": "Chấp thuận chủ trương và cấp Giấy chứng nhận đăng ký đầu tư",
            "effective_date": "15/03/2021",
            "documents": "512/QĐ-UBND | 15/03/2021 | UBND tỉnh Hải Dương | Quyết định chấp "
            "thuận chủ trương đầu tư",
            "legal_basis": f"Điều 32 {_LAW}",
        },
        {
            "code": "VD-3112233445",
            "project_name": "Khu du lịch sinh thái Thanh Hà",
            "objectives": "Du lịch sinh thái, nghỉ dưỡng",
            "investors": "Công ty CP Du lịch Thanh Hà | VN | 0809876543; "
            "Sakura Resort Co., Ltd. | JP",
            "province": "Hải Dương",
            "district": "Thanh Hà",
            "commune": "Thanh Sơn",
            "industrial_zone": "Không",
            "capital": "1.234.567.890.000",
            "land_area": "85.000 m²",
            "sector": "Du lịch",
            "mineral": "Không",
            "schedule": "Góp vốn: 01/06/2021; Giai đoạn 1: 30/06/2023; Giai đoạn 2: 30/06/2025",
            "duration": "50",
            "authority": "UBND tỉnh Hải Dương",
            "authority_level": "Cấp tỉnh",
            "regime": "Chấp thuận chủ trương đầu tư",
            "effective_date": "02/11/2020",
            "documents": "2890/QĐ-UBND | 02/11/2020 | UBND tỉnh Hải Dương",
            "legal_basis": f"Điều 32 {_LAW}",
        },
    ),
    EVENT_SHEET: (
        {
            "code": "VD-2165432100",
            "kind": "Hoàn thành mốc tiến độ",
            "effective_date": "28/06/2022",
            "milestone": "Góp vốn",
            "legal_basis": _LAW_UNVERIFIED,
            "documents": "15/BC-LK | 30/06/2022 | Công ty TNHH Linh kiện Gia Lộc | Báo cáo góp vốn",
        },
        {
            "code": "VD-2165432100",
            "kind": "Ghi nhận chậm tiến độ",
            "effective_date": "10/03/2023",
            "milestone": "Khởi công xây dựng",
            "text": "Chưa khởi công do chậm giải phóng mặt bằng",
            "authority": "Sở Kế hoạch và Đầu tư tỉnh Hải Dương",
            "authority_level": "Cấp tỉnh",
            "documents": "88/BB-SKHĐT | 10/03/2023 | Sở Kế hoạch và Đầu tư | Biên bản kiểm tra",
            "legal_basis": _LAW_UNVERIFIED,
        },
        {
            "code": "VD-3112233445",
            "kind": "Phát hiện vi phạm",
            "effective_date": "21/02/2024",
            "violation_id": "BB-12/2024",
            "violation_category": "Đất đai",
            "text": "Sử dụng đất sai mục đích tại khu B",
            "authority": "Sở Tài nguyên và Môi trường tỉnh Hải Dương",
            "authority_level": "Cấp tỉnh",
            "documents": "12/BB-VPHC | 21/02/2024 | Sở Tài nguyên và Môi trường",
            "legal_basis": "Nghị định 91/2019/NĐ-CP",
        },
    ),
}
"""Rows by sheet, column key -> text as typed."""


def template_bytes() -> bytes:
    """The empty template, with its example rows on sheets of their own (never imported)."""
    return workbook_bytes({}, examples=EXAMPLE_ROWS)


def write_examples(folder: Path) -> list[Path]:
    """Write the template, its CSV form and the sample filled workbook into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    template = folder / TEMPLATE_NAME
    template.write_bytes(template_bytes())
    sample = folder / SAMPLE_NAME
    sample.write_bytes(workbook_bytes(EXAMPLE_ROWS))
    return [template, *write_csv(template, {}), sample]
