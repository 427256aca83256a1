"""Gunicorn settings for the portal: `gunicorn -c gunicorn.conf.py`.

Read by gunicorn when it is started from this folder (its default file name),
so `gunicorn school_portal.wsgi` serves with these values; each can be moved
by the variable named beside it.
"""

import os

# Sync workers, two per core plus one: the portal's requests wait on the
# database and the file store more than they compute.
workers = int(
    os.environ.get("PORTAL_GUNICORN_WORKERS") or (os.cpu_count() or 1) * 2 + 1
)
bind = os.environ.get("PORTAL_GUNICORN_BIND", "127.0.0.1:8000")
wsgi_app = "school_portal.wsgi"
# Only the reverse proxy on this machine may say who the client is.
forwarded_allow_ips = os.environ.get("PORTAL_GUNICORN_PROXIES", "127.0.0.1")

# Gunicorn 25+ opens a control socket at one path per system user
# ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl): a second
# instance (a second school, a second node on one box) would take over the
# first one's. The portal is driven by signals and systemd, never gunicornc.
control_socket_disable = True

# An upload of PORTAL_ATTACHMENT_MAX_BYTES (25 MB) over weak school Wi-Fi
# (~1 Mbit/s) takes about 200 s; a worker is not killed before 300 s.
timeout = int(os.environ.get("PORTAL_GUNICORN_TIMEOUT", "300"))
# On a restart or a node leaving the load balancer, requests in flight (an
# upload, a backup download) get as long to finish.
graceful_timeout = int(os.environ.get("PORTAL_GUNICORN_GRACEFUL_TIMEOUT", "300"))
# The load balancer keeps connections open between its health checks.
keepalive = 5
# A worker is replaced now and then, so a slow leak never grows for long;
# the jitter keeps all workers of a node from restarting at once.
max_requests = 2000
max_requests_jitter = 200
# Request headers stay small: nothing the portal sends needs more.
limit_request_field_size = 8190
accesslog = "-"
errorlog = "-"
