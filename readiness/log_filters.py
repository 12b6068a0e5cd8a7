"""Keep survey links out of the logs.

Django logs the path of every refused request (``Not Found: /readiness/
survey/<token>/``), and the development server logs every request. A
respondent's token is a key to their answers, so it is replaced by
``[link]`` before any of those records is written. The pattern matches the
address under ``/readiness/`` and the one under ``/deployment/`` that links
e-mailed before the survey moved still use (it redirects to the new one).
The filter itself is the kernel's (``peerprog.core.log_filters``), which
keeps calendar feed addresses out of the logs the same way.
"""

from __future__ import annotations

import re

from peerprog.core import log_filters

SURVEY_LINK = re.compile(r"(/survey/)(?!(?:sent|answer)/)[A-Za-z0-9_\-]+")
REPLACEMENT = r"\1[link]"


def redact(text: str) -> str:
    return SURVEY_LINK.sub(REPLACEMENT, text)


class RedactSurveyLinks(log_filters.RedactLinks):
    def __init__(self) -> None:
        super().__init__(SURVEY_LINK, REPLACEMENT)


def install() -> None:
    """Attach the filter to the loggers that write request paths."""
    log_filters.install(RedactSurveyLinks())
