"""Forms of the import pages: a new import (kind, organization, file), the column mapping,
and the one-time "Import" button."""

from functools import reduce
from operator import or_
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.core.forms import LantoaForm
from lantoa.imports.base import Kind
from lantoa.imports.kinds import KINDS
from lantoa.imports.models import ImportJob
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, User, can, scope_q

__all__ = ["MappingForm", "NewImportForm", "StartForm", "import_scope_q", "importable_kinds"]


def importable_kinds(user: User) -> list[Kind]:
    """Kinds the user may import somewhere."""
    return [kind for kind in KINDS.values() if kind.columns and can(user, Perm(kind.permission))]


def import_scope_q(user: User, path_field: str = "path", kind_field: str | None = None) -> Q:
    """Rows (organizations or jobs) the user may import into, for any kind (or, with
    `kind_field`, for the row's own kind)."""
    parts = []
    for kind in importable_kinds(user):
        where = scope_q(user, Perm(kind.permission), path_field)
        parts.append(Q(**{kind_field: kind.name}) & where if kind_field else where)
    return reduce(or_, parts) if parts else Q(pk__in=[])


class NewImportForm(LantoaForm):
    kind = forms.ChoiceField(label=gettext_lazy("What to import"))
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Into the organization"), queryset=Organization.objects.none()
    )
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kind"].choices = [
            (kind.name, str(kind.label)) for kind in importable_kinds(user)
        ]
        self.fields["organization"].queryset = self.organizations()
        self.fields["organization"].empty_label = None

    def organizations(self) -> QuerySet[Organization]:
        return Organization.objects.filter(import_scope_q(self.user), archived=False).order_by(
            "path"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, org = KINDS.get(data.get("kind") or ""), data.get("organization")
        if kind is not None and org is not None and not can(self.user, Perm(kind.permission), org):
            self.add_error(
                "organization",
                _("You may not import %(kind)s into %(org)s.")
                % {"kind": str(kind.label).lower(), "org": org.name},
            )
        return data


NOT_IN_FILE = ""


class MappingForm(LantoaForm):
    """One select per column of the kind: which file column holds it."""

    def __init__(self, *args: Any, job: ImportJob, kind: Kind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(NOT_IN_FILE, _("— not in the file —"))] + [
            (str(index), header or _("(column %(number)s, no header)") % {"number": index + 1})
            for index, header in enumerate(job.headers)
        ]
        self.kind = kind
        for column in kind.columns:
            label = f"{column.header} *" if column.required else str(column.header)
            self.fields[f"col_{column.key}"] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )
            index = (job.mapping or {}).get(column.key)
            self.initial.setdefault(f"col_{column.key}", "" if index is None else str(index))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for column in self.kind.columns:
            if column.required and not data.get(f"col_{column.key}"):
                self.add_error(f"col_{column.key}", _("This column is required."))
        return data

    def mapping(self) -> dict[str, int | None]:
        data = self.cleaned_data
        return {
            column.key: int(data[f"col_{column.key}"]) if data.get(f"col_{column.key}") else None
            for column in self.kind.columns
        }


class SheetForm(LantoaForm):
    """Which sheet of the workbook to import (shown when it has more than one)."""

    sheet = forms.ChoiceField(label=_("Sheet"))

    def __init__(self, *args: Any, sheets: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(name, name) for name in sheets]


class StartForm(LantoaForm):
    """The "Import" button: its token makes a double click start one job."""
