import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "razem.settings")
application = get_wsgi_application()

# Each server process stores what dead processes left in the survey response spool
# as soon as it starts (razem/surveys/spool.py), not at its first response.
from razem.surveys.spool import start_flusher  # noqa: E402  (needs the app loaded)

start_flusher()
