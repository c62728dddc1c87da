"""The /metrics settings: who may read it, the token, the shared folder; one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.config import Settings
from engine.errors import ConfigError

TOKEN = "scrape-token-0123456789abcdef"


def test_by_default_loopback_only_and_no_token():
    settings = Settings.from_env({})
    assert settings.metrics_allow == ("127.0.0.1", "::1")
    assert settings.metrics_token is None and settings.metrics_dir is None


def test_addresses_networks_token_and_folder_are_parsed():
    settings = Settings.from_env(
        {
            "MIMAMORI_METRICS_ALLOW": "10.0.0.0/8, 192.0.2.7, fd00::/8",
            "MIMAMORI_METRICS_TOKEN": f" {TOKEN} ",
            "MIMAMORI_METRICS_DIR": "/run/mimamori/metrics",
        }
    )
    assert settings.metrics_allow == ("10.0.0.0/8", "192.0.2.7", "fd00::/8")
    assert settings.metrics_token == TOKEN
    assert settings.metrics_dir == Path("/run/mimamori/metrics")


@pytest.mark.parametrize("raw", ["10.0.0.0/8, prometheus.local", "0.0.0.0/0", "::/0", " , "])
def test_an_allow_list_that_is_not_addresses_or_is_everyone_is_refused(raw):
    with pytest.raises(ConfigError, match=r"^MIMAMORI_METRICS_ALLOW=.*not /0"):
        Settings.from_env({"MIMAMORI_METRICS_ALLOW": raw})


@pytest.mark.parametrize("raw", ["short", "a token with spaces in it, long enough"])
def test_a_weak_token_is_refused_without_repeating_it(raw):
    with pytest.raises(ConfigError, match="MIMAMORI_METRICS_TOKEN") as refused:
        Settings.from_env({"MIMAMORI_METRICS_TOKEN": raw})
    assert raw not in str(refused.value) and "24 or more characters" in str(refused.value)
