from django.urls import path

from hustmusik.routers import ApiRouter
from users import views

router = ApiRouter()
router.register("user", views.UserViewSet, basename="user")

urlpatterns = [
    *router.urls,
    path("auth/signup", views.SignUpView.as_view(), name="auth-signup"),
    path("auth/signin", views.SignInView.as_view(), name="auth-signin"),
    path("auth/signout", views.SignOutView.as_view(), name="auth-signout"),
    path("auth/session/renew", views.SessionRenewView.as_view(), name="auth-session-renew"),
    path("auth/credentials", views.CredentialsView.as_view(), name="auth-credentials"),
    path("auth/forgot-password", views.ForgotPasswordView.as_view(), name="auth-forgot-password"),
    path("auth/reset-password", views.ResetPasswordView.as_view(), name="auth-reset-password"),
    path("auth/verify-email", views.VerifyEmailView.as_view(), name="auth-verify-email"),
    path("auth/oauth", views.OAuthStartView.as_view(), name="auth-oauth"),
    path("auth/oauth/callback", views.OAuthCallbackView.as_view(), name="auth-oauth-callback"),
    path("auth/oauth/complete", views.oauth_complete, name="auth-oauth-complete"),
    path("auth/oauth/google", views.GoogleIdTokenView.as_view(), name="auth-oauth-google"),
    path("user/me", views.MeView.as_view(), name="user-me"),
    # The password APIs of the two reference documents, at their documented paths.
    path("auth/register/update-password", views.UpdatePasswordView.as_view(), name="auth-register-update-password"),
    path("user/profile/change-password/", views.ChangePasswordView.as_view(), name="user-profile-change-password"),
    path("user/forgot-password/", views.UserForgotPasswordView.as_view(), name="user-forgot-password"),
    path("user/forgot-password-submit/", views.ForgotPasswordSubmitView.as_view(), name="user-forgot-password-submit"),
]
