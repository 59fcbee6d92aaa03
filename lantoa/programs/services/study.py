"""What users do with topics and study sessions: check, validate, write, audit — atomically."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lantoa.core import audit
from lantoa.core.errors import ValidationError, require
from lantoa.core.text import nfc
from lantoa.orgs.models import Membership, Organization, Person
from lantoa.orgs.rules import Perm, can, can_view_person
from lantoa.programs.models import Attendance, StudySession, Theme
from lantoa.programs.queries.study import CELL_KINDS, themes_for

Action = audit.Action
FIRST_YEAR = 1930  # the Party's founding: no topic or session can be older


def _today() -> datetime.date:
    return timezone.localdate()


# --- thematic topics ---------------------------------------------------------------------


def _check_theme(theme: Theme) -> None:
    if theme.year is None and theme.term_id is None:
        raise ValidationError({"year": _("Give the year or the term of the topic.")})
    if theme.year is not None and theme.term_id is not None:
        raise ValidationError({"year": _("Give either a year or a term, not both.")})
    if theme.year is not None and not FIRST_YEAR <= theme.year <= _today().year + 1:
        raise ValidationError(
            {"year": _("Enter a year between %(first)s and next year.") % {"first": FIRST_YEAR}}
        )


def _require_theme_manager(by, theme: Theme) -> None:
    if theme.organization_id is None:
        require(by.is_superuser)
    else:
        require(can(by, Perm.MANAGE_PLANS, theme.organization))


@transaction.atomic
def create_theme(*, by, organization: Organization, **fields: Any) -> Theme:
    """Record a topic kept by an organization; cells under it may then study it."""
    require(can(by, Perm.MANAGE_PLANS, organization))
    theme = Theme(organization=organization, **fields)
    _check_theme(theme)
    theme.save()
    return theme


@transaction.atomic
def update_theme(theme: Theme, *, by, **fields: Any) -> Theme:
    _require_theme_manager(by, theme)
    for name, value in fields.items():
        setattr(theme, name, value)
    _check_theme(theme)
    theme.save(update_fields=list(fields))
    return theme


@transaction.atomic
def delete_theme(theme: Theme, *, by) -> None:
    _require_theme_manager(by, theme)
    if theme.sessions.exists():
        raise ValidationError(_("Study sessions were held on this topic: it cannot be deleted."))
    theme.delete()


# --- study sessions ----------------------------------------------------------------------


def _check_session(
    organization: Organization, day: datetime.date, theme: Theme | None, title: str
) -> None:
    if organization.kind not in CELL_KINDS:
        raise ValidationError({"organization": _("Study sessions are recorded by party cells.")})
    if organization.archived:
        raise ValidationError({"organization": _("This organization is archived.")})
    if day > _today():
        raise ValidationError({"date": _("The date of a session cannot be in the future.")})
    if day.year < FIRST_YEAR or not organization.is_active_on(day):
        raise ValidationError({"date": _("The cell did not exist on that date.")})
    if theme is not None and not themes_for(organization).filter(pk=theme.pk).exists():
        raise ValidationError({"theme": _("This topic is not one this cell may study.")})
    if theme is None and not title:
        raise ValidationError({"title": _("Choose a topic or enter a title.")})


def members_on(organization: Organization, day: datetime.date) -> set[int]:
    """Ids of the people who were members of this very organization on the day."""
    return set(
        Membership.objects.filter(organization=organization, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values_list("person_id", flat=True)
    )


def _names(by, ids: Iterable[int]) -> str:
    """The people's names as the user may see them (others by their number only)."""
    people = Person.objects.select_related("organization").in_bulk(list(ids))
    shown = []
    for pk in sorted(ids):
        person = people.get(pk)
        visible = person is not None and can_view_person(by, person)
        shown.append(person.full_name if visible else f"#{pk}")
    return ", ".join(shown)


def _check_attendees(
    by, organization: Organization, day: datetime.date, present: set[int], absent: dict[int, str]
) -> None:
    if not present and not absent:
        raise ValidationError(_("Record at least one member present or absent."))
    both = present & absent.keys()
    if both:
        raise ValidationError(
            _("Marked both present and absent: %(names)s.") % {"names": _names(by, both)}
        )
    strangers = (present | absent.keys()) - members_on(organization, day)
    if strangers:
        raise ValidationError(
            _("Not members of %(cell)s on %(date)s: %(names)s.")
            % {
                "cell": organization.name,
                "date": date_format(day, "SHORT_DATE_FORMAT"),
                "names": _names(by, strangers),
            }
        )
    without_reason = {pk for pk, reason in absent.items() if not reason}
    if without_reason:
        raise ValidationError(
            _("Give the reason for the absence of %(names)s.")
            % {"names": _names(by, without_reason)}
        )


@transaction.atomic
def record_study_session(
    *,
    by,
    organization: Organization,
    date: datetime.date,
    theme: Theme | None = None,
    title: str = "",
    content: str = "",
    present_ids: Iterable[int],
    absences: Mapping[int, str],
) -> StudySession:
    """Record a cell's session with who was present and who was absent, and why.

    Everyone listed must have been a member of the cell on the day; nothing is saved
    unless everything is right.
    """
    require(can(by, Perm.RECORD_STUDY, organization))
    title, content = nfc(title or ""), nfc(content or "")
    present = {int(pk) for pk in present_ids}
    absent = {int(pk): nfc(reason or "") for pk, reason in absences.items()}
    _check_session(organization, date, theme, title)
    _check_attendees(by, organization, date, present, absent)
    session = StudySession.objects.create(
        organization=organization,
        date=date,
        theme=theme,
        title=title,
        content=content,
        recorded_by=by,
    )
    people = Person.objects.in_bulk([*present, *absent])
    rows = [
        Attendance(
            session=session,
            person=people[pk],
            present=pk in present,
            absence_reason=absent.get(pk, ""),
        )
        for pk in sorted(people)
    ]
    Attendance.objects.bulk_create(rows)
    audit.record_many(rows, "programs.attendance.recorded", action=Action.CREATE, actor=by)
    return session


@transaction.atomic
def delete_study_session(session: StudySession, *, by) -> None:
    """Delete a session recorded by mistake, with its attendance (both kept in the audit)."""
    require(can(by, Perm.RECORD_STUDY, session.organization))
    rows = list(session.attendance.select_related("person"))
    for row in rows:
        row.session = session
    audit.record_many(rows, "programs.attendance.deleted", action=Action.DELETE, actor=by)
    session.delete()
