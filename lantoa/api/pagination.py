"""Pages of the API's lists: `?limit=` (1–500, 50 by default) and `?offset=`, answering
`{"count": …, "items": […]}`. A list may say how to turn a page of rows into items (the
tallies of a page of nominations, the member counts of a page of organizations) so that
the queries per request stay the same whatever the page size."""

from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
MAX_OFFSET = 1_000_000_000


class Listing:
    """Rows to page through (a queryset, or anything with `count()` and slices) and the
    function that turns a page of them into the items answered."""

    def __init__(self, rows: Any, items: Callable[[list], Sequence] | None = None) -> None:
        self.rows = rows
        self.items = items

    def count(self) -> int:
        return self.rows.count()

    def page(self, offset: int, limit: int) -> Sequence:
        rows = list(self.rows[offset : offset + limit])
        return self.items(rows) if self.items is not None else rows


class Pages(PaginationBase):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")

    def paginate_queryset(
        self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        listing = queryset if isinstance(queryset, Listing) else Listing(queryset)
        count = listing.count()
        items = (
            listing.page(pagination.offset, pagination.limit) if pagination.offset < count else []
        )
        return {"items": items, "count": count}
