"""Password rules beyond Django's own validators, each failing with its own message."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class MaximumLengthValidator:
    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This password is too long. It must contain at most %(max_length)d character.",
                    "This password is too long. It must contain at most %(max_length)d characters.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self):
        return ngettext(
            "Your password must contain at most %(max_length)d character.",
            "Your password must contain at most %(max_length)d characters.",
            self.max_length,
        ) % {"max_length": self.max_length}


class ComplexityValidator:
    """At least one upper-case letter, one lower-case letter, one digit and one other character."""

    RULES = (
        (str.isupper, "password_no_upper", _("This password must contain at least one upper-case letter.")),
        (str.islower, "password_no_lower", _("This password must contain at least one lower-case letter.")),
        (str.isdigit, "password_no_digit", _("This password must contain at least one digit.")),
        (
            lambda char: not char.isalnum(),
            "password_no_symbol",
            _("This password must contain at least one character that is not a letter or a digit."),
        ),
    )

    def validate(self, password, user=None):
        errors = [
            ValidationError(message, code=code)
            for test, code, message in self.RULES
            if not any(test(char) for char in password)
        ]
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return _("Your password must mix upper- and lower-case letters, digits and other characters.")
