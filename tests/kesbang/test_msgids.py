"""Every translated message has a literal msgid that makemessages can see (issue 6: messages built
from variables reached an English login in Indonesian)."""

import ast
import pathlib
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

ROOT = pathlib.Path(settings.BASE_DIR)
GETTEXT = {
    "_": 1, "gettext": 1, "gettext_lazy": 1, "gettext_noop": 1, "ngettext": 2, "ngettext_lazy": 2,
    "pgettext": 2, "pgettext_lazy": 2, "npgettext": 3, "npgettext_lazy": 3,
}
# {% translate var %} / {% trans var %}: a variable as msgid (quoted strings and "as" are fine).
TEMPLATE_VARIABLE_MSGID = re.compile(r"{%-?\s*(?:translate|trans)\s+(?![\"'])([\w.|]+)")


def project_python_files():
    for config in apps.get_app_configs():
        path = pathlib.Path(config.path)
        if ROOT in path.parents and ".venv" not in path.parts:
            for file in path.rglob("*.py"):
                if "migrations" not in file.parts:
                    yield file


def variable_msgids(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in GETTEXT:
            continue
        for arg in node.args[: GETTEXT[name]]:
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_scanner_finds_a_variable_msgid():
    assert variable_msgids("_(message)\n_('ok')\nngettext('a', 'b', n)\n_(f'x {y}')\n", "x.py") == [
        "x.py:1: _(message)", "x.py:4: _(f'x {y}')"
    ]


def test_python_msgids_are_literals():
    found = []
    for file in sorted(project_python_files()):
        found += variable_msgids(file.read_text(encoding="utf-8"), str(file.relative_to(ROOT)))
    assert not found, (
        "gettext called with a variable: makemessages cannot see the text, so it is never translated. "
        "Mark each text where it is written (gettext_lazy(\"...\")) and pass the translated object on:\n  "
        + "\n  ".join(found)
    )


def test_template_msgids_are_literals():
    found = []
    for file in sorted((ROOT / "templates").rglob("*.html")):
        for lineno, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if TEMPLATE_VARIABLE_MSGID.search(line):
                found.append(f"{file.relative_to(ROOT)}:{lineno}: {line.strip()[:120]}")
    assert not found, "{% translate %} of a variable (makemessages cannot see it):\n  " + "\n  ".join(found)


@pytest.mark.django_db
def test_a_raced_constraint_message_reaches_an_english_login_in_english(monkeypatch):
    from teams.models import Person
    from teams.services.organisation import validated_save
    from tests.factories import PersonFactory

    person = PersonFactory.build(region=None)
    monkeypatch.setattr(Person, "full_clean", lambda self, *a, **k: None)

    def save(self, *args, **kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "person_unique_nip"')

    monkeypatch.setattr(Person, "save", save)
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            validated_save(person)
        assert caught.value.messages == ["This NIP is already registered to another person."]
