"""Move recovery codes out of django-otp's static tokens (plain text) into hashed RecoveryCodes.

Every StaticToken becomes a RecoveryCode holding only its salted hash (the codes keep working, once
each); the static devices and their tokens are then deleted, so no plain code is left in the
database. Not reversible: the plain codes are gone."""

import hashlib
import secrets

from django.db import migrations

_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _hash(code: str) -> str:
    # Frozen copy of kesbang.core.onetime.make_hash (a migration must not follow later code changes).
    normalised = "".join(code.split()).replace("-", "").upper().translate(_READ_AS)
    salt = secrets.token_hex(16)
    return f"sha256${salt}${hashlib.sha256(f'{salt}${normalised}'.encode()).hexdigest()}"


def hash_static_tokens(apps, schema_editor):
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    RecoveryCodeDevice = apps.get_model("kesbang", "RecoveryCodeDevice")
    RecoveryCode = apps.get_model("kesbang", "RecoveryCode")
    for static in StaticDevice.objects.all().order_by("pk"):
        tokens = list(static.token_set.values_list("token", flat=True))
        if tokens:
            device = RecoveryCodeDevice.objects.filter(user_id=static.user_id).order_by("pk").first()
            if device is None:
                device = RecoveryCodeDevice.objects.create(user_id=static.user_id, name=static.name[:64],
                                                           confirmed=static.confirmed)
            RecoveryCode.objects.bulk_create([RecoveryCode(device=device, code_hash=_hash(t)) for t in tokens])
        static.token_set.all().delete()
        static.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kesbang", "0007_twofactor_hashed_codes"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(hash_static_tokens, migrations.RunPython.noop)]
