from __future__ import annotations

from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """The demo data set, the scale data sets and the benchmark, with their
    commands (``seed_demo``, ``seed_scale``, ``bench``). No models, pages or
    tasks: it is installed only so that Django finds the commands."""

    name = "peerprog.devtools"
    label = "devtools"
    verbose_name = "Demo data, scale data and benchmark"
