"""core.xlsx_stream: a large export streamed with openpyxl's write-only mode keeps text as text."""

import datetime
import io

from openpyxl import load_workbook

from kesbang.core.xlsx_stream import table_xlsx_bytes


def test_rows_dates_and_formula_like_text():
    rows = [["=SUM(A1:A2)", datetime.date(2026, 3, 2), 5, ""], ["+62 812", datetime.date(2026, 3, 3), 0, "biasa"]]
    data = table_xlsx_bytes(title="Daftar insiden", headers=["Judul", "Tanggal", "Luka", "Klasifikasi"], rows=rows,
                            filters=[("Status", "Ditangani")], sheet_title="Insiden")
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "Insiden"
    assert ws["A1"].value == "Daftar insiden" and ws["A2"].value == "Status: Ditangani"
    assert [c.value for c in ws[3]] == ["Judul", "Tanggal", "Luka", "Klasifikasi"]
    assert ws["A4"].value == "=SUM(A1:A2)" and ws["A4"].data_type == "s"
    assert ws["A5"].value == "+62 812" and ws["A5"].data_type == "s"
    assert ws["B4"].value.date() == datetime.date(2026, 3, 2) and ws["C4"].value == 5 and ws["D4"].value is None
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref == "A3:D5"


def test_ten_thousand_rows_quickly():
    import time

    rows = ([f"Judul {i}", datetime.date(2026, 1, 1), i, "biasa"] for i in range(10_000))
    started = time.perf_counter()
    data = table_xlsx_bytes(title="t", headers=["a", "b", "c", "d"], rows=rows)
    assert time.perf_counter() - started < 20 and len(data) > 10_000


def test_streamed_in_pieces_before_the_last_row_is_read():
    """The first piece leaves while most rows are still unread; the pieces make one valid workbook."""
    from kesbang.core.xlsx_stream import table_xlsx_chunks

    read = []

    def rows():
        for i in range(5_000):
            read.append(i)
            yield [f"Sengketa lahan tambang timah nomor {i} di desa {i * 7919 % 1000}", datetime.date(2026, 1, 1), i]

    chunks = table_xlsx_chunks(title="Daftar insiden", headers=["Judul", "Tanggal", "Nomor"], rows=rows())
    first = next(chunks)
    assert first.startswith(b"PK") and len(read) < 2_500
    pieces = [first, *chunks]
    assert len(pieces) > 3 and len(read) == 5_000
    ws = load_workbook(io.BytesIO(b"".join(pieces)), read_only=True).active
    values = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(values) == 5_000 and values[-1][2] == 4_999
