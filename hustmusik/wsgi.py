import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hustmusik.settings")

application = get_wsgi_application()

from hustmusik.checks import refuse_unsafe_deployment  # noqa: E402 - needs the settings loaded above

refuse_unsafe_deployment()
