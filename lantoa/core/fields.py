"""Model fields shared by the apps."""

from typing import Any

from django.db import models


class KeyCharField(models.CharField):
    """Text compared byte for byte: codes and paths, never shown in a sorted list.

    On PostgreSQL the column has the "C" collation, so index comparisons are plain memory
    compares instead of locale collation (an audit entry's indexes cost a third less to
    write; docs/decisions.md, "Audit entries: indexes and keys") and a plain index serves
    prefix `LIKE`. SQLite compares bytes already (BINARY)."""

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters
