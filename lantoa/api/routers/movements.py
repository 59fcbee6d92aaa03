"""The activity ledger, as the activities page lists it."""

import datetime

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from lantoa.api.pagination import Listing, Pages
from lantoa.api.routers.common import answers, org_or_none, text
from lantoa.api.schemas import ActivityOut
from lantoa.core.text import search_key
from lantoa.movements.models import Activity
from lantoa.movements.views.activities import FIRST_YEAR, LAST_YEAR
from lantoa.orgs.queries import in_subtree_q
from lantoa.orgs.rules import Perm, scope_q

router = Router(tags=["activities"])


def activity_out(a: Activity) -> ActivityOut:
    return ActivityOut(
        id=a.pk,
        organization_code=a.organization.code,
        activity_type=a.activity_type.code,
        activity_type_name=a.activity_type.name,
        movement_id=a.movement_id,
        movement_title=a.movement.title if a.movement_id else None,
        title=a.title,
        date=a.date,
        place=a.place,
        description=a.description,
        participants=a.participants,
        beneficiaries=a.beneficiaries,
        quantity=a.quantity,
        money=a.money,
    )


@router.get("/activities", response=answers(list[ActivityOut]))
@paginate(Pages)
def activities(
    request: HttpRequest,
    org: str | None = None,
    q: str | None = None,
    activity_type: str | None = Query(None, alias="type", max_length=40),
    movement: int | None = Query(None, ge=1, le=2**31 - 1),
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
):
    """Activities of organizations in reach, latest first: `org` (a code) keeps its
    subtree, `type` an activity type's code, `movement` a movement's id, `year` a
    calendar year, `q` words of the title or place without diacritics."""
    found = Activity.objects.filter(scope_q(request.user, Perm.VIEW_PROGRAMS, "organization__path"))
    unit = org_or_none(request, org, Perm.VIEW_PROGRAMS)
    if unit is not None:
        found = found.filter(in_subtree_q(unit.path))
    if activity_type:
        found = found.filter(activity_type__code=activity_type)
    if movement is not None:
        found = found.filter(movement_id=movement)
    if year is not None:
        found = found.filter(
            date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
        )
    key = search_key(text(q))
    if key:
        found = found.filter(search_key__contains=key)
    rows = found.select_related("organization", "activity_type", "movement").order_by(
        "-date", "-id"
    )
    return Listing(rows, lambda page: [activity_out(a) for a in page])
