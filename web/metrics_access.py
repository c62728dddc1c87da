"""Who may read /metrics: loopback by default, configured addresses, or the metrics token.

The client's address is the one the app settled on (``client_of``): request
tracing (web/request_log.py) replaces the peer with the X-Forwarded-For client
only when the peer is one of MIMAMORI_TRUSTED_PROXIES. A request that still
names a forwarded client the app did not resolve came through a proxy the server does not trust (or
forged the header), so its peer address, often the proxy's own loopback
address, proves nothing and is not matched; only the token lets it in.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from litestar.types import Scope

from engine.config import Settings
from web.security import client_of

LOG = logging.getLogger("mimamori.web")
UNRESOLVED_FORWARDING = (b"forwarded", b"x-real-ip")
"""Headers naming a client that the server never applies (uvicorn reads X-Forwarded-For only)."""


@dataclass(frozen=True, slots=True)
class MetricsAccess:
    """The addresses that may read /metrics, and the token that lets anyone else in."""

    allowed: tuple[IPv4Network | IPv6Network, ...]
    token: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> MetricsAccess:
        """MIMAMORI_METRICS_ALLOW and MIMAMORI_METRICS_TOKEN."""
        allowed = tuple(ip_network(item, strict=False) for item in settings.metrics_allow)
        return cls(allowed, settings.metrics_token)

    def permits(self, scope: Scope) -> bool:
        """Whether this request may read the metrics (the token, or an allowed address)."""
        sent = _bearer(scope)
        if sent is not None and self.token is not None:
            if secrets.compare_digest(sent.encode(), self.token.encode()):
                return True
            LOG.warning("/metrics: a wrong token from %s", client_of(scope) or "?")
        return _address_is_the_client(scope) and self._allowed(client_of(scope))

    def _allowed(self, client: str) -> bool:
        try:
            address: IPv4Address | IPv6Address = ip_address(client)
        except ValueError:  # a unix socket, or no address at all
            return False
        if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address in network for network in self.allowed)


def _address_is_the_client(scope: Scope) -> bool:
    """False when the request names a forwarded client the server did not put in its place."""
    headers = scope["headers"]
    if any(name in UNRESOLVED_FORWARDING for name, _ in headers):
        return False
    chain = b",".join(value for name, value in headers if name == b"x-forwarded-for")
    if not chain:
        return True
    # Resolved by a trusted proxy's header: the server took the client from this chain.
    return client_of(scope) in {hop.strip() for hop in chain.decode("latin-1").split(",")}


def _bearer(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and credentials.strip():
                return credentials.strip()
    return None
