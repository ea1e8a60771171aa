"""The test suite's settings: production's module, read with the environment a test run needs.

Production settings know nothing of tests; what the suite changes is said here. Processes the
tests start (workers, gunicorn) inherit this environment, so they agree with the suite.
"""

import os

# A secret of the suite's own (the development key is refused with DEBUG off, as in production).
os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-" + "k" * 40)
# The test client speaks plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Query counts are pinned uncached; the tests of the cache turn it on themselves.
os.environ.setdefault("CATALOGUE_CACHE", "0")
# The suite plays against the fake ZaloPay with the public sandbox keys, on purpose.
os.environ.setdefault("ZALOPAY_SANDBOX", "1")

from hustmusik.settings import *  # noqa: E402,F403

# Hashing cost is not what the tests measure.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
