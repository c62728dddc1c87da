"""Settings from environment variables: defaults, parsing, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.config import DEFAULT_DATABASE, Settings
from engine.errors import ConfigError


def test_no_variables_give_the_embedded_defaults():
    settings = Settings.from_env({})
    assert settings.database_url == DEFAULT_DATABASE
    assert settings.embedded
    assert settings.locale == "ja"
    assert settings.trusted_proxies == ("127.0.0.1",) and not settings.reload_templates


def test_values_are_parsed_and_blank_ones_ignored():
    settings = Settings.from_env(
        {
            "MIMAMORI_DATABASE_URL": "postgresql://app@db/mimamori",
            "MIMAMORI_REDIS_URL": "redis://127.0.0.1:6379/0",
            "MIMAMORI_SMTP_PORT": "2525",
            "MIMAMORI_SMTP_STARTTLS": "no",
            "MIMAMORI_MAIL_DIR": "/tmp/mail",
            "MIMAMORI_BASE_URL": "https://mimamori.example.jp/",
            "MIMAMORI_ALLOWED_HOSTS": "mimamori.example.jp, 127.0.0.1:8000",
            "MIMAMORI_SMTP_HOST": "   ",
            "MIMAMORI_TRUSTED_PROXIES": "192.0.2.10, 10.0.0.0/8",
        }
    )
    assert settings.redis_url == "redis://127.0.0.1:6379/0" and not settings.embedded
    assert (settings.smtp_port, settings.smtp_starttls, settings.smtp_host) == (2525, False, None)
    assert settings.mail_dir == Path("/tmp/mail")
    assert settings.base_url == "https://mimamori.example.jp"
    assert settings.allowed_hosts == ("mimamori.example.jp", "127.0.0.1:8000")
    assert settings.trusted_proxies == ("192.0.2.10", "10.0.0.0/8")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MIMAMORI_SMTP_PORT", "smtp"),
        ("MIMAMORI_SMTP_PORT", "70000"),
        ("MIMAMORI_SMTP_STARTTLS", "maybe"),
        ("MIMAMORI_BASE_URL", "mimamori.example.jp"),
        ("MIMAMORI_LOCALE", "fr"),
        ("MIMAMORI_REDIS_URL", "http://127.0.0.1:6379"),
        ("MIMAMORI_DATABASE_URL", "mysql://root@localhost/x"),
        ("MIMAMORI_ALLOWED_HOSTS", " , "),
        ("MIMAMORI_SCAN_INTERVAL", "5"),
        ("MIMAMORI_DIGEST_HOUR", "24"),
        ("MIMAMORI_TRUSTED_PROXIES", "proxy.example.jp"),
        ("MIMAMORI_RELOAD_TEMPLATES", "sometimes"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable(name, value):
    with pytest.raises(ConfigError) as error:
        Settings.from_env({name: value})
    message = str(error.value)
    assert message.startswith(f"{name}=") and "\n" not in message
