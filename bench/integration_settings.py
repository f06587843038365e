"""Settings of the HTTP benchmark server: the project's own, plus the bare view's URL.

    DJANGO_SETTINGS_MODULE=integration_settings PYTHONPATH=bench:src \
        python -m granian --interface wsgi manpower.wsgi:application

The benchmark (bench/integration_partner_read.py) sets these variables; nothing else uses them.
"""

from manpower.settings import *  # noqa: F403

ROOT_URLCONF = "integration_urls"
