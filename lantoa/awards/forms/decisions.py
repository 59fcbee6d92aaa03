"""Forms for decisions: the draft made from a round's selected list, its edit (text,
signer, the nominations it commends and the form of each award), issuing it, and the
correcting and revoking decisions."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantoa.awards.models import Award, AwardForm, Decision, Nomination, valid_on_q
from lantoa.core.forms import DateInput, LantoaForm

__all__ = [
    "Checklist",
    "DecisionCorrectForm",
    "DecisionCreateForm",
    "DecisionEditForm",
    "DecisionIssueForm",
    "DecisionRevokeForm",
    "award_forms_for",
]


class Checklist(forms.CheckboxSelectMultiple):
    """Checkboxes the template lays out itself, row by row (the widget renders nothing):
    the field may accept more values than the rows offered, so that the service can refuse
    a value by name."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        return ""


def award_forms_for(person: bool, keep: AwardForm | None = None) -> QuerySet[AwardForm]:
    """Forms in the catalog today that may be given to an individual (or a collective),
    and the one already chosen."""
    allowed = Q(for_people=True) if person else Q(for_collectives=True)
    query = allowed & valid_on_q(timezone.localdate())
    if keep is not None:
        query |= Q(pk=keep.pk)
    return AwardForm.objects.filter(query).order_by("rank", "id")


def _form_field(person: bool, current: AwardForm | None, required: bool) -> forms.Field:
    return forms.ModelChoiceField(
        label=_("Form"),
        queryset=award_forms_for(person, current),
        initial=current.pk if current else None,
        required=required,
        empty_label=None if required else _("(unchanged)"),
    )


class _Signature(forms.Form):
    """Date, place and signer: the fields every issue asks for."""

    date = forms.DateField(label=_("Date of the decision"), widget=DateInput())
    place = forms.CharField(
        label=_("Place"), max_length=100, help_text=_("Written before the date: Cà Mau, ngày …")
    )
    signer_title = forms.CharField(
        label=_("Signer's title"), max_length=200, help_text=_("e.g. Bí thư, Phó Bí thư")
    )
    signer_name = forms.CharField(label=_("Signed by"), max_length=200)

    SIGNATURE = ("date", "place", "signer_title", "signer_name")

    def signature(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.SIGNATURE}


class DecisionCreateForm(LantoaForm):
    """A draft from the round's selected list: every selected nomination ticked."""

    subject = forms.CharField(label=_("Subject"), max_length=500)
    body = forms.CharField(
        label=_("Preamble (grounds)"),
        max_length=20000,
        required=False,
        widget=forms.Textarea({"rows": 4}),
    )
    nominations = forms.ModelMultipleChoiceField(
        label=_("Nominations commended"),
        queryset=Nomination.objects.none(),
        required=False,
        widget=Checklist,
    )

    def __init__(self, *args: Any, round_nominations: QuerySet[Nomination], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = round_nominations

    def ticked(self) -> set[int]:
        if not self.is_bound:
            return {int(pk) for pk in self.initial.get("nominations", [])}
        return {int(v) for v in self.data.getlist("nominations") if v.isascii() and v.isdigit()}


class DecisionEditForm(LantoaForm):
    """A draft's text and signer; its nominations (those it holds and the round's other
    selected ones), each with the form of its award (field `form_<nomination id>`)."""

    subject = forms.CharField(label=_("Subject"), max_length=500)
    body = forms.CharField(
        label=_("Preamble (grounds)"),
        max_length=20000,
        required=False,
        widget=forms.Textarea({"rows": 4}),
    )
    date = forms.DateField(label=_("Date of the decision"), required=False, widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200, required=False)
    signer_name = forms.CharField(label=_("Signed by"), max_length=200, required=False)
    nominations = forms.ModelMultipleChoiceField(
        label=_("Nominations commended"),
        queryset=Nomination.objects.none(),
        required=False,
        widget=Checklist,
    )

    TEXT_FIELDS = ("subject", "body", "date", "place", "signer_title", "signer_name")

    def __init__(
        self,
        *args: Any,
        decision: Decision,
        offered: list[Nomination],
        round_nominations: QuerySet[Nomination],
        **kwargs: Any,
    ) -> None:
        current = {a.nomination_id: a.form for a in decision.awards.select_related("form")}
        kwargs.setdefault(
            "initial",
            {
                **{name: getattr(decision, name) for name in self.TEXT_FIELDS},
                "nominations": list(current),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = round_nominations
        self.rows = []
        for nomination in offered:
            name = f"form_{nomination.pk}"
            chosen = current.get(nomination.pk) or nomination.proposed_form
            self.fields[name] = _form_field(nomination.is_person, chosen, required=True)
            self.rows.append((nomination, name))

    @property
    def text_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.TEXT_FIELDS]

    @property
    def checklist(self) -> list[tuple[Nomination, bool, forms.BoundField]]:
        ticked = self._ticked()
        return [(nomination, nomination.pk in ticked, self[name]) for nomination, name in self.rows]

    def _ticked(self) -> set[int]:
        if not self.is_bound:
            return set(self.initial.get("nominations", []))
        return {int(v) for v in self.data.getlist("nominations") if v.isascii() and v.isdigit()}

    def award_forms(self) -> dict[int, AwardForm]:
        return {
            nomination.pk: self.cleaned_data[name]
            for nomination, name in self.rows
            if self.cleaned_data.get(name) is not None
        }

    def values(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in self.TEXT_FIELDS}
        data["nominations"] = list(self.cleaned_data["nominations"])
        data["forms"] = self.award_forms()
        return data


class DecisionIssueForm(_Signature, LantoaForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["date", "place", "signer_title", "signer_name"])


class DecisionCorrectForm(_Signature, LantoaForm):
    """A correction: what it corrects, and the awards given another form (field
    `form_<award id>`, empty: unchanged)."""

    subject = forms.CharField(label=_("Subject"), max_length=500, required=False)
    body = forms.CharField(
        label=_("What is corrected"), max_length=20000, widget=forms.Textarea({"rows": 5})
    )

    def __init__(self, *args: Any, awards: list[Award], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["subject", "body", "date", "place", "signer_title", "signer_name"])
        self.rows = []
        for award in awards:
            name = f"form_{award.pk}"
            self.fields[name] = _form_field(award.person_id is not None, award.form, False)
            self.fields[name].initial = None
            self.rows.append((award, name))

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("subject", "body", *self.SIGNATURE)]

    @property
    def award_rows(self) -> list[tuple[Award, forms.BoundField]]:
        return [(award, self[name]) for award, name in self.rows]

    def award_forms(self) -> dict[int, AwardForm]:
        return {
            award.pk: self.cleaned_data[name]
            for award, name in self.rows
            if self.cleaned_data.get(name) is not None
        }


class DecisionRevokeForm(_Signature, LantoaForm):
    subject = forms.CharField(label=_("Subject"), max_length=500, required=False)
    reason = forms.CharField(
        label=_("Reason for the revocation"), max_length=20000, widget=forms.Textarea({"rows": 4})
    )
    awards = forms.ModelMultipleChoiceField(
        label=_("Awards revoked"), queryset=Award.objects.none(), required=False, widget=Checklist
    )

    def __init__(self, *args: Any, awards: QuerySet[Award], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["awards"].queryset = awards
        self.order_fields(["subject", "reason", "date", "place", "signer_title", "signer_name"])

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("subject", "reason", *self.SIGNATURE)]

    def ticked(self) -> set[int]:
        if not self.is_bound:
            return set()
        return {int(v) for v in self.data.getlist("awards") if v.isascii() and v.isdigit()}
