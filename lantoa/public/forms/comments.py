"""The readers' comment form: name *, email * (never published), comment *, the comment
replied to (hidden), and a honeypot field that people never see and bots fill in."""

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lantoa.core.forms import LantoaForm
from lantoa.public.services.comments import MAX_BODY, MAX_EMAIL, MAX_NAME

__all__ = ["HONEYPOT", "CommentForm"]

HONEYPOT = "website"


class CommentForm(LantoaForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=MAX_NAME,
        widget=forms.TextInput({"autocomplete": "name"}),
        error_messages={
            "required": _("Enter your name."),
            "max_length": _("A name can be at most %(limit_value)s characters long."),
        },
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=MAX_EMAIL,
        widget=forms.EmailInput({"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter a valid email address, such as ten@example.vn."),
            "max_length": _("Enter a valid email address, such as ten@example.vn."),
        },
    )
    body = forms.CharField(
        label=_("Comment"),
        max_length=MAX_BODY,
        strip=True,
        widget=forms.Textarea({"rows": 6, "cols": 60}),
        error_messages={
            "required": _("Write your comment."),
            "max_length": _(
                "A comment can be at most %(limit_value)s characters long; yours has "
                "%(show_value)s."
            ),
        },
    )
    parent = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("You can only reply to a comment shown on this page.")},
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput({"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The browser would cut a pasted text at the limit without a word: the server says
        # how long it is instead, and the text stays as typed.
        self.fields["body"].widget.attrs.pop("maxlength", None)
        self.fields["body"].help_text = gettext("At most %(limit)s characters.") % {
            "limit": MAX_BODY
        }

    def comment_data(self) -> dict[str, Any]:
        """The keyword arguments of `lantoa.public.services.comments.post_comment`."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "body": data["body"],
            "parent_id": data.get("parent"),
            "honeypot": data.get(HONEYPOT) or "",
        }

    def forget_parent(self) -> None:
        """After a refused reply, the form is shown again as a plain comment (the reader
        reads why, and sends it again if they wish)."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data["parent"] = ""
