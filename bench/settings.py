"""The project's settings plus one bare view, for comparing the API with the least Django can do."""

from hustmusik.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.urls"
