"""Settings refuse to start in production mode without the values they cannot guess."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _start(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "kesbang.settings", "DJANGO_READ_DOT_ENV": "0", **env_overrides})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _start({"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr and "ImproperlyConfigured" in result.stderr


def test_refuses_to_start_without_allowed_hosts_when_debug_is_off():
    result = _start({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 60})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_starts_in_production_mode_with_both():
    result = _start({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "example.org"})
    assert result.returncode == 0, result.stderr


def test_debug_mode_needs_nothing():
    result = _start({"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr
