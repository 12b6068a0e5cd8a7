"""gunicorn's settings for peerprog, read from the working directory by
``gunicorn peerprog.wsgi`` (the Dockerfile, docker-compose.yml and the
benchmark all use it).

Threaded workers (gthread): a worker process per core, each answering
several requests at once on threads, so a slow page or a slow client does
not hold up the rest. The benchmark's load steps measure this setting (the
README gives the figures). Each thread keeps its own
database connection open (``conn_max_age``): workers x threads per machine.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A proxy in front keeps connections open between requests.
keepalive = 5
# A page that has not answered in a minute has gone wrong: restart its worker.
timeout = 60
graceful_timeout = 30
# Workers are replaced now and then, so memory a long run gathers is
# returned. A new worker starts cold (it reads its templates again, opens
# its database connections, prepares its statements and counts its kept
# reports afresh), so this is rare: about once a day on a busy programme.
max_requests = 20000
max_requests_jitter = 2000
