from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models


class SearchWord(models.Model):
    """Every word of every search document: the vocabulary that typos are corrected against.

    Filled by triggers on each searchable table (and by bulk loads); never emptied, since a
    word that no longer appears anywhere only costs a row.
    """

    word = models.CharField(max_length=200, primary_key=True)

    class Meta:
        indexes = [GinIndex(OpClass("word", name="gin_trgm_ops"), name="search_word_trgm_idx")]

    def __str__(self) -> str:
        return self.word
