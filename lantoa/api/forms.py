from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.core.forms import LantoaForm


class TokenForm(LantoaForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Reporting spreadsheet”."),
    )
