"""allauth's own views change passwords and second factors; its signals bring those changes
into the audit log. (Phone numbers are audited where the adapter writes them.)"""

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.dispatch import receiver

from villagegov.models import User
from villagegov.services.accounts import account_authenticator_record, account_password_record

PASSWORD_ACTIONS = {
    password_changed: "account.password_change",
    password_set: "account.password_set",
    password_reset: "account.password_reset",
}
AUTHENTICATOR_ACTIONS = {
    authenticator_added: "account.mfa_add",
    authenticator_removed: "account.mfa_remove",
    authenticator_reset: "account.mfa_reset",
}


@receiver(list(PASSWORD_ACTIONS), dispatch_uid="villagegov_audit_password")
def audit_password(signal: Any, user: User, **kwargs: Any) -> None:
    # The user themself: a reset happens logged out, and a change may log the session out.
    account_password_record(actor=user, user=user, action=PASSWORD_ACTIONS[signal])


@receiver(list(AUTHENTICATOR_ACTIONS), dispatch_uid="villagegov_audit_authenticator")
def audit_authenticator(signal: Any, user: User, authenticator: Authenticator, **kwargs: Any) -> None:
    account_authenticator_record(
        user=user, action=AUTHENTICATOR_ACTIONS[signal], authenticator_type=authenticator.type
    )
