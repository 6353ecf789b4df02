"""A changed password withdraws the login's API tokens: whoever changed it (the owner on /akun/sandi/,
an administrator's "set password" in the admin, the reset link sent by email, ``manage.py
changepassword``), every personal access token of that login is revoked at once
(``services.tokens_revoke_all``, each revocation audited). A token is a standing credential: someone who
changes a password because it leaked, or resets one they lost, expects every way into the account that
came with it to close.

One receiver on the user model's ``post_save`` (as ``kesbang.accounts.grants`` audits grants whatever
made them): Django's own forms and commands change a password through ``set_password`` and ``save``,
no service of ours. ``set_password`` leaves the new password on ``_password`` until ``save`` has called
the password validators' ``password_changed`` (Django's own test of "the password changed"); a hash
upgraded at login (``check_password``) clears it first, so it is no change and withdraws nothing."""

from django.contrib.auth import get_user_model


def after_user_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or created or getattr(instance, "_password", None) is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    from kesbang.api import services

    services.tokens_revoke_all(owner=instance, why="kata sandi diganti")


def connect() -> None:
    from django.db.models.signals import post_save

    post_save.connect(after_user_save, sender=get_user_model(), dispatch_uid="kesbang-api-password-tokens")
