"""Django system checks of the accounts app: do the configured keys fit the data?

Run by every manage.py command and by runserver; gunicorn's start asks the same
question in school_portal/wsgi.py.
"""

from django.core import checks
from django.db import DatabaseError
from django.utils import translation

from accounts import keys


@checks.register("keys")
def keys_fit_the_data(app_configs=None, **kwargs):
    try:
        with translation.override("en"):  # as Django's own checks speak
            found = keys.problems()
    except DatabaseError:
        # Not migrated yet, or the database is down: migrate and
        # /health/ready/ say so.
        return []
    return [checks.Error(problem, id="accounts.E001") for problem in found]
