"""How django-allauth fits the village: accounts keep their mobile number on the user model,
sign-up needs an invitation from the roster, and SMS go through villagegov.sms."""

from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account import stages
from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseForm
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from villagegov.forms.accounts import MobileNumberField, normalise_mobile_number
from villagegov.models import User
from villagegov.selectors.invitations import PENDING_INVITATION_SESSION_KEY, invitation_pending
from villagegov.services.accounts import account_phone_set
from villagegov.services.invitations import invitation_claim
from villagegov.sms import sms_send


def village_user(user: AbstractBaseUser) -> User:
    assert isinstance(user, User), "villagegov.User is the user model"
    return user


class PhoneVerificationStage(stages.PhoneVerificationStage):
    """allauth's stage, except that an account without any phone (made by an administrator or
    the demo data) logs in by username; an account with a phone must have verified it."""

    def handle(self) -> tuple[Any, bool]:
        user = self.login.user
        if user is not None and get_adapter(self.request).get_phone(user) is None:
            return None, True
        response: tuple[Any, bool] = super().handle()
        return response


class VillageAccountAdapter(DefaultAccountAdapter):
    # Sign-up -----------------------------------------------------------------

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts are made only with an invitation the visitor entered at /invite/."""
        return invitation_pending(request) is not None

    def save_user(
        self, request: HttpRequest, user: AbstractBaseUser, form: BaseForm, commit: bool = True
    ) -> AbstractBaseUser:
        """Create the account and claim the invitation's person in one transaction: a claim
        refused at the last moment (the code was just cancelled) leaves no account behind."""
        if not commit:
            return super().save_user(request, user, form, commit=False)
        invitation = invitation_pending(request)
        try:
            if invitation is None:
                raise ValidationError(_("This invitation code can no longer be used."))
            with transaction.atomic():
                saved = super().save_user(request, user, form, commit=True)
                invitation_claim(invitation=invitation, user=village_user(saved))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            raise ImmediateHttpResponse(redirect("invitation_claim")) from error
        request.session.pop(PENDING_INVITATION_SESSION_KEY, None)
        return saved

    def clean_username(self, username: str, shallow: bool = False) -> str:
        username = super().clean_username(username, shallow=shallow)
        # One login field takes both; a username that is a phone number would be ambiguous.
        if normalise_mobile_number(username) is not None:
            raise ValidationError(
                _("A username cannot be a phone number. Choose a name; you can log in with your phone too.")
            )
        return username

    def get_login_stages(self) -> list[str]:
        return [
            "villagegov.adapters.PhoneVerificationStage"
            if path == "allauth.account.stages.PhoneVerificationStage"
            else path
            for path in super().get_login_stages()
        ]

    # Phone numbers, stored on villagegov.User ---------------------------------

    def phone_form_field(self, **kwargs: Any) -> MobileNumberField:
        return MobileNumberField(**kwargs)

    def get_phone(self, user: AbstractBaseUser) -> tuple[str, bool] | None:
        village = village_user(user)
        if not village.phone:
            return None
        return village.phone, village.phone_verified

    def set_phone(self, user: AbstractBaseUser, phone: str, verified: bool) -> None:
        # allauth calls this only for the person's own account: sign-up, verification, change.
        account = village_user(user)
        account_phone_set(
            actor=account, user=account, phone=normalise_mobile_number(phone) or phone, verified=verified
        )

    def set_phone_verified(self, user: AbstractBaseUser, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str) -> AbstractBaseUser | None:
        # The login form passes the number as typed; the other forms pass it cleaned.
        normalised = normalise_mobile_number(phone)
        if normalised is None:
            return None
        return User.objects.filter(phone=normalised).first()

    def send_verification_code_sms(
        self, user: AbstractBaseUser, phone: str, code: str, **kwargs: Any
    ) -> None:
        minutes = account_settings.PHONE_VERIFICATION_TIMEOUT // 60
        sms_send(
            phone=phone,
            message=_(
                "villagegov verification code: %(code)s. It is valid for %(minutes)s minutes. "
                "Do not tell anyone this code."
            )
            % {"code": code, "minutes": minutes},
        )
