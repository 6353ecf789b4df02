"""The OpenAPI document's own parts: the two ways to log in, and the answers every operation may
give besides its success (400 with messages per field, 401, 403, 404, 429), so a client and a
property-based test know them (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from kesbang.core.ids import MAX_ID


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "kesbang.api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "kbg_<awalan>_<rahasia>",
                "description": str(_("Token akses pribadi dari halaman Token API (/akun/token/)."))}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "kesbang.api.authentication.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": str(_("Sesi peramban yang sudah masuk (dan lulus verifikasi dua langkah bila wajib); "
                                     "penulisan memerlukan header X-CSRFToken."))}


ERROR = {
    "type": "object",
    "description": "`detail` (pesan) atau, untuk data yang ditolak, daftar pesan per kolom "
                   "(`non_field_errors` untuk yang tidak terkait satu kolom).",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
ERRORS = {
    "400": "Data atau parameter ditolak; pesan per kolom.",
    "401": "Tidak masuk: token tidak ada, tidak sah, dicabut atau kedaluwarsa.",
    "403": "Tidak berhak (peran, cakupan token, atau CSRF untuk sesi).",
    "404": "Tidak ditemukan atau di luar cakupan akun ini.",
    "429": "Terlalu banyak permintaan (pembatasan per token).",
}


LIST = ("Halaman berkursor (`cursor`, `page_size`) dengan filter yang sama seperti halaman daftarnya; hanya baris "
        "yang boleh dilihat akun ini.")
DETAIL = "Satu baris yang boleh dilihat akun ini (404 bila di luar cakupannya); ETag dan If-None-Match → 304."
# operationId → (summary, description), in Indonesian as the rest of the interface.
OPERATIONS = {
    "regions_list": ("Daftar wilayah",
                     "Provinsi, kabupaten/kota, kecamatan dan desa/kelurahan (kode Kemendagri). " + LIST),
    "regions_retrieve": ("Satu wilayah", DETAIL),
    "institutions_list": ("Daftar instansi", LIST),
    "institutions_retrieve": ("Satu instansi", DETAIL),
    "teams_list": ("Daftar Tim Terpadu", "Filter seperti /tim/: tingkat, wilayah, status, tahun. " + LIST),
    "teams_retrieve": ("Satu Tim Terpadu dengan anggota aktifnya", "Anggota aktif per kedudukan (dengan kontak, "
                       "seperti halaman tim) dan rencana aksinya. " + DETAIL),
    "people_list": ("Daftar orang",
                    "Filter seperti /tim/orang/: cari (nama, instansi, NIP), instansi, wilayah. " + LIST),
    "people_retrieve": ("Satu orang", "Data, kontak dan keanggotaan pada tim yang boleh dilihat. " + DETAIL),
    "action_plans_list": ("Daftar Rencana Aksi Terpadu", LIST),
    "action_plans_retrieve": ("Satu Rencana Aksi dengan realisasinya", "Kegiatan per tahap, target dan realisasi per "
                              "periode (B04/B08/B12), capaian, batas waktu. " + DETAIL),
    "incidents_list": ("Daftar insiden", "Filter seperti /insiden/ (jenis, status, keparahan, wilayah, kecamatan, "
                       "sumber, kategori, tanggal kejadian, tanggal laporan, cari). Urutan: kejadian terbaru dulu. "
                       "Klasifikasi: insiden terbatas/rahasia hanya untuk yang berhak. " + LIST),
    "incidents_create": ("Laporkan insiden", "Seperti lapor cepat (/insiden/lapor/): `client_key` (UUID) mencegah "
                         "laporan ganda saat dikirim ulang (201 baru, 200 yang sudah ada); `submit: false` menyimpan "
                         "draf. Pesan penolakan dalam bahasa Indonesia per kolom (400). Perlu token baca-tulis."),
    "incidents_retrieve": ("Satu insiden", "Semua data, tindak lanjut, perubahan status, Status Keadaan Konflik, "
                           "metadata lampiran; tautan eskalasi hanya bila insiden itu juga boleh dibaca. " + DETAIL),
    "incidents_attachments_file_retrieve": ("Berkas lampiran insiden", "Berkas apa adanya, bagi yang boleh membaca "
                                            "insidennya."),
    "incidents_follow_ups_create": ("Catat tindak lanjut", "Tindak lanjut penanganan; `transition` (handle, recover, "
                                    "close) sekaligus mengubah status bila boleh. Perlu token baca-tulis."),
    "incidents_transitions_create": ("Ubah status insiden", "submit, verify, reject (dengan `reason`), handle, "
                                     "recover, close: aturan dan pesan yang sama seperti tombol di halaman insiden. "
                                     "Perlu token baca-tulis."),
    "meetings_list": ("Daftar rapat", "Filter seperti /rapat/: tim, jenis, status, rentang tanggal. " + LIST),
    "meetings_retrieve": ("Satu rapat", "Acara, undangan dan jawaban, kehadiran, notulen, rumusan, tindak lanjut; "
                          "insiden yang dibahas ditampilkan sesuai kebijakan klasifikasi. " + DETAIL),
    "action_items_list": ("Daftar tindak lanjut rapat", "Filter: status, rapat, `saya` (milik akun ini), "
                          "`terlambat`. " + LIST),
    "action_items_retrieve": ("Satu tindak lanjut rapat", "Dengan catatan kemajuannya. " + DETAIL),
    "action_items_progress_create": ("Catat kemajuan tindak lanjut", "Oleh penanggung jawabnya atau pengelola "
                                     "rapatnya; `status: selesai` menutupnya. Perlu token baca-tulis."),
    "reports_list": ("Daftar laporan berkala", "Filter: jenis, tahun. " + LIST),
    "reports_retrieve": ("Satu laporan berkala", "Metadata, angka ringkasan, narasi, checksum berkas. " + DETAIL),
    "national_packages_list": ("Daftar paket pengiriman nasional", "Versi paket per periode (Staf Provinsi, "
                               "Pimpinan). " + LIST),
    "national_packages_retrieve": ("Satu paket pengiriman nasional", DETAIL),
    "national_packages_document_retrieve": ("Dokumen JSON paket nasional", "Isi berkas JSON dalam zip paket: insiden "
                                            "sesuai kebijakan klasifikasi untuk audiens eksternal (biasa lengkap, "
                                            "terbatas hanya nomor, rahasia hanya dihitung), rencana aksi, checksum "
                                            "kedua buku kerja."),
    "reports_files_retrieve": ("Berkas laporan (PDF atau .xlsx)", "Versi yang sudah selesai; SHA-256 di header "
                               "X-Content-SHA256."),
}


def add_error_responses(result, generator, request, public):
    """Every operation documents the error answers; details document ETag, If-None-Match and 304."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name") in ("id", "attachment_pk"):
                    # A row id (kesbang.core.ids): the <id:…> converter answers anything else with a 404.
                    parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
            if operation.get("operationId") in OPERATIONS:  # the reader's words, not the code's docstrings
                operation["summary"], operation["description"] = OPERATIONS[operation["operationId"]]
            responses = operation.setdefault("responses", {})
            for code, text in ERRORS.items():
                if code == "404" and "{" not in path and method == "get":
                    continue
                responses.setdefault(code, {"description": text, "content": {"application/json": {"schema": ref}}})
            detail = method == "get" and path.endswith("/{id}/")
            if detail:
                operation.setdefault("parameters", []).append({
                    "name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
                    "description": "ETag dari jawaban sebelumnya: 304 bila tidak berubah."})
                responses["304"] = {"description": "Tidak berubah sejak ETag itu.",
                                    "headers": {"ETag": {"schema": {"type": "string"}}}}
                responses["200"].setdefault("headers", {})["ETag"] = {"schema": {"type": "string"}}
    return result
