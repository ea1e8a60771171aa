import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hustmusik.settings")

application = get_asgi_application()

from hustmusik.checks import refuse_unsafe_deployment  # noqa: E402 - needs the settings loaded above

refuse_unsafe_deployment()
