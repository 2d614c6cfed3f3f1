"""One POST to another tool's address, safely: the one place this app opens a connection to a
host a person typed in (campaign/webhooks.py decides what and when).

- Only https, or http to this machine (localhost, 127.0.0.1, ::1) for testing; this machine at
  all only when the caller allows it (CAMPAIGN_WEBHOOK_ALLOW_LOCAL, off in production).
- The host's addresses are looked up at send time, and every one must be public (or, for a
  local endpoint, loopback): a name that resolves to a private, link-local or reserved
  address, or to an IPv6 address that wraps one (NAT64, 6to4, Teredo, IPv4-mapped), is never
  reached, also when its DNS changed after it was saved. The connection goes to the address
  that was checked (the certificate is still verified against the name), so a second lookup
  cannot swap it.
- Redirects are never followed (a 3xx is a failed attempt), so an answer cannot send the body
  to another host.
- Short timeouts; the response body is not read beyond a little, and never stored.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from campaign.i18n import _

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
CONNECT_SECONDS = 3.0
READ_SECONDS = 5.0


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: a status code, or why there was none; and how long it took."""

    status: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class Blocked(Exception):
    """The address may not be reached (private, or not what the endpoint was saved as)."""


class LocalRefused(Exception):
    """A local endpoint, and local endpoints are not allowed here (production)."""


class Unresolved(Exception):
    """The host name has no address."""


def is_local(url: str) -> bool:
    """Whether a URL points at this machine by one of the names tests use."""
    return (urlsplit(url).hostname or "").lower().rstrip(".") in LOCAL_HOSTS


def literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64, RFC 6052 and 8215):
# `is_global` judges the prefix, not the IPv4 host a gateway would reach through it.
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def embedded_ipv4(address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to (NAT64, 6to4, Teredo, IPv4-mapped)."""
    if address.version != 6:
        return []
    found = [address.ipv4_mapped, address.sixtofour]
    if address.teredo:
        found.extend(address.teredo)
    if any(address in network for network in NAT64):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [ipv4 for ipv4 in found if ipv4 is not None]


def allowed_address(address, *, local: bool) -> bool:
    if local:
        return address.is_loopback
    return (
        address.is_global
        and not address.is_multicast
        and all(allowed_address(ipv4, local=False) for ipv4 in embedded_ipv4(address))
    )


def _vetted_address(host: str, port: int, *, local: bool) -> str:
    """The one address to connect to: every address the name has must be allowed."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Unresolved(host) from error
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in found]
    if not addresses or not all(allowed_address(a, local=local) for a in addresses):
        raise Blocked(host)
    return str(addresses[0])


def N_(text: str) -> str:
    """Marks a text for the catalog without translating it (gettext's no-op marker, which
    `make translations` finds): a delivery log keeps Korean whoever's request sent it, and
    `reworded` shows it in the reader's language."""
    return text


# Why an attempt failed, as the delivery log keeps it (Korean; never the response body).
LOCAL_REFUSED = N_("이 컴퓨터(localhost) 주소는 시험할 때만 쓸 수 있어서 보내지 않았어요.")
BLOCKED = N_("내부망 주소라서 보내지 않았어요.")
UNRESOLVED = N_("주소(도메인)를 찾지 못했어요.")
READ_TIMEOUT = N_("%(seconds)s초 안에 답이 오지 않았어요.")
TLS_FAILED = N_("보안 연결(TLS)을 맺지 못했어요. 인증서를 확인해 주세요.")
REFUSED = N_("연결을 거절했어요. 받는 쪽 서버가 켜져 있는지 확인해 주세요.")
CONNECT_TIMEOUT = N_("%(seconds)s초 안에 연결되지 않았어요.")
NOT_SENT = N_("보내지 못했어요 (%(kind)s).")
REDIRECTED = N_("다른 주소로 옮기라는 답(리디렉션)은 따라가지 않아요.")
REASONS = (
    LOCAL_REFUSED,
    BLOCKED,
    UNRESOLVED,
    READ_TIMEOUT,
    TLS_FAILED,
    REFUSED,
    CONNECT_TIMEOUT,
    NOT_SENT,
    REDIRECTED,
)


def reworded(stored: str | None, reasons=REASONS) -> str:
    """A reason kept in Korean (one of `reasons`, its placeholders filled in) in the reader's
    language; anything else as it was kept."""
    for reason in reasons:
        pattern = re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>.+?)", re.escape(reason))
        found = re.fullmatch(pattern, stored or "")
        if found:
            return _(reason, **found.groupdict())
    return stored or ""


def _why(error: BaseException) -> str:
    """A short Korean reason for the delivery log; never the response body."""
    if isinstance(error, LocalRefused):
        return LOCAL_REFUSED
    if isinstance(error, Blocked):
        return BLOCKED
    if isinstance(error, Unresolved | NameResolutionError):
        return UNRESOLVED
    if isinstance(error, ReadTimeoutError):
        return READ_TIMEOUT % {"seconds": f"{READ_SECONDS:g}"}
    if isinstance(error, SSLError):
        return TLS_FAILED
    # NewConnectionError derives from ConnectTimeoutError (urllib3 keeps it for old callers).
    if isinstance(error, NewConnectionError | ConnectionError):
        return REFUSED
    if isinstance(error, ConnectTimeoutError):
        return CONNECT_TIMEOUT % {"seconds": f"{CONNECT_SECONDS:g}"}
    return NOT_SENT % {"kind": type(error).__name__}


def post(url: str, body: bytes, headers: dict[str, str], *, allow_local: bool) -> Outcome:
    """POST `body` to `url` once, without following redirects; to this machine only when
    `allow_local`."""
    started = time.monotonic()
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    shown_host = f"[{host}]" if ":" in host else host
    default_port = port == (443 if https else 80)
    sent = {**headers, "Host": shown_host if default_port else f"{shown_host}:{port}"}
    timeout = urllib3.Timeout(connect=CONNECT_SECONDS, read=READ_SECONDS)
    pool = None
    try:
        local = is_local(url)
        if local and not allow_local:
            raise LocalRefused(host)
        address = _vetted_address(host, port, local=local)
        if https:
            pool = urllib3.HTTPSConnectionPool(
                address,
                port,
                timeout=timeout,
                retries=False,
                cert_reqs="CERT_REQUIRED",
                server_hostname=host,
                assert_hostname=host,
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
        response = pool.urlopen(
            "POST",
            target,
            body=body,
            headers=sent,
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
        )
        response.read(4096)
        response.release_conn()
        status, error = response.status, None
        if 300 <= status < 400:
            error = REDIRECTED
    except Exception as failure:  # every failure is one logged attempt, never a crash
        status, error = None, _why(failure)
    finally:
        if pool is not None:
            pool.close()
    return Outcome(status, error, round((time.monotonic() - started) * 1000))
