"""A chart as plain data: a ``json_script`` block that ``static/js/charts.js``
draws with Chart.js (served from our own origin), shown by the
``partials/_chart.html`` template.

Every chart is also on its page as a table with the same numbers, which is
the accessible form: the canvas only carries a short description.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Chart:
    key: str
    kind: str  # "bar", "line" or "curve"
    title: str
    description: str
    data: dict[str, Any]

    @property
    def data_id(self) -> str:
        return f"chart-{self.key}-data"
