"""Catalogue jobs: each a thin call of a service."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from catalog import services


@app.periodic(cron="* * * * *")
@app.task(queue="catalogue", queueing_lock="fold_plays")
def fold_plays(timestamp: int) -> None:
    """Every minute: counted plays into the songs' views."""
    services.plays_fold()


@app.periodic(cron="17 * * * *")
@app.task(queue="catalogue", queueing_lock="purge_abandoned_uploads")
def purge_abandoned_uploads(timestamp: int) -> None:
    """Every hour: uploads nobody finished within a day are deleted, locally and on S3."""
    services.uploads_purge_abandoned()


@app.task(queue="audio", retry=RetryStrategy(max_attempts=3, exponential_wait=5))
def process_song_audio(*, song_id: str, source: str) -> None:
    """Renditions, loudness and waveform of an accepted upload (or of the kept original), swapped in."""
    services.song_process_audio(song_id=song_id, source=source)
