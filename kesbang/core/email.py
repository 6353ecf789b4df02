"""One email helper: HTML plus text, in Indonesian by default, the office's frame around it.

``send_email(to=[...], subject=..., template="plan_reminder", context={...})`` renders
``templates/emails/<template>.txt`` and ``<template>.html`` (which extends ``emails/base.html``) under
``language`` and sends both parts. SMTP failures raise: the calling task retries.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    """``settings.KESBANG_BASE_URL`` (default ``SITE_URL``) + path, for links in emails."""
    base = getattr(settings, "KESBANG_BASE_URL", None) or getattr(settings, "SITE_URL", "http://127.0.0.1:8000")
    if path.startswith(("http://", "https://")):
        return path
    return base.rstrip("/") + "/" + path.lstrip("/")


def build_email(*, to: list[str], subject: str, template: str, context: dict, attachments=(), connection=None,
                reply_to=None, language: str = "id") -> EmailMultiAlternatives:
    # A plain str: a subject rendered by render_to_string is "safe" and would reach the HTML part's
    # <title> unescaped (a team name "</title><script>…" in the subject).
    subject = " ".join(str(subject).split())
    ctx = {"office_name": getattr(settings, "KESBANG_OFFICE_NAME",
                                  "Badan Kesbangpol Provinsi Kepulauan Bangka Belitung"),
           "site_url": absolute_url("/"), "subject": subject, **context}
    with translation.override(language):
        text = render_to_string(f"emails/{template}.txt", ctx)
        html = render_to_string(f"emails/{template}.html", ctx)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        connection=connection,
        reply_to=list(reply_to) if reply_to else None,
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def send_email(*, to: list[str], subject: str, template: str, context: dict,
               attachments: list[tuple[str, bytes, str]] = (), connection=None,
               reply_to=None, language: str = "id") -> None:
    """Render and send; raises on SMTP failure (callers retry)."""
    build_email(to=to, subject=subject, template=template, context=context, attachments=attachments,
                connection=connection, reply_to=reply_to, language=language).send(fail_silently=False)
