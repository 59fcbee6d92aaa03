"""Import kind: the year-end quality rating of members (xếp loại chất lượng đảng viên).

Natural key: person code + year — one rating per member per year. The rating list it goes
to follows the member's organization in that year (today's organization while the year
runs, else the one of their membership on 31/12 of the year, as `people_of_year` counts
them): the person's existing rating of the year if there is one, else the list of the
nearest organization up the tree that has one for the year, else a new draft list of the
member's base organization (as the demo and the pages rate base organizations), dated by
the "Date of the rating" column or today.

Rules, as in `lantoa.programs.services.rating`: a score from 0 to 100; the level follows
from the score by the rule in force on the list's date (a "Level" cell, when given, must
agree); a confirmed list is frozen; the date of a new list lies in the year or early the
next; after the import no list may exceed the cap on "excellent" in force (checked on the
whole list in `finish()`, after every row was read: an error on the list's rows).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from lantoa.imports import parsers
from lantoa.imports.audit import audit_imported
from lantoa.imports.base import CellError, Column, Counts, ImportContext, Kind, RowError
from lantoa.imports.kinds.commitments import (
    PERSON_CODE_COLUMN,
    column_headers,
    label_list,
    labels_of,
    people_in_scope,
    unknown_person,
)
from lantoa.orgs.models import Membership, Organization, Person
from lantoa.orgs.queries import subtree_q
from lantoa.orgs.rules import Perm, can
from lantoa.programs.models import (
    BASE_KINDS,
    Rating,
    RatingLevel,
    RatingList,
    RatingRule,
)
from lantoa.programs.models.registration import YEAR_MAX, YEAR_MIN
from lantoa.programs.queries.rating import rule_in_force
from lantoa.programs.services.rating import cap_check

HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def score(value: Any) -> Decimal | None:
    """A score from 0 to 100 with at most two decimals; 85,5 and 85.5 both read 85.5."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(_("Enter a score from 0 to 100."))
    raw = value.strip().replace(",", ".") if isinstance(value, str) else value
    if raw == "":
        return None
    try:
        result = Decimal(str(raw))
    except InvalidOperation:
        raise CellError(
            _("“%(value)s” is not a score: enter a number from 0 to 100.")
            % {"value": str(value)[:40]}
        ) from None
    if not result.is_finite() or not (0 <= result <= HUNDRED):
        raise CellError(_("Enter a score from 0 to 100."))
    rounded = result.quantize(CENT)
    if rounded != result:
        raise CellError(_("A score has at most two decimals."))
    return rounded


COLUMNS = (
    PERSON_CODE_COLUMN,
    Column(
        "year",
        gettext_lazy("Year"),
        parsers.integer(minimum=YEAR_MIN, maximum=YEAR_MAX),
        required=True,
        example="2024",
        width=8,
    ),
    Column(
        "score",
        gettext_lazy("Score"),
        score,
        required=True,
        example="85",
        help=gettext_lazy("From 0 to 100; the level follows from it."),
        width=8,
    ),
    Column(
        "disqualified",
        gettext_lazy("A disqualifying condition applies"),
        parsers.boolean(),
        help=gettext_lazy("“Có” when e.g. a disciplinary measure applies: not completed."),
    ),
    Column(
        "level",
        pgettext_lazy("rating", "Level"),
        parsers.choice(lambda: labels_of(RatingLevel)),
        aliases=("Level", "Xếp loại", "Cấp"),
        choices=lambda: label_list(RatingLevel),
        help=gettext_lazy("Optional: checked against the level the score gives."),
        width=28,
    ),
    Column("note", gettext_lazy("Note"), parsers.text(500), width=30),
    Column(
        "rated_on",
        gettext_lazy("Date of the rating"),
        parsers.date(),
        help=gettext_lazy("Only for a rating list the import creates (empty: today)."),
    ),
)


@dataclass
class _Row:
    line: int
    person: Person
    rating: Rating | None  # stored
    rating_list: RatingList | None  # stored, or None: `new_list` is created
    new_list: tuple[int, int] | None  # (organization id, year)
    rated_on: datetime.date
    score: Decimal
    disqualified: bool
    note: str
    level: str


class RatingImporter:
    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.rows: list[_Row] = []

    def begin(self) -> None:
        org = self.context.organization
        self.headers = column_headers(COLUMNS)
        self.people = people_in_scope(self.context, Perm.RATE_MEMBERS)
        self.ids = [person.pk for person in self.people.values()]
        # the organizations of the subtree and above it, by id and by path
        ancestors = [org.path[:end] for end in range(org.steplen, len(org.path), org.steplen)]
        organizations = Organization.objects.filter(
            subtree_q(org.path) | Q(path__in=ancestors)
        ).only("id", "path", "name", "kind", "archived", "depth", "code")
        self.orgs = {o.pk: o for o in organizations}
        self.by_path = {o.path: o for o in self.orgs.values()}
        self.today = timezone.localdate()
        self.years: dict[int, _Year] = {}
        self.rules: dict[datetime.date, RatingRule] = {}
        self.new_lists: dict[tuple[int, int], datetime.date] = {}

    def _year(self, year: int) -> "_Year":
        """The stored lists and ratings of a year, and where each person was (3 queries per
        distinct year of the file, never per row)."""
        found = self.years.get(year)
        if found is None:
            found = self.years[year] = _Year(self, year)
        return found

    def _rule(self, day: datetime.date) -> RatingRule:
        rule = self.rules.get(day)
        if rule is None:
            rule = self.rules[day] = rule_in_force(day)
        return rule

    def _error(self, line: int, column: str, message: str) -> list[RowError]:
        return [RowError(line, self.headers[column] if column else "", message)]

    def check(self, values: dict[str, Any], line: int) -> list[RowError]:
        person = self.people.get(values["person"])
        if person is None:
            return self._error(
                line, "person", unknown_person(values["person"], self.context.organization)
            )
        year = values["year"]
        stored = self._year(year)
        rating = stored.ratings.get(person.pk)
        new_list = None
        if rating is not None:
            rating_list = rating.list
        else:
            home = stored.home(person)
            if home is None:
                return self._error(
                    line,
                    "person",
                    _("%(name)s was not a member of %(organization)s in %(year)s.")
                    % {
                        "name": person.full_name,
                        "organization": self.context.organization.name,
                        "year": year,
                    },
                )
            rating_list = stored.list_for(home)
            if rating_list is None:
                unit = self._base_of(home)
                new_list = (unit.pk, year)
        if rating_list is not None:
            problem = self._list_problem(rating_list, values.get("rated_on"))
            if problem:
                return self._error(line, *problem)
            rated_on = rating_list.rated_on
        else:
            rated_on = self.new_lists.get(new_list) or values.get("rated_on") or self.today
            if rated_on.year not in (year, year + 1):
                return self._error(
                    line,
                    "rated_on" if values.get("rated_on") else "year",
                    _(
                        "The rating of %(year)s takes place in %(year)s or early the next "
                        "year: enter the date of the rating."
                    )
                    % {"year": year},
                )
            given = values.get("rated_on")
            if given and given != rated_on:
                return self._error(
                    line,
                    "rated_on",
                    _("Another row gives the same new rating list the date %(date)s.")
                    % {"date": _short(rated_on)},
                )
            self.new_lists[new_list] = rated_on
        level = self._rule(rated_on).level_for(values["score"], values["disqualified"])
        if values["level"] and values["level"] != level:
            return self._error(
                line,
                "level",
                _(
                    "A score of %(score)s gives “%(level)s” under the rule in force on "
                    "%(date)s, not “%(given)s”."
                )
                % {
                    "score": f"{values['score'].normalize():f}",
                    "level": RatingLevel(level).label,
                    "date": _short(rated_on),
                    "given": RatingLevel(values["level"]).label,
                },
            )
        values["_row"] = _Row(
            line=line,
            person=person,
            rating=rating,
            rating_list=rating_list,
            new_list=new_list,
            rated_on=rated_on,
            score=values["score"],
            disqualified=values["disqualified"],
            note=values["note"],
            level=level,
        )
        return []

    def _list_problem(
        self, rating_list: RatingList, rated_on: datetime.date | None
    ) -> tuple[str, str] | None:
        org = self.orgs.get(rating_list.organization_id)
        if (
            org is None
            or not org.path.startswith(self.context.organization.path)
            or not can(self.context.user, Perm.RATE_MEMBERS, org)
        ):
            name = org.name if org is not None else ""
            return (
                "person",
                _(
                    "This member is rated on the list of %(organization)s, outside the "
                    "organization you import into."
                )
                % {"organization": name},
            )
        if rating_list.is_confirmed:
            return (
                "year",
                _(
                    "The rating list of %(organization)s for %(year)s is confirmed and can no "
                    "longer be changed."
                )
                % {"organization": org.name, "year": rating_list.year},
            )
        if rated_on is not None and rated_on != rating_list.rated_on:
            return (
                "rated_on",
                _(
                    "The rating list of %(organization)s for %(year)s is dated %(date)s: "
                    "change its date on its page."
                )
                % {
                    "organization": org.name,
                    "year": rating_list.year,
                    "date": _short(rating_list.rated_on),
                },
            )
        return None

    def _base_of(self, org: Organization) -> Organization:
        """The base organization the member belongs to (a new list is made for it), or the
        member's organization itself when none is found inside the target subtree."""
        root = self.context.organization.path
        for end in range(len(org.path), len(root) - 1, -org.steplen):
            node = self.by_path.get(org.path[:end])
            if node is not None and node.kind in BASE_KINDS:
                return node
        return org

    def add(self, values: dict[str, Any], line: int) -> None:
        self.rows.append(values["_row"])

    def write(self) -> Counts:
        counts = Counts()
        audits: list[tuple[Any, bool, dict[str, list[Any]]]] = []
        lists: dict[tuple[int, int], RatingList] = {}
        for (org_id, year), rated_on in self.new_lists.items():
            lists[(org_id, year)] = RatingList(organization_id=org_id, year=year, rated_on=rated_on)
        if lists:
            RatingList.objects.bulk_create(list(lists.values()), batch_size=500)
            for rating_list in lists.values():
                rating_list.organization = self.orgs[rating_list.organization_id]
                audits.append(
                    (
                        rating_list,
                        True,
                        {
                            "organization": [None, rating_list.organization.code],
                            "year": [None, rating_list.year],
                            "rated_on": [None, rating_list.rated_on],
                        },
                    )
                )
        created: list[Rating] = []
        changed: list[Rating] = []
        for row in self.rows:
            rating_list = row.rating_list or lists[row.new_list]
            values = {
                "score": row.score,
                "disqualified": row.disqualified,
                "note": row.note,
                "level": row.level,
            }
            rating = row.rating
            if rating is None:
                rating = Rating(list=rating_list, person=row.person, **values)
                created.append(rating)
                fields = {"person": [None, row.person.code], "year": [None, rating_list.year]}
                fields.update({name: [None, value] for name, value in values.items()})
                audits.append((rating, True, fields))
                continue
            changes = {
                name: [getattr(rating, name), value]
                for name, value in values.items()
                if getattr(rating, name) != value
            }
            if not changes:
                counts.unchanged += 1
                continue
            for name, value in values.items():
                setattr(rating, name, value)
            changed.append(rating)
            audits.append((rating, False, changes))
        Rating.objects.bulk_create(created, batch_size=1000)
        Rating.objects.bulk_update(
            changed, ["score", "disqualified", "note", "level"], batch_size=500
        )
        audit_imported(audits, job_id=self.context.job.pk, actor=self.context.user)
        counts.created, counts.updated = len(created), len(changed)
        return counts

    def finish(self) -> list[RowError]:
        """Each rating list the file touches, as it will be after the import, within the cap
        on "excellent" in force on its date; else an error on the list's excellent rows of
        the file (or its last row)."""
        rows_of: dict[Any, list[_Row]] = defaultdict(list)
        for row in self.rows:
            rows_of[row.rating_list.pk if row.rating_list else row.new_list].append(row)
        counts: dict[Any, dict[str, int]] = {key: defaultdict(int) for key in rows_of}
        replaced = [row.rating.pk for row in self.rows if row.rating is not None]
        stored_ids = [key for key in rows_of if isinstance(key, int)]
        stored = (
            Rating.objects.filter(list_id__in=stored_ids)
            .exclude(pk__in=replaced)
            .values("list_id", "level")
            .annotate(count=Count("id"))
            .order_by()
        )
        for line in stored:
            counts[line["list_id"]][line["level"]] += line["count"]
        for key, rows in rows_of.items():
            for row in rows:
                counts[key][row.level] += 1
        errors: list[RowError] = []
        for key, rows in rows_of.items():
            first = rows[0]
            rating_list = first.rating_list or RatingList(
                organization_id=first.new_list[0], year=first.new_list[1], rated_on=first.rated_on
            )
            rating_list.organization = self.orgs[rating_list.organization_id]
            check = cap_check(rating_list, dict(counts[key]))
            if not check.over:
                continue
            message = _(
                "The rating list of %(organization)s for %(year)s would exceed the cap on "
                "excellent ratings: %(detail)s"
            ) % {
                "organization": rating_list.organization.name,
                "year": rating_list.year,
                "detail": check.message(),
            }
            flagged = [row for row in rows if row.level == RatingLevel.EXCELLENT] or rows[-1:]
            errors += [RowError(row.line, self.headers["score"], message) for row in flagged]
        return errors

    def close(self) -> None:
        self.rows = []
        self.years = {}
        self.people = {}


class _Year:
    """What is stored for one year: the people's ratings, the lists, where people were."""

    def __init__(self, importer: RatingImporter, year: int) -> None:
        self.importer = importer
        self.year = year
        ratings = Rating.objects.filter(person_id__in=importer.ids, list__year=year)
        self.ratings = {
            rating.person_id: rating for rating in ratings.select_related("list").order_by("id")
        }
        org_ids = list(importer.orgs)
        self.lists = {
            rating_list.organization_id: rating_list
            for rating_list in RatingList.objects.filter(year=year, organization_id__in=org_ids)
        }
        self.homes: dict[int, int] | None = None
        if year < importer.today.year:
            end = datetime.date(year, 12, 31)
            self.homes = dict(
                Membership.objects.filter(
                    person_id__in=importer.ids,
                    organization_id__in=org_ids,
                    start_date__lte=end,
                )
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=end))
                .order_by("start_date", "id")
                .values_list("person_id", "organization_id")
            )

    def home(self, person: Person) -> Organization | None:
        """The person's organization in the year, inside the target subtree."""
        org_id = person.organization_id if self.homes is None else self.homes.get(person.pk)
        org = self.importer.orgs.get(org_id)
        if org is None or not org.path.startswith(self.importer.context.organization.path):
            return None
        return org

    def list_for(self, org: Organization) -> RatingList | None:
        """The list of the nearest organization up the tree (itself first) for the year."""
        by_path = self.importer.by_path
        for end in range(len(org.path), 0, -org.steplen):
            node = by_path.get(org.path[:end])
            if node is not None and node.pk in self.lists:
                return self.lists[node.pk]
        return None


def _short(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


KIND = Kind(
    name="ratings",
    label=gettext_lazy("Quality ratings of members"),
    columns=COLUMNS,
    key=("person", "year"),
    importer=RatingImporter,
    permission=Perm.RATE_MEMBERS.value,
    description=gettext_lazy(
        "Year-end quality ratings, one row per member and year: the score, and whether a "
        "disqualifying condition applies. Rows go to the rating list of the member's "
        "organization for the year; a confirmed list cannot be changed."
    ),
)
