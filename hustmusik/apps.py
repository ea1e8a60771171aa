from django.apps import AppConfig


class HustMusikConfig(AppConfig):
    """The project's shared plumbing as an app: its system checks and the throttle-counter table."""

    name = "hustmusik"
    verbose_name = "Hust Musik"

    def ready(self):
        from hustmusik import checks  # noqa: F401 - registers the checks
