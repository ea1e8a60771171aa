"""Accounts and sessions: the business rules behind /v1/auth and /v1/user/me."""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlencode

from allauth.account.models import EmailAddress, EmailConfirmation, EmailConfirmationHMAC
from allauth.account.utils import user_email
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Value
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from hustmusik.errors import ApiError
from hustmusik.images import apply_image, delete_file_on_commit
from hustmusik.proxies import client_address
from hustmusik.services import model_update
from users.models import OAuthExchangeCode, User, UserManager
from users.tokens import SESSION_CLAIM

logger = logging.getLogger("hustmusik.auth")

# A username shared by several accounts mails each of them its own link, up to this many.
MAX_RESET_MAILS_PER_USERNAME = 5


class WrongCurrentPassword(ApiError):
    """The current password given to change credentials is not the account's (or it has none)."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("The current password is incorrect."), code="invalid_credentials", status=403)


class InvalidResetToken(ApiError):
    def __init__(self):
        super().__init__(_("This reset link is invalid, expired or already used."), code="invalid_token", status=400)


def _email_taken() -> ApiError:
    return ApiError(_("An account with this email already exists."), code="email_taken", status=409)


def check_password_rules(password: str, *, email: str, username: str = "", user: User | None = None) -> None:
    """Every password rule, each failure reported separately under `password`."""
    # An unsaved stand-in: the similarity rule compares with the email and username to be.
    candidate = User(email=email, username=username or (user.username if user else ""))
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from None


# --- sessions -------------------------------------------------------------------


@transaction.atomic
def user_revoke_sessions(*, user: User) -> None:
    """End every session of the user: refresh tokens blacklisted, access tokens refused from now on."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    outstanding = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )


def _invalid_refresh_token() -> ApiError:
    return ApiError(_("The refresh token is invalid or expired."), code="token_not_valid", status=401)


def refresh_token_owner(refresh_token: str) -> str | None:
    """The user id of a genuine refresh token (signature checked), for per-account rate limits."""
    try:
        return str(token_backend.decode(refresh_token, verify=True).get(jwt_settings.USER_ID_CLAIM))
    except (TokenBackendError, TokenError):
        return None


def session_renew(*, refresh_token: str) -> User:
    """Check a refresh token and retire it (rotation); the caller issues the new pair.

    A refresh token that was already rotated means it was copied: every session of the
    account ends, the thief's and the owner's alike, and the owner signs in again.
    """
    try:
        payload = token_backend.decode(refresh_token, verify=True)
    except (TokenBackendError, TokenError):
        raise _invalid_refresh_token() from None
    if payload.get(jwt_settings.TOKEN_TYPE_CLAIM) != "refresh" or not payload.get("jti"):
        raise _invalid_refresh_token()

    reused = False
    with transaction.atomic():
        user = (
            User.objects.select_for_update().filter(pk=payload.get(jwt_settings.USER_ID_CLAIM), is_active=True).first()
        )
        outstanding = OutstandingToken.objects.filter(jti=payload["jti"]).first()
        if user is None or outstanding is None:
            raise _invalid_refresh_token()
        if payload.get(SESSION_CLAIM) != user.session_generation:
            raise ApiError(_("This session has ended. Sign in again."), code="session_revoked", status=401)
        _token, retired_now = BlacklistedToken.objects.get_or_create(token=outstanding)
        if not retired_now:
            reused = True
            user_revoke_sessions(user=user)
    if reused:
        logger.warning("Rotated refresh token presented again for user %s; all sessions ended", user.pk)
        raise ApiError(
            _("This refresh token was already used. Every session of the account has been ended; sign in again."),
            code="token_reused",
            status=401,
        )
    return user


# --- sign-up and sign-in --------------------------------------------------------


def user_sign_up(*, request, email: str, password: str, username: str = "", country: str = "", avatar=None) -> User:
    email = UserManager.normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise _email_taken()
    user = User(email=email, username=username or email.split("@")[0], country=country)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            if avatar is not None:
                user.avatar.save(avatar.name, avatar, save=True)
            address = EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
            email_confirmation_enqueue(address=address, signup=True)
    except IntegrityError:  # the same email signed up concurrently
        raise _email_taken() from None
    return user


def user_sign_in(*, request, email: str, password: str) -> User:
    user = authenticate(request, email=UserManager.normalize_email(email), password=password)
    if user is None:
        logger.warning(
            "Failed sign-in for %r from %s", UserManager.normalize_email(email)[:254], client_address(request)
        )
        raise ApiError(_("Invalid email or password."), code="invalid_credentials", status=401)
    return user


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account and everything it owns (collections, history, follows cascade), then
    (once that is committed) its avatar."""
    delete_file_on_commit(user.avatar)
    user.delete()


# --- profile and credentials ----------------------------------------------------


PROFILE_UPDATABLE = ["username", "country"]


@transaction.atomic
def user_update_profile(*, user: User, data: dict, avatar=None) -> User:
    """Change the profile; a new avatar replaces the stored one, which is deleted once committed."""
    image = apply_image(user, file_attr="avatar", url_attr=None, upload=avatar)
    model_update(instance=user, fields=PROFILE_UPDATABLE, data=data, changed=image)
    return user


def user_change_credentials(
    *, request, user: User, current_password: str, email: str | None = None, password: str | None = None
) -> bool:
    """Change the email and/or the password; returns whether the password changed (sessions ended)."""
    if not user.has_usable_password():
        raise ApiError(
            _("This account signs in with Google and has no password to change."),
            code="no_password_account",
            status=403,
        )
    if not user.check_password(current_password):
        raise WrongCurrentPassword()

    new_email = UserManager.normalize_email(email) if email else None
    if new_email == user.email:
        new_email = None
    if password:
        check_password_rules(password, email=new_email or user.email, user=user)

    with transaction.atomic():
        if new_email:
            if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
                raise _email_taken()
            user.email = new_email
            EmailAddress.objects.filter(user=user).delete()
            address = EmailAddress.objects.create(user=user, email=new_email, primary=True, verified=False)
            email_confirmation_enqueue(address=address, signup=False)
        if password:
            user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise _email_taken() from None
        if password:
            user_revoke_sessions(user=user)
    return bool(password)


# --- password reset -------------------------------------------------------------


def password_reset_user_key(user: User) -> str:
    """The user key of reset links: the account id, URL-safe base64."""
    return urlsafe_base64_encode(user.pk.bytes)


def password_reset_token(user: User) -> str:
    """`<user key>.<Django reset token>`: single-use (tied to the password hash) and expiring."""
    return f"{password_reset_user_key(user)}.{default_token_generator.make_token(user)}"


def _user_from_reset_token(token: str, user_key: str | None = None) -> User | None:
    """The account a reset token is for; `user_key` (from the link) may carry the key part instead."""
    uid, dot, secret = token.partition(".")
    if user_key is not None:
        if not dot:  # the bare Django token, its user key given apart
            uid, secret = user_key, token
        elif uid != user_key:
            return None
    try:
        user_id = uuid.UUID(bytes=urlsafe_base64_decode(uid))
    except (ValueError, TypeError):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, secret):
        return None
    return user


def password_reset_request(*, login: str) -> None:
    """Queue the mailing of reset links for `login` (an email, or else a username), in the
    language of the request.

    The request does the same work whether or not an account matches (one job queued, no
    lookup), so its answer and its timing say nothing about which accounts exist; the
    worker looks the account up (`password_reset_mail_accounts`).
    """
    from users import tasks

    tasks.mail_password_reset_links.defer(login=login.strip()[:254], language=translation.get_language())


@transaction.atomic
def password_reset_mail_accounts(*, login: str, language: str | None = None) -> int:
    """Queue a reset mail to the account whose email (or else username) is `login`.

    Usernames are not unique: every account with that username gets a link to its own
    mailbox (each its own job, so one bad mailbox never resends the others' links).
    """
    from users import tasks

    accounts = User.objects.filter(is_active=True)
    matches = list(accounts.filter(email__iexact=UserManager.normalize_email(login))[:1])
    if not matches and "@" not in login:
        matches = list(accounts.filter(username__iexact=login).order_by("created_at")[:MAX_RESET_MAILS_PER_USERNAME])
    if not matches:
        logger.info("Password reset asked for an unknown account")
    for user in matches:
        tasks.send_password_reset.defer(user_id=str(user.pk), language=language)
    return len(matches)


def password_reset_send(*, user_id: str, language: str | None = None) -> None:
    """Mail the account a fresh reset link (a job; a link of an earlier attempt stays valid)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    query = urlencode({"token": password_reset_token(user), "user": password_reset_user_key(user)})
    with translation.override(mail_language(language)):
        send_templated_email(
            "emails/password_reset",
            to=user.email,
            context={
                "user": user,
                "reset_url": f"{settings.FRONTEND_URL}/new-password?{query}",
                "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
            },
        )


def password_reset_confirm(*, token: str, password: str, user_key: str | None = None) -> User:
    user = _user_from_reset_token(token, user_key)
    if user is None:
        raise InvalidResetToken()
    check_password_rules(password, email=user.email, user=user)
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    user_revoke_sessions(user=user)
    return user


def mail_language(language: str | None) -> str:
    """The language a mail is written in: the one its request was answered in (the jobs carry it),
    if the site still speaks it, else the default."""
    try:
        return translation.get_supported_language_variant(language or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def send_templated_email(template: str, *, to: str, context: dict) -> None:
    """Render `<template>_subject.txt`, `.txt` and `.html` from templates/ and send them."""
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    message = EmailMultiAlternatives(subject, render_to_string(f"{template}.txt", context), to=[to])
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()


# --- email verification ---------------------------------------------------------


def email_confirmation_enqueue(*, address: EmailAddress, signup: bool) -> None:
    """Queue the verification mail of `address`, in the caller's transaction, in the language of
    the request that asked for it."""
    from users import tasks

    tasks.send_email_confirmation.defer(email_address_id=address.pk, signup=signup, language=translation.get_language())


def email_confirmation_send(*, email_address_id: int, signup: bool, language: str | None = None) -> None:
    """Mail the verification link of an address still waiting for it (a job)."""
    address = EmailAddress.objects.select_related("user").filter(pk=email_address_id, verified=False).first()
    if address is None:  # verified, replaced or deleted since
        return
    with translation.override(mail_language(language)):
        EmailConfirmationHMAC(address).send(None, signup=signup)


def email_verify(*, request, key: str) -> None:
    confirmation = EmailConfirmationHMAC.from_key(key) or EmailConfirmation.from_key(key)
    if confirmation is None or confirmation.confirm(request) is None:
        raise ApiError(_("This verification link is invalid, expired or already used."), code="invalid_key", status=400)


# --- Google sign-in -------------------------------------------------------------


def oauth_check_redirect(redirect_to: str) -> str:
    if redirect_to not in settings.OAUTH_REDIRECT_ALLOWLIST:
        raise ApiError(_("redirect_to is not an allowed client URL."), code="redirect_not_allowed", status=400)
    return redirect_to


def oauth_start_url(*, request, redirect_to: str) -> str:
    """Where the client sends the browser: allauth's Google login, which comes back to our completion view."""
    complete = f"{reverse('auth-oauth-complete')}?{urlencode({'redirect_to': oauth_check_redirect(redirect_to)})}"
    start = f"{reverse('google_login')}?{urlencode({'process': 'login', 'next': complete})}"
    return request.build_absolute_uri(start)


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def oauth_issue_code(*, user: User) -> str:
    code = secrets.token_urlsafe(32)
    OAuthExchangeCode.objects.create(
        code_hash=_hash_code(code),
        user=user,
        expires_at=timezone.now() + timedelta(seconds=settings.OAUTH_CODE_SECONDS),
    )
    return code


def oauth_exchange_code(*, code: str) -> User:
    """Trade a one-time code for its user, at most once, before it expires."""
    now = timezone.now()
    code_hash = _hash_code(code)
    claimed = OAuthExchangeCode.objects.filter(
        code_hash=code_hash, used_at__isnull=True, expires_at__gt=now, user__is_active=True
    ).update(used_at=now)
    if not claimed:
        raise ApiError(_("This sign-in code is invalid, expired or already used."), code="invalid_code", status=400)
    return OAuthExchangeCode.objects.select_related("user").get(code_hash=code_hash).user


def google_id_token_sign_in(*, request, id_token: str) -> User:
    """Verify a Google ID token (signature, audience, issuer, expiry) and find or create its user."""
    provider = get_social_adapter().get_provider(request, "google")
    try:
        sociallogin = provider.verify_token(request, {"id_token": id_token})
    except ValidationError:
        raise ApiError(_("The Google ID token is invalid or expired."), code="invalid_token", status=401) from None

    with transaction.atomic():
        account = (
            SocialAccount.objects.filter(provider="google", uid=sociallogin.account.uid).select_related("user").first()
        )
        if account is not None:
            return account.user
        verified_emails = [address.email for address in sociallogin.email_addresses if address.verified]
        existing = User.objects.filter(email__iexact=verified_emails[0]).first() if verified_emails else None
        if existing is not None:
            if not existing.email_verified:
                # Whoever registered this address before never proved owning it: their password goes.
                existing.set_unusable_password()
                existing.save(update_fields=["password", "updated_at"])
                EmailAddress.objects.filter(user=existing, email__iexact=existing.email).update(verified=True)
            sociallogin.connect(request, existing)
            return existing
        if User.objects.filter(email__iexact=UserManager.normalize_email(user_email(sociallogin.user))).exists():
            # Google does not vouch for this address, and it belongs to an account here.
            raise _email_taken()
        sociallogin.user.set_unusable_password()
        sociallogin.save(request)
        return sociallogin.user


# --- Premium --------------------------------------------------------------------


def user_premium_extend(*, user_id, days: int, now: datetime) -> None:
    """Premium until `days` after the later of now and the current end, in one UPDATE (no lost update).

    Payments call it when an order is paid; the account's fields are written here only."""
    start = Greatest(Coalesce(F("premium_until"), Value(now)), Value(now), output_field=DateTimeField())
    User.objects.filter(pk=user_id).update(
        premium_until=ExpressionWrapper(start + timedelta(days=days), output_field=DateTimeField()),
        updated_at=now,
    )
