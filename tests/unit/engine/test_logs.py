"""Log lines: the format setting, the JSON and plain formatters, request ids and masking."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest

from engine import tracing
from engine.config import Settings
from engine.errors import ConfigError
from engine.logs import JsonFormatter, PlainFormatter, logging_config


def test_the_log_format_is_plain_by_default_and_json_on_request():
    assert Settings.from_env({}).log_format == "plain"
    assert Settings.from_env({"MIMAMORI_LOG_FORMAT": " JSON "}).log_format == "json"


def test_an_unknown_log_format_names_the_allowed_ones():
    with pytest.raises(ConfigError) as error:
        Settings.from_env({"MIMAMORI_LOG_FORMAT": "yaml"})
    assert str(error.value) == (
        "MIMAMORI_LOG_FORMAT='yaml' is not valid: expected one of plain, json"
    )


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("4bf92f3577b34da6a3ce929d0e0e4736", True),
        ("Root=1-67891233-abcdef012345678912345678", True),
        ("short", False),
        ("x" * 65, False),
        ("two words here", False),
        ("someone@example.jp", False),
        ("line\nbreak-0000", False),
        ("", False),
    ],
)
def test_only_sane_request_ids_are_accepted(raw, kept):
    assert (tracing.sane_request_id(raw) == raw) is kept


def _emit(formatter: logging.Formatter, *args, **kwargs) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    logger = logging.getLogger("tests.logs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.error(*args, **kwargs)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    return stream.getvalue()


def test_a_json_line_carries_the_trace_and_the_exception_with_emails_masked():
    trace = tracing.Trace("req-abcdef01", route="/board", user_id=7)
    with tracing.traced(trace):
        try:
            raise ValueError("duplicate key: hanako@midori.example.jp")
        except ValueError:
            text = _emit(JsonFormatter(), "refused for %s", "taro@example.jp", exc_info=True)
    (line,) = [json.loads(row) for row in text.splitlines()]
    assert line["level"] == "ERROR" and line["logger"] == "tests.logs"
    assert line["time"].endswith("+00:00")
    assert line["message"] == "refused for [e-mail]"
    assert (line["request_id"], line["route"], line["user_id"]) == ("req-abcdef01", "/board", 7)
    assert "ValueError" in line["exception"] and "@" not in text


def test_a_line_outside_any_request_has_no_request_id():
    line = json.loads(_emit(JsonFormatter(), "nothing in hand"))
    assert "request_id" not in line and line["message"] == "nothing in hand"


def test_a_plain_line_shows_the_request_id_in_brackets_and_the_job():
    with tracing.traced(tracing.Trace("job:deliver-outbox:1", job="deliver_outbox", job_id="1")):
        text = _emit(PlainFormatter(), "sent %d", 3)
    assert " ERROR tests.logs [job:deliver-outbox:1] sent 3 job=deliver_outbox job_id=1" in text


def test_the_setup_writes_every_logger_through_one_handler(capsys):
    previous = logging.getLogger().handlers[:]
    try:
        logging.config.dictConfig(logging_config("json"))
        logging.getLogger("uvicorn.error").info("started")
        logging.getLogger("arq.worker").info("job done")
    finally:
        root = logging.getLogger()
        root.handlers[:] = previous
        root.setLevel(logging.WARNING)
    # Only these two loggers' lines: other tests in the same process may log meanwhile.
    rows = [row for row in capsys.readouterr().err.splitlines() if row.startswith("{")]
    lines = [json.loads(row) for row in rows]
    ours = {"uvicorn.error", "arq.worker"}
    assert [(line["logger"], line["message"]) for line in lines if line["logger"] in ours] == [
        ("uvicorn.error", "started"),
        ("arq.worker", "job done"),
    ]


def test_an_unknown_format_is_refused_by_the_setup_too():
    with pytest.raises(ValueError, match="plain, json"):
        logging_config("yaml")
