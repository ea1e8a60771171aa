from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _configure_trigram_matching(sender, connection, **kwargs):
    """How close a known word must be to correct a typo (pg_trgm's `%` operator), for this session."""
    if connection.vendor == "postgresql":
        from search.selectors import SIMILARITY_THRESHOLD

        with connection.cursor() as cursor:
            cursor.execute(f"SET pg_trgm.similarity_threshold = {SIMILARITY_THRESHOLD}")


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"

    def ready(self):
        connection_created.connect(_configure_trigram_matching, dispatch_uid="search-trigram-threshold")
