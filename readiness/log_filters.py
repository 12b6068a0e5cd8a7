"""Keep survey links out of the logs.

Django logs the path of every refused request (``Not Found: /readiness/
survey/<token>/``), and the development server logs every request. A
respondent's token is a key to their answers, so it is replaced by
``[link]`` before any of those records is written. The pattern matches the
address under ``/readiness/`` and the one under ``/deployment/`` that links
e-mailed before the survey moved still use (it redirects to the new one).
"""

from __future__ import annotations

import logging
import re

SURVEY_LINK = re.compile(r"(/survey/)(?!(?:sent|answer)/)[A-Za-z0-9_\-]+")


def redact(text: str) -> str:
    return SURVEY_LINK.sub(r"\1[link]", text)


class RedactSurveyLinks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            if isinstance(record.args, tuple):
                record.args = tuple(
                    redact(arg) if isinstance(arg, str) else arg for arg in record.args
                )
            elif isinstance(record.args, dict):
                record.args = {
                    key: redact(value) if isinstance(value, str) else value
                    for key, value in record.args.items()
                }
        # The request object carries the path too; handlers that format it
        # would print the token, so it is dropped from the record.
        if hasattr(record, "request"):
            record.request = None
        return True


def install() -> None:
    """Attach the filter to the loggers that write request paths."""
    for name in ("django.request", "django.server", "django.security.csrf"):
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactSurveyLinks) for existing in logger.filters):
            logger.addFilter(RedactSurveyLinks())
