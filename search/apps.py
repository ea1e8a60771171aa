from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _configure_trigram_matching(sender, connection, **kwargs):
    """How close a word must be to count as a typo of a title word (pg_trgm's `<%` operator)."""
    if connection.vendor == "postgresql":
        from search.selectors import WORD_SIMILARITY_THRESHOLD

        with connection.cursor() as cursor:
            cursor.execute(f"SET pg_trgm.word_similarity_threshold = {WORD_SIMILARITY_THRESHOLD}")


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"

    def ready(self):
        connection_created.connect(_configure_trigram_matching, dispatch_uid="search-trigram-threshold")
