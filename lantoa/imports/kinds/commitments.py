"""Import kind: members' personal commitments (bản đăng ký làm theo) with their assessments.

Natural key: person code + year (`Commitment` is unique on person and year). A row names the
member by `Person.code`; the member must be a current person of the target subtree, within
the importing user's grant. The commitment's items are the lines of one cell.

Rules, as in `lantoa.programs.services.registration`: the year lies in YEAR_MIN..YEAR_MAX,
1 to MAX_ITEMS items; the registration deadline does not apply (it binds members editing
their own commitment, not the cell's staff recording paper forms), but the items of a
commitment the cell has assessed are frozen. Empty assessment cells keep what is stored
(there is no "un-assess" in the services either). A new commitment is registered under the
member's current organization, as `save_own_commitment` does.

The helpers `people_in_scope`, `column_headers` and `new_values` are shared with the other
kinds of this family (ratings, nominations).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.imports import parsers
from lantoa.imports.audit import audit_imported
from lantoa.imports.base import Column, Counts, ImportContext, Kind, RowError
from lantoa.orgs.models import Organization, Person
from lantoa.orgs.queries import subtree_q
from lantoa.orgs.rules import Perm, scope_q
from lantoa.programs.models import (
    Commitment,
    CommitmentItem,
    CommitmentResult,
    CommitmentStatus,
)
from lantoa.programs.models.registration import YEAR_MAX, YEAR_MIN
from lantoa.programs.services.registration import MAX_ITEMS

# --- shared by the kinds of this family ----------------------------------------------------


def people_in_scope(context: ImportContext, perm: Perm) -> dict[str, Person]:
    """Current people with a code in the target subtree and the user's grant, by code; one
    query, their organization joined."""
    people = (
        Person.objects.filter(
            subtree_q(context.organization.path, "organization__path"),
            scope_q(context.user, perm, "organization__path"),
            archived=False,
            code__isnull=False,
        )
        .exclude(code="")
        .select_related("organization")
    )
    return {person.code: person for person in people}


def column_headers(columns: Iterable[Column]) -> dict[str, str]:
    """The header each column shows in the active language (for RowError.column)."""
    return {column.key: str(column.header) for column in columns}


def unknown_person(code: str, organization: Organization) -> str:
    return _(
        "No current person with the code “%(code)s” in %(organization)s (or outside what you "
        "may manage)."
    ) % {"code": code, "organization": organization.name}


def new_values(fields: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Audit changes of a created object: {field: [None, value]}."""
    return {name: [None, value] for name, value in fields.items() if value not in ("", None)}


def labels_of(choices: Any) -> dict[str, str]:
    """Accepted spellings of a TextChoices: its values and its labels in every language of
    the site, each mapped to the stored value (the parser caches this once per process)."""
    accepted: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices.choices:
                accepted[value] = value
                accepted[str(label)] = value
    return accepted


def label_list(choices: Any) -> list[str]:
    return [str(label) for label in choices.labels]


# --- the kind ------------------------------------------------------------------------------


def _items(value: Any) -> list[str]:
    """The items of a commitment: one a line of the cell; bullets and blank lines dropped."""
    text = parsers.text(20_000)(value)
    items = []
    for line in text.splitlines():
        line = line.strip().lstrip("-•+*").strip()
        if line:
            items.append(line)
    return items


_result = parsers.choice(lambda: labels_of(CommitmentResult))

# The member a commitment or a rating belongs to (ratings use the same column).
PERSON_CODE_COLUMN = Column(
    "person",
    gettext_lazy("Personal code"),
    parsers.code(32),
    required=True,
    aliases=("Mã đảng viên", "Số thẻ đảng viên", "Code", "Mã"),
    example="DV000001",
    help=gettext_lazy("The person's code (e.g. the party card number) as stored."),
)

COLUMNS = (
    PERSON_CODE_COLUMN,
    Column(
        "year",
        gettext_lazy("Year"),
        parsers.integer(minimum=YEAR_MIN, maximum=YEAR_MAX),
        required=True,
        example="2025",
        width=8,
    ),
    Column(
        "items",
        gettext_lazy("Items of the commitment"),
        _items,
        required=True,
        aliases=("Nội dung đăng ký", "Items", "Commitment"),
        example="Gương mẫu thực hành tiết kiệm",
        help=gettext_lazy("One item a line (Alt+Enter in Excel); at most 20 items."),
        width=50,
    ),
    Column(
        "self_result",
        gettext_lazy("Self-assessed result"),
        _result,
        choices=lambda: label_list(CommitmentResult),
    ),
    Column(
        "self_assessment",
        gettext_lazy("Self-assessment"),
        parsers.text(20_000),
        width=40,
    ),
    Column(
        "cell_result",
        gettext_lazy("The cell's result"),
        _result,
        choices=lambda: label_list(CommitmentResult),
        help=gettext_lazy("Filled in: the commitment counts as assessed by the cell."),
    ),
    Column(
        "cell_assessment",
        gettext_lazy("The cell's assessment"),
        parsers.text(20_000),
        width=40,
    ),
)

ASSESSMENT_FIELDS = ("self_result", "self_assessment", "cell_result", "cell_assessment")
# the model fields written when an audited change is made
_STORED: dict[str, tuple[str, ...]] = {
    "items": (),
    "status": ("status",),
    "self_result": ("self_result", "self_assessed_at"),
    "self_assessment": ("self_assessment", "self_assessed_at"),
    "cell_result": ("cell_result", "cell_assessed_at", "cell_assessed_by"),
    "cell_assessment": ("cell_assessment", "cell_assessed_at", "cell_assessed_by"),
}


@dataclass
class _Row:
    line: int
    person: Person
    year: int
    items: list[str]
    values: dict[str, str]  # the assessment fields given (non-empty)


class CommitmentImporter:
    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.rows: list[_Row] = []

    def begin(self) -> None:
        self.headers = column_headers(COLUMNS)
        self.people = people_in_scope(self.context, Perm.MANAGE_REGISTRATIONS)
        # the commitments of these people, with their items: (person id, year) -> commitment
        self.existing: dict[tuple[int, int], Commitment] = {}
        ids = [person.pk for person in self.people.values()]
        commitments = Commitment.objects.filter(person__in=ids).prefetch_related("items")
        for commitment in commitments.iterator(chunk_size=2000):
            self.existing[(commitment.person_id, commitment.year)] = commitment

    def check(self, values: dict[str, Any], line: int) -> list[RowError]:
        errors: list[RowError] = []
        person = self.people.get(values["person"])
        if person is None:
            errors.append(
                RowError(
                    line,
                    self.headers["person"],
                    unknown_person(values["person"], self.context.organization),
                )
            )
        items = values["items"]
        if not items:
            errors.append(
                RowError(line, self.headers["items"], _("Write at least one item you will follow."))
            )
        elif len(items) > MAX_ITEMS:
            errors.append(
                RowError(
                    line,
                    self.headers["items"],
                    _("Write at most %(count)s items (this cell has %(found)s).")
                    % {"count": MAX_ITEMS, "found": len(items)},
                )
            )
        if person is not None and items:
            stored = self.existing.get((person.pk, values["year"]))
            if (
                stored is not None
                and stored.status == CommitmentStatus.ASSESSED
                and [item.text for item in stored.items.all()] != items
            ):
                errors.append(
                    RowError(
                        line,
                        self.headers["items"],
                        _("The cell has assessed this commitment: it can no longer be changed."),
                    )
                )
        return errors

    def add(self, values: dict[str, Any], line: int) -> None:
        given = {name: values.get(name) or "" for name in ASSESSMENT_FIELDS}
        self.rows.append(
            _Row(
                line=line,
                person=self.people[values["person"]],
                year=values["year"],
                items=values["items"],
                values={name: value for name, value in given.items() if value},
            )
        )

    def write(self) -> Counts:
        counts = Counts()
        now = timezone.now()
        user = self.context.user if getattr(self.context.user, "is_authenticated", False) else None
        created: list[tuple[Commitment, list[str], dict[str, list[Any]]]] = []
        updated: list[tuple[Commitment, list[str], dict[str, list[Any]]]] = []
        fields: set[str] = set()
        for row in self.rows:
            stored = self.existing.get((row.person.pk, row.year))
            commitment = stored or Commitment(
                person=row.person,
                year=row.year,
                organization_id=row.person.organization_id,
                submitted_at=now,
            )
            changes: dict[str, list[Any]] = {}
            old_texts = [item.text for item in commitment.items.all()] if stored else []
            if old_texts != row.items:
                changes["items"] = ["\n".join(old_texts) or None, "\n".join(row.items)]
            for name, value in row.values.items():
                if getattr(commitment, name) != value:
                    changes[name] = [getattr(commitment, name) or None, value]
                    setattr(commitment, name, value)
            status = _status(commitment)
            if status != commitment.status or stored is None:
                changes["status"] = [stored.status if stored else None, status]
                commitment.status = status
            if {"self_result", "self_assessment"} & changes.keys():
                commitment.self_assessed_at = now
            if {"cell_result", "cell_assessment"} & changes.keys():
                commitment.cell_assessed_at, commitment.cell_assessed_by = now, user
            if stored is None:
                audit = {"person": [None, row.person.code], "year": [None, row.year], **changes}
                created.append((commitment, row.items, audit))
            elif changes:
                for name in changes:
                    fields.update(_STORED[name])
                commitment.updated_at = now
                updated.append((commitment, row.items, changes))
            else:
                counts.unchanged += 1
        Commitment.objects.bulk_create([c for c, _i, _a in created], batch_size=1000)
        if updated:
            Commitment.objects.bulk_update(
                [c for c, _i, _a in updated],
                sorted(fields | {"updated_at"}),
                batch_size=500,
            )
        now_items: list[CommitmentItem] = []
        for commitment, items, _changes in created:
            now_items += _replace_items(commitment, items, [])
        for commitment, items, changes in updated:
            if "items" in changes:
                now_items += _replace_items(commitment, items, list(commitment.items.all()))
        CommitmentItem.objects.bulk_create(now_items, batch_size=1000)
        audit_imported(
            [(c, True, a) for c, _i, a in created] + [(c, False, a) for c, _i, a in updated],
            job_id=self.context.job.pk,
            actor=self.context.user,
        )
        counts.created, counts.updated = len(created), len(updated)
        return counts

    def close(self) -> None:
        self.rows = []
        self.existing = {}
        self.people = {}


def _status(commitment: Commitment) -> str:
    if commitment.cell_result:
        return CommitmentStatus.ASSESSED
    if commitment.self_result:
        return CommitmentStatus.SELF_ASSESSED
    return CommitmentStatus.REGISTERED


def _replace_items(
    commitment: Commitment, texts: list[str], old: list[CommitmentItem]
) -> list[CommitmentItem]:
    """Like the service's `_replace_items`: changed items updated, extra ones removed; the
    new ones are returned, to be created in bulk."""
    existing = {item.order: item for item in old}
    new = []
    for order, text in enumerate(texts, start=1):
        item = existing.pop(order, None)
        if item is None:
            new.append(CommitmentItem(commitment=commitment, order=order, text=text))
        elif item.text != text:
            item.text = text
            item.save(update_fields=["text"])
    if existing:
        CommitmentItem.objects.filter(pk__in=[item.pk for item in existing.values()]).delete()
    return new


KIND = Kind(
    name="commitments",
    label=gettext_lazy("Commitments"),
    columns=COLUMNS,
    key=("person", "year"),
    importer=CommitmentImporter,
    permission=Perm.MANAGE_REGISTRATIONS.value,
    description=gettext_lazy(
        "Members' personal commitments for a year, one row per member and year, with the "
        "self-assessment and the cell's assessment when known."
    ),
)
