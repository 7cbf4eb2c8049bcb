"""Security-relevant changes to accounts. Each goes into the audit log, without the secret itself
(no password, no code, no authenticator key); an account may be on several villages' rosters, so
its records belong to no village."""

from django.db import transaction

from villagegov.models import User
from villagegov.services.audit import audit_record

PHONE_FIELDS = ["phone", "phone_verified"]


@transaction.atomic
def account_phone_set(*, actor: User | None, user: User, phone: str, verified: bool) -> User:
    """Give `user` the mobile number `phone` (E.164), verified or not. Updates `user` in place:
    allauth goes on using the instance it passed in."""
    stored_phone, stored_verified = (
        User.objects.select_for_update().filter(pk=user.pk).values_list(*PHONE_FIELDS).get()
    )
    user.phone, user.phone_verified = phone, verified
    user.save(update_fields=PHONE_FIELDS)
    if (stored_phone, stored_verified) == (phone, verified):
        return user
    audit_record(
        actor=actor,
        village=None,
        action="account.phone_verify" if stored_phone == phone and verified else "account.phone_change",
        target=user,
        before={"phone": stored_phone, "phone_verified": stored_verified},
        after={"phone": phone, "phone_verified": verified},
    )
    return user


def account_password_record(*, actor: User | None, user: User, action: str) -> None:
    """Record that `user`'s password was changed, set or reset (`action`), by `actor`."""
    audit_record(
        actor=actor,
        village=None,
        action=action,
        target=user,
        after={"usable_password": user.has_usable_password()},
    )


def account_authenticator_record(*, user: User, action: str, authenticator_type: str) -> None:
    """Record that `user` added, removed or renewed a second factor (TOTP, recovery codes)."""
    audit_record(
        actor=user,
        village=None,
        action=action,
        target=user,
        before={"type": authenticator_type} if action == "account.mfa_remove" else None,
        after=None if action == "account.mfa_remove" else {"type": authenticator_type},
    )
