"""One logging setup for every process: plain text (the default) or JSON lines.

``logging_config(fmt)`` is a ``logging.config.dictConfig`` mapping; the web
server hands the same mapping to uvicorn, so its own lines come out in the
same format. Every line carries the current request (or job) id from
``engine.tracing``. An e-mail address that slips into a message (a mail
server's refusal, a database error) is masked before the line is written.
"""

from __future__ import annotations

import json
import logging
import logging.config
import re
from datetime import UTC, datetime
from typing import Any

from engine import tracing

LOG_FORMATS = ("plain", "json")
ACCESS_FIELDS = ("method", "route", "status", "duration_ms")
"""What a request's access line adds (passed as ``extra``)."""
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
MASKED_EMAIL = "[e-mail]"


def mask(text: str) -> str:
    """``text`` with every e-mail address replaced by a placeholder."""
    return _EMAIL.sub(MASKED_EMAIL, text)


def _trace_fields(record: logging.LogRecord) -> dict[str, Any]:
    trace = tracing.current()
    fields: dict[str, Any] = {}
    if trace is not None:
        fields["request_id"] = trace.request_id
        for name in ("route", "user_id", "job", "job_id"):
            if (value := getattr(trace, name)) is not None:
                fields[name] = value
    for name in (*ACCESS_FIELDS, "user_id"):
        if (value := getattr(record, name, None)) is not None:
            fields[name] = value
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the trace, an exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask(record.getMessage()),
            **_trace_fields(record),
        }
        if record.exc_info:
            line["exception"] = mask(self.formatException(record.exc_info))
        elif record.exc_text:
            line["exception"] = mask(record.exc_text)
        return json.dumps(line, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """``time level logger [request id] message key=value ...``, for a terminal or journald."""

    def format(self, record: logging.LogRecord) -> str:
        fields = _trace_fields(record)
        request_id = fields.pop("request_id", None)
        parts = [self.formatTime(record), record.levelname, record.name]
        if request_id:
            parts.append(f"[{request_id}]")
        parts.append(record.getMessage())
        # The access line's message already says the method, route, status and duration.
        parts.extend(f"{k}={v}" for k, v in fields.items() if k not in ACCESS_FIELDS)
        text = " ".join(parts)
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return mask(text)


def logging_config(fmt: str = "plain", level: str = "INFO") -> dict[str, Any]:
    """The dictConfig mapping for ``fmt`` (``plain`` or ``json``): all lines to stderr."""
    if fmt not in LOG_FORMATS:
        raise ValueError(f"log format {fmt!r}: expected one of {', '.join(LOG_FORMATS)}")
    formatter = JsonFormatter if fmt == "json" else PlainFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"mimamori": {"()": f"{__name__}.{formatter.__name__}"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "mimamori",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": level, "handlers": ["stderr"]},
        # uvicorn's loggers write through the root handler, in the same format, at the
        # configured level (an earlier uvicorn.Config in the process may have set another).
        "loggers": {
            name: {"level": level, "handlers": [], "propagate": True}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "arq")
        },
    }


def configure_logging(fmt: str = "plain", level: str = "INFO") -> None:
    """Set up the process's logging in ``fmt``; calling it again replaces the setup."""
    logging.config.dictConfig(logging_config(fmt, level))
