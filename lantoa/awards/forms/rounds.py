"""Forms for rounds of commendation: the round, a quota, a council member."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.awards.models import CouncilRole, RoundKind, VoteRule
from lantoa.awards.services.rounds import MAX_QUOTA, check_publication_window
from lantoa.core.forms import DateInput, LantoaForm
from lantoa.orgs.forms import organization_field
from lantoa.orgs.models import Organization


class VoteRuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: VoteRule) -> str:
        start = date_format(obj.valid_from, "SHORT_DATE_FORMAT") if obj.valid_from else "…"
        end = date_format(obj.valid_to, "SHORT_DATE_FORMAT") if obj.valid_to else "…"
        return f"{obj.name} ({start} – {end})"


class RoundForm(LantoaForm):
    organization = organization_field(Organization.objects.none(), _("Run by"))
    title = forms.CharField(label=_("Title"), max_length=500, widget=forms.Textarea({"rows": 2}))
    year = forms.IntegerField(
        label=_("Year"), widget=forms.NumberInput({"inputmode": "numeric", "size": 6})
    )
    kind = forms.ChoiceField(label=pgettext_lazy("record", "Kind"), choices=RoundKind.choices)
    criteria = forms.CharField(
        label=_("Criteria"),
        required=False,
        max_length=20000,
        widget=forms.Textarea({"rows": 6}),
        help_text=_("What nominees must have achieved, as the round's plan says."),
    )
    submissions_close = forms.DateField(label=_("Nominations close on"), widget=DateInput())
    voting_opens = forms.DateField(label=_("Voting opens on"), widget=DateInput())
    voting_closes = forms.DateField(label=_("Voting closes on"), widget=DateInput())
    vote_rule = VoteRuleChoiceField(
        label=_("Vote rule"),
        queryset=VoteRule.objects.none(),
        required=False,
        empty_label=_("The rule in force when nominations close"),
        help_text=_("It must be in force from the close of nominations to the end of voting."),
    )
    secret_ballot = forms.BooleanField(
        label=_("Secret ballot"),
        required=False,
        help_text=_("The tally is shown, but not who voted how."),
    )
    evidence_required = forms.BooleanField(
        label=_("Evidence required"),
        required=False,
        initial=True,
        help_text=_("A nomination without an evidence file cannot be submitted."),
    )
    public_comments_from = forms.DateField(
        label=_("Nominees published for comments from"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Optional: before the vote, the list of nominees is published on the public site "
            "for readers' comments, which reach each nomination's file. Leave both days empty "
            "for no publication."
        ),
    )
    public_comments_until = forms.DateField(
        label=_("Nominees published for comments until"),
        required=False,
        widget=DateInput(),
        help_text=_("At the latest the day voting opens."),
    )

    FIELDS = (
        "title",
        "year",
        "kind",
        "criteria",
        "submissions_close",
        "voting_opens",
        "voting_closes",
        "vote_rule",
        "secret_ballot",
        "evidence_required",
        "public_comments_from",
        "public_comments_until",
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization] | None,
        rules: QuerySet[VoteRule] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations.filter(archived=False).order_by(
                "path"
            )
        rules = rules if rules is not None else VoteRule.objects.all()
        self.fields["vote_rule"].queryset = rules.order_by("-valid_from", "id")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(n in self.errors for n in ("public_comments_from", "public_comments_until")):
            problems = check_publication_window(
                data.get("public_comments_from"),
                data.get("public_comments_until"),
                data.get("voting_opens"),
            )
            for name, message in problems.items():
                self.add_error(name, message)
        return data

    def round_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class QuotaForm(LantoaForm):
    organization = organization_field(Organization.objects.none(), _("Organization"))
    max_people = forms.IntegerField(
        label=_("Individuals at most"),
        min_value=0,
        max_value=MAX_QUOTA,
        widget=forms.NumberInput({"inputmode": "numeric", "size": 6}),
    )
    max_collectives = forms.IntegerField(
        label=_("Collectives at most"),
        min_value=0,
        max_value=MAX_QUOTA,
        widget=forms.NumberInput({"inputmode": "numeric", "size": 6}),
    )

    FIELDS = ("organization", "max_people", "max_collectives")

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def quota_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        person = getattr(obj, "person", None)
        return f"{person.full_name} ({obj.get_username()})" if person else obj.get_username()


class CouncilMemberForm(LantoaForm):
    user = AccountChoiceField(
        label=_("Account"),
        queryset=get_user_model().objects.none(),
        help_text=_("Accounts with a council member role on the organization running the round."),
    )
    name = forms.CharField(
        label=_("Name shown"),
        max_length=200,
        required=False,
        help_text=_("Leave empty: the name of the account's person."),
    )
    role = forms.ChoiceField(
        label=_("Role on the council"), choices=CouncilRole.choices, initial=CouncilRole.MEMBER
    )
    position = forms.IntegerField(
        label=_("Position"),
        required=False,
        min_value=0,
        max_value=999,
        help_text=_("Order in the list of members; empty: after the others."),
        widget=forms.NumberInput({"inputmode": "numeric", "size": 4}),
    )

    FIELDS = ("user", "name", "role", "position")

    def __init__(self, *args: Any, accounts: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts.select_related("person")

    def member_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
