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
