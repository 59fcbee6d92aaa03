"""The council member's vote on one nomination."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.awards.models import VoteChoice
from lantoa.core.forms import LantoaForm

__all__ = ["VoteForm"]


class VoteForm(LantoaForm):
    """Agree, disagree or abstain; one form per nomination on the ballot page, each with
    its own ids (`auto_id` names the nomination)."""

    choice = forms.ChoiceField(
        label=_("Your vote"),
        choices=VoteChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose agree, disagree or abstain.")},
    )

    def __init__(self, *args: Any, nomination_pk: int | None = None, **kwargs: Any) -> None:
        if nomination_pk is not None:
            kwargs.setdefault("auto_id", f"id_n{nomination_pk}_%s")
        super().__init__(*args, **kwargs)
