"""The client's real address: `X-Forwarded-For` and `X-Forwarded-Proto` count only when the request
comes from a proxy listed in settings.TRUSTED_PROXIES (addresses or networks). From anyone else they are
dropped, so that a client cannot pick its own address (the login throttle, the audit log) or claim HTTPS.

Runs first in MIDDLEWARE: everything after it (SecurityMiddleware's HTTPS check, DRF's throttles keyed
on REMOTE_ADDR with NUM_PROXIES = 0, the audit log) sees the real client."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_REAL_IP")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def is_trusted(address: str, proxies: tuple[str, ...] | None = None) -> bool:
    found = _address(address or "")
    networks = _networks(tuple(proxies if proxies is not None else settings.TRUSTED_PROXIES))
    return found is not None and any(found in network for network in networks)


def client_address(remote: str, forwarded_for: str, proxies: tuple[str, ...]) -> str:
    """The right-most address in the chain that is not one of our proxies (the left-most, if all are)."""
    chain = [a.strip() for a in forwarded_for.split(",") if a.strip()]
    for hop in reversed(chain):
        if _address(hop) is None:
            return remote  # a malformed chain: trust nothing in it
        if not is_trusted(hop, proxies):
            return hop
    return chain[0] if chain else remote


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        remote = meta.get("REMOTE_ADDR", "")
        proxies = tuple(settings.TRUSTED_PROXIES)
        if proxies and is_trusted(remote, proxies):
            forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
            if forwarded:
                meta["PROXY_ADDR"] = remote
                meta["REMOTE_ADDR"] = client_address(remote, forwarded, proxies)
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)
