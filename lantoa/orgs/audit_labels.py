"""Words for the audit trail: action and verb labels, readable change lists."""

from django.utils.translation import gettext_lazy as _

from lantoa.core.models import AuditEntry

ACTION_LABELS = {
    AuditEntry.Action.CREATE: _("Created"),
    AuditEntry.Action.UPDATE: _("Changed"),
    AuditEntry.Action.DELETE: _("Deleted"),
    AuditEntry.Action.ACCESS: _("Viewed"),
}

VERB_LABELS = {
    "orgs.organization.moved": _("Organization moved"),
    "orgs.organization.merged": _("Organizations merged"),
    "orgs.person.private_viewed": _("Private data viewed"),
    "orgs.membership.closed": _("Membership closed"),
}

EMPTY_VALUES = {"None", "", "[]"}


def action_label(entry: AuditEntry) -> str:
    if entry.verb in VERB_LABELS:
        return str(VERB_LABELS[entry.verb])
    return str(ACTION_LABELS.get(entry.action, entry.get_action_display()))


def change_lines(entry: AuditEntry) -> list[str]:
    """Each changed field as "Label: before → after", with field names and choices in words."""
    if not entry.changes:
        return []
    try:
        changes = entry.changes_display_dict
    except (AttributeError, LookupError, TypeError, ValueError):
        changes = entry.changes_dict
    lines = []
    for label, values in changes.items():
        before, after = [*values, "", ""][:2] if isinstance(values, list) else ("", values)
        before = "—" if str(before) in EMPTY_VALUES else str(before)
        after = "—" if str(after) in EMPTY_VALUES else str(after)
        lines.append(f"{label}: {before} → {after}")
    return lines
