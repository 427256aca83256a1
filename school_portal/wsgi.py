import os
import sys

from django.core.wsgi import get_wsgi_application
from django.utils import translation

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "school_portal.settings")

# A configuration that can't work stops the server with its one line instead
# of failing page by page. Exit status 4 is gunicorn's "the application could
# not be loaded": it stops, rather than starting the worker again forever.
CANNOT_LOAD = 4

try:
    application = get_wsgi_application()
except SystemExit:  # school_portal.env.fail has printed the line
    raise SystemExit(CANNOT_LOAD) from None

# A key that does not fit the stored data (accounts/keys.py), said in English
# like every other configuration error in the server's log.
from accounts import keys  # noqa: E402 (needs the application set up)

with translation.override("en"):
    problems = keys.startup_problems()
for problem in problems:
    sys.stderr.write(f"configuration error: {problem}\n")
if problems:
    raise SystemExit(CANNOT_LOAD)
