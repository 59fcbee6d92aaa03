"""Forms of the staff's story pages: the story, withdrawing it, its photos.

The choices offered are bounded (the latest first) and limited to what the user manages;
the services check again that each link lies in the story organization's subtree."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lantoa.awards.models import Award
from lantoa.core.forms import LantoaForm
from lantoa.movements.forms.activities import PhotosField
from lantoa.movements.models import GoodDeed
from lantoa.orgs.forms import OrganizationChoiceField
from lantoa.orgs.models import Organization
from lantoa.programs.models import UnitModel
from lantoa.public.models import Story
from lantoa.public.services.stories import MAX_BODY, MAX_CAPTION, MAX_REASON

__all__ = [
    "BODY_HELP",
    "PhotoAddForm",
    "PhotoCaptionForm",
    "StoryForm",
    "WithdrawForm",
    "story_initial",
]

BODY_HELP = format_lazy(
    "{} {} {} {} {} {}",
    _("Write in Markdown: leave an empty line between paragraphs;"),
    _("**bold**, *italic*;"),
    _("lists with lines starting “- ” or “1. ”;"),
    _("links as [text](https://…);"),
    _("headings with a line starting “## ”."),
    _("Anything else (scripts, images, styles) is removed."),
)


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AwardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Award) -> str:
        recipient = obj.person.full_name if obj.person_id else obj.collective.name
        decision = obj.decision
        date = decision.date.strftime("%d/%m/%Y") if decision.date else ""
        return f"{recipient} — {obj.form.name} ({decision.symbol} {date})".strip()


class UnitModelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: UnitModel) -> str:
        return f"{_short(obj.title)} — {obj.organization.name}"


class GoodDeedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: GoodDeed) -> str:
        doer = obj.person.full_name if obj.person_id else obj.collective.name
        return f"{doer}: {_short(obj.title, 70)} ({obj.date.strftime('%d/%m/%Y')})"


class StoryForm(LantoaForm):
    """A story. `organizations` None: the organization is fixed (a correction)."""

    organization = OrganizationChoiceField(
        label=_("Kept by"),
        queryset=Organization.objects.none(),
        help_text=_("The committee whose staff keep and publish the story."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("One or two sentences shown in lists and when the page is shared."),
    )
    body = forms.CharField(
        label=_("Text of the story"),
        max_length=MAX_BODY,
        widget=forms.Textarea({"rows": 18}),
        help_text=BODY_HELP,
    )
    slug = forms.CharField(
        label=_("Page address"),
        max_length=120,
        required=False,
        help_text=_(
            "The end of the public page's address, without diacritics. Left empty, it is "
            "made from the title. Changing it breaks links already shared."
        ),
    )
    subject_organization = OrganizationChoiceField(
        label=_("About the organization"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("When the story tells of a collective."),
    )
    award = AwardChoiceField(
        label=_("Award it rests on"),
        queryset=Award.objects.none(),
        required=False,
        help_text=_("An award of an issued decision."),
    )
    unit_model = UnitModelChoiceField(
        label=_("Unit model"), queryset=UnitModel.objects.none(), required=False
    )
    good_deed = GoodDeedChoiceField(
        label=_("Good deed"), queryset=GoodDeed.objects.none(), required=False
    )
    comments_open = forms.BooleanField(label=_("Readers may comment"), required=False, initial=True)

    FIELDS = (
        "title",
        "summary",
        "body",
        "slug",
        "subject_organization",
        "award",
        "unit_model",
        "good_deed",
        "comments_open",
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization] | None,
        subjects: QuerySet[Organization],
        awards: QuerySet[Award],
        unit_models: QuerySet[UnitModel],
        good_deeds: QuerySet[GoodDeed],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations
        self.fields["subject_organization"].queryset = subjects
        self.fields["award"].queryset = awards.select_related(
            "person", "collective", "form", "decision"
        )
        self.fields["unit_model"].queryset = unit_models.select_related("organization")
        self.fields["good_deed"].queryset = good_deeds.select_related("person", "collective")

    def story_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


def story_initial(story: Story) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(story, name) for name in ("title", "summary", "body", "slug")
    }
    for name in ("subject_organization", "award", "unit_model", "good_deed"):
        initial[name] = getattr(story, f"{name}_id")
    initial["comments_open"] = story.comments_open
    return initial


class WithdrawForm(LantoaForm):
    reason = forms.CharField(
        label=_("Why it is withdrawn"),
        max_length=MAX_REASON,
        widget=forms.Textarea({"rows": 3}),
        error_messages={"required": _("Say why the story is withdrawn.")},
        help_text=_("Kept in the audit trail; not shown to the public."),
    )


class PhotoAddForm(LantoaForm):
    photos = PhotosField(required=True)
    caption = forms.CharField(
        label=_("Caption"),
        max_length=MAX_CAPTION,
        required=False,
        help_text=_("Given to each photo added; it can be changed later."),
    )


class PhotoCaptionForm(forms.Form):
    caption = forms.CharField(label=_("Caption"), max_length=MAX_CAPTION, required=False)
