import uuid
from pathlib import PurePosixPath

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    USER = "User", _("User")
    ARTIST_MANAGER = "Artist Manager", _("Artist Manager")
    ADMIN = "Admin", _("Admin")


def avatar_upload_to(user: "User", filename: str) -> str:
    """Keyed by the user's id, never by a name the user can change."""
    return f"users/{user.pk}/avatar{PurePosixPath(filename).suffix.lower()}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # The whole address is case-insensitive for Hust Musik: one account per mailbox.
        return (email or "").strip().lower()

    def get_by_natural_key(self, email):
        return self.get(email__iexact=self.normalize_email(email))

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)  # None gives an unusable password (Google-only accounts)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        extra_fields.setdefault("role", Role.USER)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.ADMIN)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    username = models.CharField(_("username"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.USER)
    country = models.CharField(_("country"), max_length=100, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to=avatar_upload_to, blank=True, max_length=300)
    premium_until = models.DateTimeField(_("premium until"), null=True, blank=True)
    session_generation = models.PositiveIntegerField(
        _("session generation"),
        default=0,
        help_text=_("Carried by every token issued to the user; raising it ends all of the user's sessions."),
    )
    is_active = models.BooleanField(_("is active"), default=True)
    is_staff = models.BooleanField(_("is staff"), default=False, help_text=_("Can sign in to this admin site."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="users_user_email_ci_unique"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="users_user_role_valid"),
        ]
        indexes = [
            models.Index(fields=["role"], name="users_user_role_idx"),
            # The default order of every user list, and the dashboard's new listeners per day.
            models.Index(fields=["created_at"], name="users_user_created_idx"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    @property
    def has_admin_role(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def has_artist_manager_role(self) -> bool:
        return self.role == Role.ARTIST_MANAGER

    @cached_property
    def email_verified(self) -> bool:
        """Whether the current email was confirmed (django-allauth's email addresses)."""
        from allauth.account.models import EmailAddress

        return EmailAddress.objects.filter(user_id=self.pk, email__iexact=self.email, verified=True).exists()

    @property
    def is_premium(self) -> bool:
        return self.premium_until is not None and self.premium_until > timezone.now()


class OAuthExchangeCode(models.Model):
    """A one-time code handed to the client at the end of a Google sign-in, traded once for a session.

    Only a hash is stored, so a database reader cannot use a pending code.
    """

    code_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="oauth_codes")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="users_oauthcode_expires_idx")]

    def __str__(self) -> str:
        return f"code for {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"
