"""How much of one uploaded file is read: rows, columns and cells, bounded so that no upload, real
or hostile, can take the server's memory. Each bound can be raised with an environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass

from themes.core.errors import whole_setting

ENV_ROWS = "THEMES_MAX_ROWS"
ENV_COLUMNS = "THEMES_MAX_COLUMNS"
ENV_CELLS = "THEMES_MAX_CELLS"


@dataclass(frozen=True)
class ReadLimits:
    """Bounds on what one file may hold.

    Attributes:
        rows: rows of the sheet or CSV, header included (Excel's own limit is 1,048,576).
        columns: columns (Excel allows 16,384; survey exports rarely pass a few hundred).
        cells: rows x used columns, empty cells inside a row included: what reading costs.
    """

    rows: int = 300_000
    columns: int = 2_000
    cells: int = 10_000_000

    @classmethod
    def from_env(cls) -> ReadLimits:
        """The defaults, with any raised or lowered by THEMES_MAX_ROWS/_COLUMNS/_CELLS."""
        values = {}
        for field, env in (("rows", ENV_ROWS), ("columns", ENV_COLUMNS), ("cells", ENV_CELLS)):
            raw = os.environ.get(env, "").strip().replace(",", "").replace("_", "")
            if raw:
                values[field] = whole_setting(env, raw)
        return cls(**values)
