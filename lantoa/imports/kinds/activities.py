"""Import kind: the activity ledger (what an organization did, with its figures).

Natural key: organization + activity type + date + title + place. An activity has no code;
these are what the activity list shows and exports, so exporting the list and importing the
file again matches every row to its activity and changes nothing. The headers are those of
the export (`movements.views.activities.activity_export`); its extra columns (unit,
partners, put forward) are ignored. The organization is given by its code or, as the
export writes it, by its exact name (refused when two organizations of the subtree share
it); the type, the movement and the beneficiaries' category by their name (or code).
Columns left out of the file keep what is stored. Two stored activities with the same key
cannot be told apart: such a row is refused.

Rules: `lantoa.movements.services.activities._check`, the page's own checks (date not in
the future nor before 1930, the organization existing on that date, the movement sent
down to the organization and its period containing the date, the quantity within the
type's largest believable figure, money and people within their limits, a category when
there are beneficiaries). Partners and photos are not imported.
"""

import copy
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.core.text import nfc, search_key
from lantoa.imports import parsers
from lantoa.imports.audit import audit_imported
from lantoa.imports.base import Column, Counts, ImportContext, Kind, RowError
from lantoa.imports.kinds.commitments import column_headers
from lantoa.movements.models import Activity, ActivityType, BeneficiaryCategory, Movement
from lantoa.movements.queries.movements import reaches
from lantoa.movements.services import activities as service
from lantoa.orgs.models import Organization
from lantoa.orgs.queries import subtree_q
from lantoa.orgs.rules import Perm, scope_q

FIGURES = ("quantity", "money", "participants", "beneficiaries")
FIELDS = (
    "movement",
    "place",
    "description",
    "participants",
    "beneficiary_category",
    "beneficiaries",
    "quantity",
    "money",
)
# the field a service error is about -> the column that shows it
FIELD_COLUMN = {"organization": "organization", "activity_type": "activity_type"}


def _type_names() -> list[str]:
    return list(ActivityType.objects.filter(active=True).values_list("name", flat=True))


def _category_names() -> list[str]:
    return list(BeneficiaryCategory.objects.values_list("name", flat=True))


COLUMNS = (
    Column(
        "date",
        gettext_lazy("Date"),
        parsers.date(),
        required=True,
        example="15/03/2024",
        width=12,
    ),
    Column(
        "organization",
        gettext_lazy("Organization"),
        parsers.text(255),
        required=True,
        aliases=("Organization code", "Mã tổ chức", "Tổ chức", "Đơn vị"),
        example="DCD-BDV",
        help=gettext_lazy("The organization that held it: its code, or its exact name."),
        width=30,
    ),
    Column(
        "activity_type",
        gettext_lazy("Type of activity"),
        parsers.text(200),
        required=True,
        aliases=("Activity type",),
        choices=_type_names,
        example="Hiến máu nhân đạo",
        width=30,
    ),
    Column(
        "title",
        gettext_lazy("Title"),
        parsers.text(500),
        required=True,
        aliases=("Tên hoạt động",),
        example="Ngày hội hiến máu tình nguyện",
        width=40,
    ),
    Column("place", gettext_lazy("Place"), parsers.text(300), width=25),
    Column(
        "movement",
        gettext_lazy("Movement"),
        parsers.text(500),
        help=gettext_lazy("Optional: the title of a movement sent down to the organization."),
        width=30,
    ),
    Column(
        "quantity",
        gettext_lazy("Quantity"),
        parsers.integer(maximum=2_000_000_000, blank=0),
        example="120",
        help=gettext_lazy("In the type's unit; at most the type's largest believable figure."),
        width=10,
    ),
    Column(
        "money",
        gettext_lazy("Value (đồng)"),
        parsers.integer(maximum=10**15, blank=0),
        example="0",
        width=14,
    ),
    Column(
        "participants",
        gettext_lazy("Participants"),
        parsers.integer(maximum=10**12, blank=0),
        example="150",
        width=10,
    ),
    Column(
        "beneficiaries",
        gettext_lazy("Beneficiaries"),
        parsers.integer(maximum=10**12, blank=0),
        example="0",
        width=10,
    ),
    Column(
        "beneficiary_category",
        gettext_lazy("Beneficiaries' category"),
        parsers.text(200),
        choices=_category_names,
        width=25,
    ),
    Column("description", gettext_lazy("Description"), parsers.text(20_000), width=40),
)

KEY = ("organization", "activity_type", "date", "title", "place")


def _by_name(records: Any) -> dict[str, list[Any]]:
    """Records by the search key of their name and of their code."""
    found: dict[str, list[Any]] = defaultdict(list)
    for record in records:
        for name in {search_key(record.name), search_key(getattr(record, "code", "") or "")}:
            if name and record not in found[name]:
                found[name].append(record)
    return found


@dataclass
class _Row:
    line: int
    activity: Activity  # with the row's values set (unsaved when new)
    changes: dict[str, list[Any]]
    created: bool


class ActivityImporter:
    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.rows: list[_Row] = []

    def begin(self) -> None:
        org = self.context.organization
        user = self.context.user
        self.headers = column_headers(COLUMNS)
        self.present = set((self.context.job.mapping or {}) if self.context.job else ()) or {
            column.key for column in COLUMNS
        }
        organizations = list(
            Organization.objects.filter(
                subtree_q(org.path), scope_q(user, Perm.RECORD_ACTIVITIES)
            ).only("id", "path", "code", "name", "archived", "valid_from", "valid_to", "depth")
        )
        self.orgs_by_code = {o.code: o for o in organizations}
        self.orgs_by_name: dict[str, list[Organization]] = defaultdict(list)
        for o in organizations:
            self.orgs_by_name[nfc(o.name).strip().casefold()].append(o)
        self.types = _by_name(ActivityType.objects.all())
        self.categories = _by_name(BeneficiaryCategory.objects.all())
        ancestors = [org.path[:end] for end in range(org.steplen, len(org.path) + 1, org.steplen)]
        movements = Movement.objects.filter(
            Q(organization__path__in=ancestors) | subtree_q(org.path, "organization__path")
        ).select_related("organization")
        self.movements: dict[str, list[Movement]] = defaultdict(list)
        for movement in movements:
            self.movements[search_key(movement.title)].append(movement)
        self.stored: dict[int, dict[tuple, list[Activity]]] = {}
        self.seen: dict[tuple, int] = {}

    def _organization(self, text: str) -> Organization | str:
        found = self.orgs_by_code.get(text.upper())
        if found is not None:
            return found
        named = self.orgs_by_name.get(nfc(text).strip().casefold(), [])
        if len(named) == 1:
            return named[0]
        if named:
            return _(
                "Several organizations are called “%(name)s”: write the organization's code."
            ) % {"name": text}
        return _(
            "No organization “%(value)s” in %(organization)s (or outside what you may record)."
        ) % {"value": text, "organization": self.context.organization.name}

    def _stored(self, org: Organization) -> dict[tuple, list[Activity]]:
        """The organization's stored activities by key (one query per organization of the
        file, not per row)."""
        found = self.stored.get(org.pk)
        if found is None:
            found = defaultdict(list)
            activities = Activity.objects.filter(organization=org).select_related(
                "movement__organization", "beneficiary_category", "activity_type"
            )
            for activity in activities:
                activity.organization = org
                key = (activity.activity_type_id, activity.date, activity.title, activity.place)
                found[key].append(activity)
            self.stored[org.pk] = found
        return found

    def _one(self, table: dict[str, list[Any]], text: str, what: str) -> Any:
        found = table.get(search_key(text), [])
        if len(found) == 1:
            return found[0]
        if found:
            return _("Several %(what)s are called “%(name)s”.") % {"what": what, "name": text}
        return _("“%(value)s” is not a known %(what)s.") % {"value": text[:80], "what": what}

    def check(self, values: dict[str, Any], line: int) -> list[RowError]:
        errors: list[RowError] = []
        headers = self.headers

        def error(column: str, message: str) -> None:
            errors.append(RowError(line, headers.get(column, ""), message))

        org = self._organization(values["organization"])
        if isinstance(org, str):
            error("organization", org)
        activity_type = self._one(self.types, values["activity_type"], _("type of activity"))
        if isinstance(activity_type, str):
            error("activity_type", activity_type)
        category = None
        if values["beneficiary_category"]:
            category = self._one(
                self.categories, values["beneficiary_category"], _("beneficiaries' category")
            )
            if isinstance(category, str):
                error("beneficiary_category", category)
        if errors:
            return errors
        movement = None
        if values["movement"]:
            candidates = [
                m for m in self.movements.get(search_key(values["movement"]), []) if reaches(m, org)
            ]
            if len(candidates) > 1:
                candidates = [
                    m for m in candidates if m.start_date <= values["date"] <= m.end_date
                ] or candidates
            if len(candidates) == 1:
                movement = candidates[0]
            elif candidates:
                error("movement", _("Several movements have this title: correct it on the page."))
            else:
                error(
                    "movement",
                    _("No movement “%(title)s” was sent down to %(organization)s.")
                    % {"title": values["movement"][:80], "organization": org.name},
                )
        title, place = nfc(values["title"]).strip(), nfc(values["place"]).strip()
        key = (activity_type.pk, values["date"], title, place)
        first = self.seen.get((org.pk, *key))
        if first is not None:
            error("title", _("The same activity as line %(line)s.") % {"line": first})
        if errors:
            return errors
        matches = self._stored(org).get(key, [])
        if len(matches) > 1:
            error(
                "title",
                _(
                    "%(count)s stored activities have this organization, type, date, title "
                    "and place: correct them on the activity pages first."
                )
                % {"count": len(matches)},
            )
            return errors
        stored = matches[0] if matches else None
        wanted = {
            "movement": movement,
            "place": place,
            "description": nfc(values["description"]).strip(),
            "participants": values["participants"],
            "beneficiary_category": category,
            "beneficiaries": values["beneficiaries"],
            "quantity": values["quantity"],
            "money": values["money"],
        }
        if stored is None:
            activity = Activity(
                organization=org,
                activity_type=activity_type,
                title=title,
                date=values["date"],
                recorded_by=self.context.user,
                **wanted,
            )
            changes = {
                "organization": [None, org.code],
                "activity_type": [None, activity_type.name],
                "title": [None, title],
                "date": [None, values["date"]],
            }
            changes.update({name: [None, _shown(value)] for name, value in wanted.items() if value})
        else:
            activity = copy.copy(stored)  # the stored one stays as it is if the row fails
            changes = {}
            for name, value in wanted.items():
                if name not in self.present:
                    continue
                old = getattr(activity, name)
                if old != value:
                    changes[name] = [_shown(old), _shown(value)]
                    setattr(activity, name, value)
        if changes:
            problems = service._check(
                self.context.user,
                activity,
                None,
                new_type=stored is None,
                new_org=stored is None,
            )
            for field, messages in problems.by_field.items():
                for message in messages:
                    error(FIELD_COLUMN.get(field, field), str(message))
            if errors:
                return errors
        self.seen[(org.pk, *key)] = line
        values["_row"] = _Row(line, activity, changes, stored is None)
        return []

    def add(self, values: dict[str, Any], line: int) -> None:
        self.rows.append(values["_row"])

    def write(self) -> Counts:
        counts = Counts()
        now = timezone.now()
        new = [row.activity for row in self.rows if row.created]
        for activity in new:
            activity.search_key = search_key(f"{activity.title} {activity.place}")
        Activity.objects.bulk_create(new, batch_size=1000)
        changed = [row for row in self.rows if not row.created and row.changes]
        fields: set[str] = set()
        for row in changed:
            row.activity.updated_at = now
            row.activity.search_key = search_key(f"{row.activity.title} {row.activity.place}")
            fields.update(row.changes)
        if changed:
            Activity.objects.bulk_update(
                [row.activity for row in changed],
                sorted(fields | {"updated_at", "search_key"}),
                batch_size=500,
            )
        audit_imported(
            [(row.activity, row.created, row.changes) for row in self.rows if row.changes],
            job_id=self.context.job.pk,
            actor=self.context.user,
        )
        counts.created = len(new)
        counts.updated = len(changed)
        counts.unchanged = len(self.rows) - counts.created - counts.updated
        return counts

    def close(self) -> None:
        self.rows = []
        self.stored = {}
        self.seen = {}


def _shown(value: Any) -> Any:
    """A value as the audit trail shows it."""
    if isinstance(value, Movement):
        return value.title
    if isinstance(value, BeneficiaryCategory | ActivityType):
        return value.name
    return value


KIND = Kind(
    name="activities",
    label=gettext_lazy("Activities"),
    columns=COLUMNS,
    key=KEY,
    importer=ActivityImporter,
    permission=Perm.RECORD_ACTIVITIES.value,
    description=gettext_lazy(
        "The activities organizations held, with their figures: one row per activity. "
        "A file exported from the activity list can be imported again."
    ),
)
