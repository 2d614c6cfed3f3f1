"""Gunicorn settings for `make run` and production.

One process with threads by default: without CAMPAIGN_REDIS_URL the rate limiter, the duplicate
guard and the sign-in throttle keep their state in process memory (nothing about a sender touches
disk), which only one process shares. With CAMPAIGN_REDIS_URL set, WEB_CONCURRENCY may be raised
and more instances started: they share that state in Redis.

The web process no longer loads the clustering models at start: placing moments is the worker's
job (`flask worker`), and the desk's "similar" lookups load them on first use.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_class = "gthread"
# No access log: it would pair an address and a user agent with the moment of a submission.
accesslog = None
errorlog = "-"
loglevel = "warning"
# Don't let gunicorn's own error lines name the client either.
access_log_format = ""
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
timeout = 30
graceful_timeout = 10
