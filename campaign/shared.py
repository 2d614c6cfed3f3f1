"""State that every instance of the app must see alike, kept in Redis when REDIS_URL is set:
the duplicate guard and the sign-in throttle (rate limits use Flask-Limiter's own Redis storage,
jobs huey's). Without Redis the in-memory versions in submissions.py and accounts.py are used,
which is right for one process. Keys hold only keyed hashes and ids, and expire on their own.

While Redis is unreachable each falls back to its in-memory version in this process, with a
warning: a person is never refused or shown an error because a shared counter is away.
"""

from __future__ import annotations

import json
import logging
import math
import time
import uuid

import redis

from campaign.accounts import LoginThrottle
from campaign.submissions import RecentSubmissions

log = logging.getLogger(__name__)


def client(url: str) -> redis.Redis:
    # Short timeouts: a slow Redis must not hold a person's request for long.
    return redis.Redis.from_url(
        url, socket_timeout=1, socket_connect_timeout=1, health_check_interval=30
    )


class RedisRecentSubmissions:
    """submissions.RecentSubmissions across instances: the same text from the same client
    within the window returns the first receipt. The value is the moment id and the receipt
    code sealed for the session (privacy.seal_receipt_code), never the code itself."""

    def __init__(self, connection: redis.Redis, prefix: str) -> None:
        self.redis, self.prefix, self.fallback = (
            connection,
            f"{prefix}:recent:",
            RecentSubmissions(),
        )

    def get(self, key: tuple[str, str], window: float) -> tuple[str, str] | None:
        try:
            raw = self.redis.get(self.prefix + ":".join(key))
        except redis.RedisError:
            log.warning("duplicate guard: Redis unreachable, using this process's memory")
            return self.fallback.get(key, window)
        if raw is None:
            return None
        moment_id, sealed = json.loads(raw)
        return moment_id, sealed

    def put(self, key: tuple[str, str], moment_id: str, sealed: str, window: float) -> None:
        try:
            self.redis.set(
                self.prefix + ":".join(key), json.dumps([moment_id, sealed]), ex=max(int(window), 1)
            )
        except redis.RedisError:
            self.fallback.put(key, moment_id, sealed, window)


class RedisLoginThrottle:
    """accounts.LoginThrottle across instances: failures per key in a sorted set of wall-clock
    times, trimmed to the window; the same growing delays."""

    def __init__(self, connection: redis.Redis, prefix: str) -> None:
        self.redis, self.prefix, self.fallback = connection, f"{prefix}:signin:", LoginThrottle()

    def wait(self, key: str, limit: int, window: float) -> int:
        now, name = time.time(), self.prefix + key
        try:
            pipe = self.redis.pipeline()
            pipe.zremrangebyscore(name, 0, now - window)
            pipe.zrange(name, 0, -1, withscores=True)
            _, recent = pipe.execute()
        except redis.RedisError:
            log.warning("sign-in throttle: Redis unreachable, using this process's memory")
            return self.fallback.wait(key, limit, window)
        if len(recent) < limit:
            return 0
        delay = min(2 ** (len(recent) - limit), window)
        return max(math.ceil(recent[-1][1] + delay - now), 0)

    def fail(self, key: str, window: float = 3600) -> None:
        name = self.prefix + key
        try:
            pipe = self.redis.pipeline()
            pipe.zadd(name, {uuid.uuid4().hex: time.time()})
            pipe.expire(name, int(window) + 1)
            pipe.execute()
        except redis.RedisError:
            self.fallback.fail(key, window)

    def clear(self, key: str) -> None:
        try:
            self.redis.delete(self.prefix + key)
        except redis.RedisError:
            pass
        self.fallback.clear(key)
