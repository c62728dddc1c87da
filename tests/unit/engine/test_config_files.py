"""The attachment settings: where files go and how large they may be."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.config import Settings
from engine.errors import ConfigError


def test_files_default_next_to_the_mail_and_twenty_megabytes():
    settings = Settings.from_env({})
    assert settings.files_dir == Path("./var/files") and settings.max_upload_mb == 20


def test_files_dir_and_limit_are_read_from_the_environment():
    settings = Settings.from_env(
        {"MIMAMORI_FILES_DIR": "/srv/mimamori/files", "MIMAMORI_MAX_UPLOAD_MB": "50"}
    )
    assert settings.files_dir == Path("/srv/mimamori/files") and settings.max_upload_mb == 50


@pytest.mark.parametrize("raw", ["0", "-1", "20MB", "2000"])
def test_a_bad_upload_limit_names_the_variable(raw):
    with pytest.raises(ConfigError, match="MIMAMORI_MAX_UPLOAD_MB"):
        Settings.from_env({"MIMAMORI_MAX_UPLOAD_MB": raw})
