"""Search jobs: each a thin call of a service."""

from procrastinate.contrib.django import app

from search import services


@app.periodic(cron="41 * * * *")
@app.task(queue="maintenance", queueing_lock="refresh_search_terms")
def refresh_search_terms(timestamp: int) -> None:
    """Every hour: how many documents hold each word, which steers type-ahead completions."""
    services.search_terms_refresh()
