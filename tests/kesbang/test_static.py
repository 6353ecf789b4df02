"""Static assets: production's manifest storage collects everything; nothing comes from a CDN."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_collectstatic_with_the_production_manifest_storage(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({
        # kesbang.settings, with WhiteNoise compressing only the SVGs (the module says why)
        "DJANGO_SETTINGS_MODULE": "tests.kesbang.settings_collectstatic",
        "DJANGO_READ_DOT_ENV": "0", "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "example.org", "STATIC_ROOT": str(tmp_path / "static"),
    })
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    for name in ("vendor/bootstrap/css/bootstrap.min.css", "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
                 "css/kesbang.css", "img/logo.svg"):
        assert f'"{name}"' in manifest
    import json

    logo = json.loads(manifest)["paths"]["img/logo.svg"]
    assert (tmp_path / "static" / f"{logo}.gz").exists()  # the compression step ran


def test_no_page_loads_anything_from_another_host():
    external = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if external.search(path.read_text(encoding="utf-8")) and "emails" not in path.parts
    ]
    assert offenders == []
