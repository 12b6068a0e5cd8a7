"""Keep secret links out of the logs.

Django logs the path of every refused request (``Not Found: /...``), and the
development server logs every request. Some addresses carry a secret: a
survey respondent's link, a person's calendar feed. Each is replaced by a
placeholder before any of those records is written. An app with such an
address makes a ``RedactLinks`` for its pattern and installs it.
"""

from __future__ import annotations

import logging
import re

# The loggers that write request paths.
REQUEST_LOGGERS = ("django.request", "django.server", "django.security.csrf")

# A person's calendar feed: /calendar/<token>.ics
CALENDAR_LINK = re.compile(r"(/calendar/)[A-Za-z0-9_\-]+(\.ics)")


class RedactLinks(logging.Filter):
    """Replace what ``pattern`` matches by ``replacement`` in a record's
    message and arguments, and drop the request object from the record."""

    def __init__(self, pattern: re.Pattern[str], replacement: str) -> None:
        super().__init__()
        self.pattern = pattern
        self.replacement = replacement

    def redact(self, text: str) -> str:
        return self.pattern.sub(self.replacement, text)

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = self.redact(record.msg)
        if record.args:
            if isinstance(record.args, tuple):
                record.args = tuple(
                    self.redact(arg) if isinstance(arg, str) else arg for arg in record.args
                )
            elif isinstance(record.args, dict):
                record.args = {
                    key: self.redact(value) if isinstance(value, str) else value
                    for key, value in record.args.items()
                }
        # The request object carries the path too; handlers that format it
        # would print the secret, so it is dropped from the record.
        if hasattr(record, "request"):
            record.request = None
        return True


def install(log_filter: RedactLinks) -> None:
    """Attach the filter to the loggers that write request paths, once."""
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(
            isinstance(existing, RedactLinks) and existing.pattern == log_filter.pattern
            for existing in logger.filters
        ):
            logger.addFilter(log_filter)


def redact_calendar_links(text: str) -> str:
    return CALENDAR_LINK.sub(r"\1[address]\2", text)


def install_calendar_filter() -> None:
    install(RedactLinks(CALENDAR_LINK, r"\1[address]\2"))


class ClientErrorWithoutTraceback(logging.Filter):
    """A refused request (403, 404 and other 4xx answers) is logged as one
    line: the traceback of the refusal says nothing about a fault, and only
    makes the log hard to read. Server errors keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
