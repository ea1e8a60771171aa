"""Queue the processing of songs' audio: songs uploaded before the pipeline (streamed as they were
uploaded), or every song with audio (after a change of renditions)."""

from django.core.management.base import BaseCommand

from catalog import services
from catalog.models import Song
from hustmusik.progress import progress_bar


class Command(BaseCommand):
    help = "Queue the audio processing of songs still streaming their upload as it was (--all: every song)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every song with audio, not only the unprocessed ones")

    def handle(self, *args, all: bool = False, **options):
        songs = Song.objects.exclude(audio_source_key="")
        if not all:
            songs = songs.exclude(audio_key__endswith="/normal.m4a")
        total = songs.count()
        queued = 0
        with progress_bar(total=total, desc="Queueing", unit="song", file=self.stderr._out) as progress:
            for song in songs.iterator():
                queued += services.song_process_again(song=song)
                progress.update()
        self.stdout.write(f"Queued the audio processing of {queued} song(s); the job worker does it.")
