"""Settings: one object, parsed from a mapping of environment variables by the caller.

The engine never reads the environment itself; the composition root hands
``os.environ`` to ``Settings.from_env`` once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import ip_network
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

from engine.errors import ConfigError
from engine.i18n import LOCALES
from engine.logs import LOG_FORMATS

PREFIX = "MIMAMORI_"
METRICS_TOKEN_LENGTH = 24
DEFAULT_DATABASE = "sqlite:///./var/mimamori.db"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, with defaults for the embedded single-machine mode."""

    database_url: str = DEFAULT_DATABASE
    redis_url: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    mail_from: str = "mimamori@localhost"
    mail_dir: Path = Path("./var/mail")
    files_dir: Path = Path("./var/files")
    """Where attachments are kept (content-addressed); back it up with the database."""
    max_upload_mb: int = 20
    """The largest attachment accepted, in megabytes."""
    base_url: str = "http://127.0.0.1:8000"
    secret_key: str | None = None
    locale: str = "ja"
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
    scan_interval: int = 300
    digest_hour: int = 7
    session_idle_minutes: int = 60
    session_absolute_hours: int = 12
    trusted_proxies: tuple[str, ...] = ("127.0.0.1",)
    """Addresses (or networks) of reverse proxies whose X-Forwarded-For names the client."""
    reload_templates: bool = False
    """Re-read a template when its file changes (development); off, templates load once."""
    log_format: str = "plain"
    """``plain`` text lines or ``json`` lines (one object per line) on stderr."""
    retain_sessions_days: int = 7
    """Days an ended session (logged out, idle or past its lifetime) is kept before removal."""
    retain_logins_days: int = 365
    """Days the audit keeps login records (logins, failures, refusals): a year of inquiries."""
    retain_mail_days: int = 90
    """Days a delivered message keeps its body; who, when and the subject stay."""
    metrics_allow: tuple[str, ...] = ("127.0.0.1", "::1")
    """Client addresses (or networks) that may read /metrics without the metrics token."""
    metrics_token: str | None = None
    """A bearer token that lets a scraper from any address read /metrics."""
    metrics_dir: Path | None = None
    """Where the web processes of ``mimamori serve --workers N`` share their metrics files."""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Parse ``MIMAMORI_*`` variables; a bad value raises ConfigError naming the variable."""
        values: dict[str, object] = {}
        for name in (
            "database_url",
            "redis_url",
            "smtp_host",
            "smtp_username",
            "smtp_password",
            "mail_from",
            "secret_key",
        ):
            raw = _get(env, name)
            if raw is not None:
                values[name] = raw
        if (raw := _get(env, "smtp_port")) is not None:
            values["smtp_port"] = _port(raw, "smtp_port")
        if (raw := _get(env, "smtp_starttls")) is not None:
            values["smtp_starttls"] = _flag(raw, "smtp_starttls")
        if (raw := _get(env, "reload_templates")) is not None:
            values["reload_templates"] = _flag(raw, "reload_templates")
        if (raw := _get(env, "log_format")) is not None:
            if raw.lower() not in LOG_FORMATS:
                _fail("log_format", raw, f"one of {', '.join(LOG_FORMATS)}")
            values["log_format"] = raw.lower()
        if (raw := _get(env, "mail_dir")) is not None:
            values["mail_dir"] = Path(raw)
        if (raw := _get(env, "files_dir")) is not None:
            values["files_dir"] = Path(raw)
        if (raw := _get(env, "max_upload_mb")) is not None:
            values["max_upload_mb"] = _whole(raw, "max_upload_mb", 1, 1024, "megabytes")
        if (raw := _get(env, "base_url")) is not None:
            values["base_url"] = _http_url(raw, "base_url")
        if (raw := _get(env, "locale")) is not None:
            if raw not in LOCALES:
                _fail("locale", raw, f"one of {', '.join(LOCALES)}")
            values["locale"] = raw
        if (raw := _get(env, "scan_interval")) is not None:
            values["scan_interval"] = _whole(raw, "scan_interval", 10, 86400, "seconds")
        if (raw := _get(env, "digest_hour")) is not None:
            values["digest_hour"] = _whole(raw, "digest_hour", 0, 23, "an hour of the day")
        if (raw := _get(env, "session_idle_minutes")) is not None:
            values["session_idle_minutes"] = _whole(raw, "session_idle_minutes", 5, 1440, "minutes")
        if (raw := _get(env, "session_absolute_hours")) is not None:
            values["session_absolute_hours"] = _whole(
                raw, "session_absolute_hours", 1, 168, "hours"
            )
        for name in ("retain_sessions_days", "retain_logins_days", "retain_mail_days"):
            if (raw := _get(env, name)) is not None:
                values[name] = _whole(raw, name, 1, 3650, "days")
        if (raw := _get(env, "allowed_hosts")) is not None:
            hosts = tuple(h.strip() for h in raw.split(",") if h.strip())
            if not hosts:
                _fail("allowed_hosts", raw, "a comma-separated list of host names")
            values["allowed_hosts"] = hosts
        if (raw := _get(env, "trusted_proxies")) is not None:
            values["trusted_proxies"] = _proxies(raw)
        if (raw := _get(env, "metrics_allow")) is not None:
            values["metrics_allow"] = _metrics_allow(raw)
        if (raw := _get(env, "metrics_token")) is not None:
            if len(raw) < METRICS_TOKEN_LENGTH or any(c.isspace() for c in raw):
                # The value is a secret: the message does not repeat it.
                _fail("metrics_token", "…", f"{METRICS_TOKEN_LENGTH} or more characters, no spaces")
            values["metrics_token"] = raw
        if (raw := _get(env, "metrics_dir")) is not None:
            values["metrics_dir"] = Path(raw)
        if "redis_url" in values and urlsplit(str(values["redis_url"])).scheme not in (
            "redis",
            "rediss",
            "unix",
        ):
            _fail("redis_url", str(values["redis_url"]), "a redis:// or rediss:// URL")
        if "database_url" in values and not str(values["database_url"]).startswith(
            ("sqlite", "postgres")
        ):
            _fail("database_url", str(values["database_url"]), "a sqlite:/// or postgresql:// URL")
        return cls(**values)  # type: ignore[arg-type]

    @property
    def secure_cookies(self) -> bool:
        """Cookies only over HTTPS when the site is served over HTTPS."""
        return self.base_url.startswith("https://")

    @property
    def embedded(self) -> bool:
        """True without Redis: reminders run inside the web process."""
        return self.redis_url is None


def _get(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(PREFIX + name.upper())
    if raw is None or not raw.strip():
        return None
    return raw.strip()


def _fail(name: str, raw: str, expected: str) -> NoReturn:
    raise ConfigError(f"{PREFIX}{name.upper()}={raw!r} is not valid: expected {expected}")


def _port(raw: str, name: str) -> int:
    return _whole(raw, name, 1, 65535, "a port number")


def _whole(raw: str, name: str, low: int, high: int, unit: str) -> int:
    if not raw.isdigit() or not low <= int(raw) <= high:
        _fail(name, raw, f"a whole number from {low} to {high} ({unit})")
    return int(raw)


def _flag(raw: str, name: str) -> bool:
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    _fail(name, raw, "true or false")


def _http_url(raw: str, name: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        _fail(name, raw, "an http:// or https:// URL")
    return raw.rstrip("/")


def _proxies(raw: str) -> tuple[str, ...]:
    """Comma-separated IP addresses or networks (192.0.2.10, 10.0.0.0/8)."""
    found = tuple(item.strip() for item in raw.split(",") if item.strip())
    for item in found:
        try:
            ip_network(item, strict=False)
        except ValueError:
            _fail("trusted_proxies", raw, "IP addresses or networks, comma-separated")
    if not found:
        _fail("trusted_proxies", raw, "IP addresses or networks, comma-separated")
    return found


def _metrics_allow(raw: str) -> tuple[str, ...]:
    """Addresses or networks that may read /metrics; never everyone (0.0.0.0/0, ::/0)."""
    expected = "IP addresses or networks, comma-separated (not /0: use MIMAMORI_METRICS_TOKEN)"
    found = tuple(item.strip() for item in raw.split(",") if item.strip())
    for item in found:
        try:
            network = ip_network(item, strict=False)
        except ValueError:
            _fail("metrics_allow", raw, expected)
        if network.prefixlen == 0:
            _fail("metrics_allow", raw, expected)
    if not found:
        _fail("metrics_allow", raw, expected)
    return found
