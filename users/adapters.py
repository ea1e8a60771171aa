"""django-allauth adapters: links point at the client apps, and Google sign-in never shows allauth's pages."""

from urllib.parse import quote, urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_email
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.http import HttpResponseRedirect

from users.models import User, UserManager


class AccountAdapter(DefaultAccountAdapter):
    def get_email_confirmation_url(self, request, emailconfirmation):
        return f"{settings.FRONTEND_URL}/verify-email?key={quote(emailconfirmation.key)}"

    def send_mail(self, template_prefix, email, context):
        # Account mail is sent by the job worker, where there is no request (and so no
        # "current site"): the templates need only the address and what the caller gives.
        self.render_mail(template_prefix, email, {"email": email, **context}).send()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_auto_signup_allowed(self, request, sociallogin):
        # A verified Google email matching an account already signed into it (email
        # authentication). Reaching here with a taken email means Google did not vouch for
        # it: no takeover, no allauth sign-up form, back to the client with an error.
        email = UserManager.normalize_email(user_email(sociallogin.user))
        if email and User.objects.filter(email__iexact=email).exists():
            raise ImmediateHttpResponse(back_to_client(error="email_taken"))
        return True

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.email = UserManager.normalize_email(user.email)
        extra = sociallogin.account.extra_data or {}
        user.username = (extra.get("name") or data.get("first_name") or user.email.split("@")[0])[:150]
        return user

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        # The browser goes back to the client app with an error, never to an allauth page.
        raise ImmediateHttpResponse(back_to_client(error="oauth_failed"))


def back_to_client(redirect_to: str | None = None, **params: str) -> HttpResponseRedirect:
    """Send the browser to an allow-listed client URL with `params` in the query."""
    target = redirect_to or settings.OAUTH_REDIRECT_ALLOWLIST[0]
    separator = "&" if "?" in target else "?"
    return HttpResponseRedirect(f"{target}{separator}{urlencode(params)}")
