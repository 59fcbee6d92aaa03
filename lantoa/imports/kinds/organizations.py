"""Import kind: organizations (the party tree) of one subtree.

Natural key: the organization's code (unique in the whole database). A new code is created
under its parent, the parent being an organization of the target subtree already in the
database or a row earlier in the file (parents first). An existing code is updated when its
name, short name, kind, host or start date differ; a different parent is refused (moving a
unit keeps its history: that is the organization page's "Move"). Codes used by an
organization outside the target subtree are refused without saying more.
"""

import datetime
from typing import Any

from auditlog.context import disable_auditlog
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.imports import parsers
from lantoa.imports.audit import audit_imported
from lantoa.imports.base import Column, Counts, ImportContext, Kind, RowError
from lantoa.orgs.models import HostKind, Organization, OrganizationKind
from lantoa.orgs.rules import Perm

__all__ = ["KIND", "OrganizationsImporter"]


def _options(choices: type) -> dict[str, str]:
    """Each value under its code and its label in both languages (the parser caches the
    table on first use, whatever the language then)."""
    options: dict[str, str] = {}
    for language in ("en", "vi"):
        with translation.override(language):
            for value, label in choices.choices:
                if value:
                    options[str(label)] = value
                    options[value] = value
    return options


def _kinds() -> dict[str, str]:
    return _options(OrganizationKind)


def _host_kinds() -> dict[str, str]:
    return _options(HostKind)


def _labels(choices: type) -> list[str]:
    return [str(label) for value, label in choices.choices if value]


COLUMNS = (
    Column(
        "code",
        gettext_lazy("Code"),
        parsers.code(32),
        required=True,
        aliases=("Mã", "Mã tổ chức", "Organization code", "Mã đơn vị"),
        example="DCD-MAU",
        help=gettext_lazy("Unique code of the organization: letters without diacritics, digits."),
        width=16,
    ),
    Column(
        "name",
        gettext_lazy("Name"),
        parsers.text(255),
        required=True,
        aliases=("Tên", "Tên tổ chức", "Organization name"),
        example="Chi bộ Mẫu",
        help=gettext_lazy("Full name, as written in documents."),
        width=40,
    ),
    Column(
        "short_name",
        gettext_lazy("Short name"),
        parsers.text(100),
        aliases=("Tên viết tắt",),
        example="CB Mẫu",
        width=20,
    ),
    Column(
        "kind",
        gettext_lazy("Kind"),
        parsers.choice(_kinds),
        required=True,
        aliases=("Loại", "Loại tổ chức", "Organization kind"),
        choices=lambda: _labels(OrganizationKind),
        help=gettext_lazy("One of the list."),
        width=26,
    ),
    Column(
        "parent",
        gettext_lazy("Parent code"),
        parsers.code(32),
        required=True,
        aliases=("Mã cấp trên", "Mã tổ chức cấp trên", "Parent"),
        example="DCD",
        help=gettext_lazy(
            "Code of the organization above: already in the subtree, or on an earlier row."
        ),
        width=16,
    ),
    Column(
        "host_name",
        gettext_lazy("Agency or enterprise"),
        parsers.text(255),
        aliases=("Host name", "Cơ quan, đơn vị"),
        width=30,
    ),
    Column(
        "host_kind",
        gettext_lazy("Kind of host unit"),
        parsers.choice(_host_kinds),
        aliases=("Host kind",),
        choices=lambda: _labels(HostKind),
        width=24,
    ),
    Column(
        "valid_from",
        gettext_lazy("Valid from"),
        parsers.date(),
        aliases=("Ngày thành lập", "Từ ngày"),
        example="01/01/2020",
        help=gettext_lazy("Date of establishment, dd/mm/yyyy."),
        width=14,
    ),
)
HEADERS = {column.key: column.header for column in COLUMNS}
FIELDS = ("name", "short_name", "kind", "host_name", "host_kind", "valid_from")


class OrganizationsImporter:
    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.root = context.organization
        self.rows: list[tuple[int, dict[str, Any]]] = []
        self.in_file: dict[str, int] = {}  # code -> line, rows accepted so far
        self.waiting: dict[str, list[int]] = {}  # parent code not known yet -> lines
        self.local: dict[str, Organization] = {}
        self.parent_code: dict[str, str] = {}  # code -> its parent's code (subtree)
        self.outside: set[str] = set()
        self.header = {key: str(header) for key, header in HEADERS.items()}

    def begin(self) -> None:
        root = self.root
        subtree = list(Organization.objects.filter(path__startswith=root.path).order_by("path"))
        by_path = {org.path: org for org in subtree}
        step = Organization.steplen
        for org in subtree:
            self.local[org.code] = org
            parent = by_path.get(org.path[:-step])
            if parent is not None:
                self.parent_code[org.code] = parent.code
        if root.depth > 1:
            above = Organization.objects.get(path=root.path[:-step])
            self.parent_code[root.code] = above.code
        self.outside = set(
            Organization.objects.exclude(path__startswith=root.path).values_list("code", flat=True)
        )

    def check(self, values: dict[str, Any], line: int) -> list[RowError]:
        errors: list[RowError] = []
        code, parent = values["code"], values["parent"]
        header = self.header
        if code in self.outside:
            errors.append(
                RowError(
                    line,
                    header["code"],
                    _("The code %(code)s is already used by an organization outside %(org)s.")
                    % {"code": code, "org": self.root.name},
                )
            )
            return errors
        if parent == code:
            errors.append(
                RowError(line, header["parent"], _("An organization cannot be its own parent."))
            )
            return errors
        existing = self.local.get(code)
        if existing is not None:
            if self.parent_code.get(code, "") != parent:
                errors.append(
                    RowError(
                        line,
                        header["parent"],
                        _(
                            "%(code)s is under %(current)s, not %(parent)s: use “Move” on the "
                            "organization's page to move it."
                        )
                        % {
                            "code": code,
                            "current": self.parent_code.get(code, "—"),
                            "parent": parent,
                        },
                    )
                )
            return errors
        if parent in self.outside:
            errors.append(
                RowError(
                    line,
                    header["parent"],
                    _("The parent %(code)s is outside %(org)s.")
                    % {"code": parent, "org": self.root.name},
                )
            )
        elif parent in self.local:
            if self.local[parent].archived:
                errors.append(
                    RowError(
                        line,
                        header["parent"],
                        _("An archived organization cannot receive new units."),
                    )
                )
        elif parent not in self.in_file:
            # Known only at the end: a later row, or nowhere (see finish()).
            self.waiting.setdefault(parent, []).append(line)
        return errors

    def add(self, values: dict[str, Any], line: int) -> None:
        self.rows.append((line, values))
        self.in_file[values["code"]] = line

    def finish(self) -> list[RowError]:
        """Rows whose parent was not known when they were read."""
        errors = []
        header = self.header["parent"]
        for parent, lines in self.waiting.items():
            later = self.in_file.get(parent)
            for line in lines:
                if later is not None:
                    message = _(
                        "The parent %(code)s comes later in the file (line %(line)s): put "
                        "parents before their units."
                    ) % {"code": parent, "line": later}
                else:
                    message = _("No organization with code %(code)s in %(org)s.") % {
                        "code": parent,
                        "org": self.root.name,
                    }
                errors.append(RowError(line, header, message))
        return errors

    def write(self) -> Counts:
        counts = Counts()
        changes: list[tuple[Organization, bool, dict[str, Any]]] = []
        with disable_auditlog():
            for _line, values in self.rows:
                code = values["code"]
                fields = {name: values[name] for name in FIELDS}
                existing = self.local.get(code)
                if existing is None:
                    parent = self.local[values["parent"]]
                    org = Organization.objects.add_child(parent, {"code": code, **fields})
                    self.local[code] = org
                    self.parent_code[code] = parent.code
                    counts.created += 1
                    changes.append(
                        (
                            org,
                            True,
                            {
                                "code": [None, code],
                                "parent": [None, parent.code],
                                **{k: [None, v] for k, v in fields.items() if v not in ("", None)},
                            },
                        )
                    )
                    continue
                diff = {
                    name: [getattr(existing, name), value]
                    for name, value in fields.items()
                    if _differs(getattr(existing, name), value)
                }
                if not diff:
                    counts.unchanged += 1
                    continue
                for name, (_old, new) in diff.items():
                    setattr(existing, name, new)
                existing.save(update_fields=list(diff))
                counts.updated += 1
                changes.append((existing, False, diff))
        audit_imported(changes, job_id=self.context.job.pk, actor=self.context.user)
        return counts

    def close(self) -> None:
        self.rows = []
        self.local = {}


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, datetime.date) or isinstance(new, datetime.date):
        return old != new
    return (old or "") != (new or "")


KIND = Kind(
    name="organizations",
    label=gettext_lazy("Organizations"),
    columns=COLUMNS,
    key=("code",),
    importer=OrganizationsImporter,
    permission=Perm.MANAGE_ORGS.value,
    description=gettext_lazy(
        "Party organizations of the subtree: new codes are created under their parent, "
        "existing codes updated."
    ),
)
