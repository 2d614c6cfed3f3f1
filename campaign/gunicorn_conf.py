"""Gunicorn settings for `make run` and production.

One process with threads: the rate limiter and the duplicate guard keep their state in process
memory (nothing about a sender touches disk), which is only shared within one process. A deployment
that needs more processes points CAMPAIGN_RATELIMIT_STORAGE_URI at Redis.
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


def post_worker_init(worker):
    # Placing a new moment in a cluster needs Kiwi and the projections: load them now rather
    # than on the first submission.
    from campaign.clustering import features

    features.warm()
