"""Import kind: nominations for commendation, created as drafts.

Natural key: round + nominee. The round is given by its number (id, as its page shows) or
its exact title (refused when two rounds share it); the nominee by a personal code
(`Person.code`) or an organization code, told apart by the "Individual or collective"
column when both could match. A round holds one open nomination of a nominee: a row whose
nominee already has a draft or a nomination returned for changes in the round updates it
(through `update_nomination`); one further along is refused (it can no longer be changed).

New rows go through `lantoa.awards.services.nominations.create_nomination`, as on the page,
so they are drafts: submitting stays a workflow step with its own checks (closing date,
evidence, quota, duplicate flag). The import also keeps the round's quota of the nominating
organization: nominations already counted plus the new ones of the file may not exceed it.
The page's checks of the nominating organization, the nominee and the form are called as
they are (`_check_nominating`, `_check_nominee`, the catalog of the round's date).
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.awards.models import AwardForm, Nomination, NomineeKind, Round, RoundQuota
from lantoa.awards.services import nominations as service
from lantoa.awards.services.rounds import used_by
from lantoa.core.text import nfc, search_key
from lantoa.imports import parsers
from lantoa.imports.audit import audit_imported
from lantoa.imports.base import Column, Counts, ImportContext, Kind, RowError
from lantoa.imports.kinds.commitments import (
    column_headers,
    label_list,
    labels_of,
    people_in_scope,
)
from lantoa.orgs.models import Organization, Person
from lantoa.orgs.queries import subtree_q
from lantoa.orgs.rules import Perm, scope_q

S = service.S


def _form_names() -> list[str]:
    return list(AwardForm.objects.order_by("rank", "id").values_list("name", flat=True))


COLUMNS = (
    Column(
        "round",
        gettext_lazy("Round"),
        parsers.text(500),
        required=True,
        example="1",
        help=gettext_lazy("The round's number (on its page) or its exact title."),
        width=40,
    ),
    Column(
        "kind",
        gettext_lazy("Individual or collective"),
        parsers.choice(lambda: labels_of(NomineeKind)),
        choices=lambda: label_list(NomineeKind),
        example="Cá nhân",
        width=14,
    ),
    Column(
        "nominee",
        gettext_lazy("Nominee's code"),
        parsers.code(32),
        required=True,
        aliases=("Mã đối tượng", "Nominee code"),
        example="DV000001",
        help=gettext_lazy(
            "A personal code for an individual, an organization code for a collective."
        ),
    ),
    Column(
        "nominating",
        gettext_lazy("Nominating organization"),
        parsers.text(255),
        required=True,
        aliases=("Nominating organization code", "Mã đơn vị đề nghị"),
        example="DCD-BDV",
        help=gettext_lazy("Its code, or its exact name."),
        width=30,
    ),
    Column(
        "form",
        gettext_lazy("Proposed form"),
        parsers.text(200),
        required=True,
        choices=_form_names,
        example="Giấy khen",
        width=20,
    ),
    Column(
        "achievements",
        gettext_lazy("Achievements"),
        parsers.text(service.MAX_ACHIEVEMENTS),
        required=True,
        example="Hoàn thành xuất sắc nhiệm vụ; tiêu biểu trong học tập và làm theo.",
        width=60,
    ),
)

# a field of the service's errors -> the column that shows it
FIELD_COLUMN = {
    "nominating_organization": "nominating",
    "person": "nominee",
    "collective": "nominee",
    "proposed_form": "form",
    "achievements": "achievements",
}


@dataclass
class _Row:
    line: int
    round: Round
    person: Person | None
    collective: Organization | None
    nominating: Organization
    form: AwardForm
    achievements: str
    stored: Nomination | None


class NominationImporter:
    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.rows: list[_Row] = []

    def begin(self) -> None:
        org, user = self.context.organization, self.context.user
        self.headers = column_headers(COLUMNS)
        self.people = people_in_scope(self.context, Perm.NOMINATE)
        organizations = Organization.objects.filter(
            subtree_q(org.path), scope_q(user, Perm.VIEW_ORGS)
        )
        self.orgs = {o.code: o for o in organizations}
        self.orgs_by_name: dict[str, list[Organization]] = defaultdict(list)
        for o in self.orgs.values():
            self.orgs_by_name[nfc(o.name).strip().casefold()].append(o)
        # rounds the subtree's organizations may nominate in: run at or above the target,
        # or inside its subtree
        ancestors = [org.path[:end] for end in range(org.steplen, len(org.path) + 1, org.steplen)]
        rounds = Round.objects.filter(
            Q(organization__path__in=ancestors) | subtree_q(org.path, "organization__path")
        ).select_related("organization")
        self.rounds = {r.pk: r for r in rounds}
        self.rounds_by_title: dict[str, list[Round]] = defaultdict(list)
        for r in self.rounds.values():
            self.rounds_by_title[search_key(r.title)].append(r)
        self.forms: dict[int, dict[str, AwardForm]] = {}
        self.open: dict[int, dict[tuple[str, int], Nomination]] = {}
        self.quotas: dict[int, dict[int, RoundQuota]] = {}
        self.used: dict[int, dict[int, tuple[int, int]]] = {}
        self.added: dict[tuple[int, int, str], int] = defaultdict(int)

    # --- lookups, cached per round ---------------------------------------------------------

    def _round(self, text: str) -> Round | str:
        if text.isdigit() and int(text) in self.rounds:
            return self.rounds[int(text)]
        found = self.rounds_by_title.get(search_key(text), [])
        if len(found) == 1:
            return found[0]
        if found:
            return _("Several rounds have this title: write the round's number.")
        return _("No round “%(value)s” open to %(organization)s.") % {
            "value": text[:80],
            "organization": self.context.organization.name,
        }

    def _forms(self, round_: Round) -> dict[str, AwardForm]:
        forms = self.forms.get(round_.pk)
        if forms is None:
            forms = {}
            for form in service.available_forms(round_):
                forms.setdefault(search_key(form.name), form)
                forms.setdefault(search_key(form.code), form)
            self.forms[round_.pk] = forms
        return forms

    def _open(self, round_: Round) -> dict[tuple[str, int], Nomination]:
        """The round's nominations that still put their nominee up, by nominee."""
        found = self.open.get(round_.pk)
        if found is None:
            found = {}
            nominations = (
                Nomination.objects.filter(round=round_)
                .exclude(status__in=service.CLOSED_STATUSES)
                .select_related("nominating_organization", "proposed_form", "person", "collective")
                .order_by("id")
            )
            for nomination in nominations:
                key = (
                    ("p", nomination.person_id)
                    if nomination.person_id
                    else ("o", nomination.collective_id)
                )
                found.setdefault(key, nomination)
            self.open[round_.pk] = found
            self.quotas[round_.pk] = {
                quota.organization_id: quota for quota in RoundQuota.objects.filter(round=round_)
            }
            self.used[round_.pk] = used_by(round_, list(self.quotas[round_.pk]))
        return found

    def _organization(self, text: str) -> Organization | None:
        found = self.orgs.get(text.upper())
        if found is not None:
            return found
        named = self.orgs_by_name.get(nfc(text).strip().casefold(), [])
        return named[0] if len(named) == 1 else None

    # --- the contract ----------------------------------------------------------------------

    def check(self, values: dict[str, Any], line: int) -> list[RowError]:
        errors: list[RowError] = []

        def error(column: str, message: str) -> None:
            errors.append(RowError(line, self.headers.get(column, ""), str(message)))

        round_ = self._round(values["round"])
        if isinstance(round_, str):
            error("round", round_)
        code, kind = values["nominee"], values["kind"]
        person = self.people.get(code) if kind != NomineeKind.COLLECTIVE else None
        collective = self.orgs.get(code) if kind != NomineeKind.PERSON and person is None else None
        if person is None and collective is None:
            error(
                "nominee",
                _("No person or organization with the code “%(code)s” in %(organization)s.")
                % {"code": code, "organization": self.context.organization.name},
            )
        nominating = self._organization(values["nominating"])
        if nominating is None:
            error(
                "nominating",
                _("No organization “%(value)s” in %(organization)s (or several of that name).")
                % {
                    "value": values["nominating"][:80],
                    "organization": self.context.organization.name,
                },
            )
        if errors:
            return errors
        nominee_kind = NomineeKind.PERSON if person is not None else NomineeKind.COLLECTIVE
        form = self._forms(round_).get(search_key(values["form"]))
        if form is None:
            error(
                "form",
                _("“%(form)s” is not in the catalog on %(date)s.")
                % {
                    "form": values["form"][:80],
                    "date": service.short_date(round_.submissions_close),
                },
            )
        elif not form.allows(nominee_kind):
            message = (
                _("“%(form)s” is not given to individuals.")
                if nominee_kind == NomineeKind.PERSON
                else _("“%(form)s” is not given to collectives.")
            )
            error("form", message % {"form": form.name})
        key = ("p", person.pk) if person is not None else ("o", collective.pk)
        stored = self._open(round_).get(key)
        if stored is not None and stored.status not in service.EDITABLE_STATUSES:
            error(
                "nominee",
                _(
                    "This nominee is already put up in the round by a nomination that is "
                    "“%(status)s”: it can no longer be changed."
                )
                % {"status": stored.get_status_display()},
            )
            return errors
        problems = service._check_nominating(self.context.user, round_, nominating, stored)
        problems.update(
            service._check_nominee(self.context.user, round_, person, collective, stored)
        )
        if stored is not None and stored.nominating_organization_id != nominating.pk:
            problems.setdefault(
                "nominating_organization",
                _("%(organization)s already nominated this nominee in the round.")
                % {"organization": stored.nominating_organization.name},
            )
        for field, message in problems.items():
            error(FIELD_COLUMN.get(field, field), message)
        if errors:
            return errors
        if stored is None:
            error_quota = self._quota(round_, nominating, nominee_kind)
            if error_quota:
                error("nominating", error_quota)
                return errors
        values["_row"] = _Row(
            line, round_, person, collective, nominating, form, values["achievements"], stored
        )
        return []

    def _quota(self, round_: Round, nominating: Organization, kind: str) -> str | None:
        """The quota of the nominating organization: counted nominations plus this file's."""
        quota = self.quotas[round_.pk].get(nominating.pk)
        if quota is None:
            return None
        people, collectives = self.used[round_.pk].get(nominating.pk, (0, 0))
        slot = (round_.pk, nominating.pk, kind)
        if kind == NomineeKind.PERSON:
            used, allowed = people + self.added[slot], quota.max_people
            message = _(
                "%(organization)s has already nominated %(used)s/%(quota)s individuals in "
                "this round: its quota is full."
            )
        else:
            used, allowed = collectives + self.added[slot], quota.max_collectives
            message = _(
                "%(organization)s has already nominated %(used)s/%(quota)s collectives in "
                "this round: its quota is full."
            )
        if used + 1 > allowed:
            return message % {"organization": nominating.name, "used": used, "quota": allowed}
        self.added[slot] += 1
        return None

    def add(self, values: dict[str, Any], line: int) -> None:
        self.rows.append(values["_row"])

    def write(self) -> Counts:
        counts = Counts()
        user = self.context.user
        audits: list[tuple[Nomination, bool, dict[str, list[Any]]]] = []
        for row in self.rows:
            nominee = row.person or row.collective
            fields = {
                "nominating_organization": row.nominating,
                "proposed_form": row.form,
                "achievements": nfc(row.achievements),
            }
            if row.stored is None:
                nomination = service.create_nomination(
                    row.round, by=user, person=row.person, collective=row.collective, **fields
                )
                counts.created += 1
                audits.append(
                    (
                        nomination,
                        True,
                        {
                            "round": [None, row.round.title],
                            "nominee": [None, str(nominee)],
                            "nominating_organization": [None, row.nominating.code],
                            "proposed_form": [None, row.form.name],
                            "achievements": [None, fields["achievements"]],
                            "status": [None, S.DRAFT],
                        },
                    )
                )
                continue
            stored = row.stored
            changes = {
                name: [_shown(getattr(stored, name)), _shown(value)]
                for name, value in fields.items()
                if getattr(stored, name) != value
            }
            if not changes:
                counts.unchanged += 1
                continue
            nomination = service.update_nomination(
                stored, by=user, person=row.person, collective=row.collective, **fields
            )
            counts.updated += 1
            audits.append((nomination, False, changes))
        audit_imported(audits, job_id=self.context.job.pk, actor=user)
        return counts

    def close(self) -> None:
        self.rows = []
        self.open = {}
        self.people = {}


def _shown(value: Any) -> Any:
    if isinstance(value, Organization):
        return value.code
    if isinstance(value, AwardForm):
        return value.name
    return value


KIND = Kind(
    name="nominations",
    label=gettext_lazy("Nominations"),
    columns=COLUMNS,
    key=("round", "nominee"),
    importer=NominationImporter,
    permission=Perm.NOMINATE.value,
    description=gettext_lazy(
        "Nominations for commendation, one row per nominee and round, created as drafts: "
        "submit them from their pages."
    ),
)
