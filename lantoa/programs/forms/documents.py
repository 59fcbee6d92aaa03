"""Forms for documents: a higher body's (typed by its symbol), one of ours (numbered by the
counter), and their correction. The services check everything again."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lantoa.core.forms import DateInput, LantoaForm
from lantoa.orgs.forms import organization_field
from lantoa.orgs.models import Organization
from lantoa.programs.models import Document, DocumentSystem, DocumentType, Issuer, Term
from lantoa.programs.numbering import SymbolError, parse_symbol
from lantoa.programs.uploads import check_document_file

FILE_HELP = _("PDF or DOCX, at most 20 MB.")  # uploads.MAX_DOCUMENT_SIZE


class DocumentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Document) -> str:
        title = obj.title if len(obj.title) <= 90 else obj.title[:89] + "…"
        return f"{obj.symbol} — {title}"


class IssuerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Issuer) -> str:
        return f"{obj.code} — {obj.name}"


class DocumentTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DocumentType) -> str:
        return f"{obj.code} — {obj.name} ({obj.get_system_display()})"


class BaseDocumentForm(LantoaForm):
    """The fields every document has; `FIELDS` are passed to the service as they are."""

    issued_on = forms.DateField(label=_("Date issued"), widget=DateInput())
    title = forms.CharField(
        label=_("Title (trích yếu)"), max_length=500, widget=forms.Textarea({"rows": 2})
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=10000, widget=forms.Textarea({"rows": 4})
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=FILE_HELP,
        widget=forms.FileInput({"accept": ".pdf,.docx"}),
    )
    implements = DocumentChoiceField(
        label=_("Implements"),
        queryset=Document.objects.none(),
        required=False,
        help_text=_("The documents this one carries out (hold Ctrl to choose several)."),
        widget=forms.SelectMultiple({"size": 8}),
    )

    FIELDS: tuple[str, ...] = ("issued_on", "title", "summary", "file", "implements")

    def __init__(
        self,
        *args: Any,
        documents: QuerySet[Document],
        issuers: QuerySet[Issuer],
        terms: QuerySet[Term],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["implements"].queryset = documents.order_by("-issued_on", "-id")
        if "issuer" in self.fields:
            self.fields["issuer"].queryset = issuers
        if "term" in self.fields:
            self.fields["term"].queryset = terms

    def clean_file(self) -> Any:
        file = self.cleaned_data.get("file")
        if file:
            check_document_file(file)
        return file

    def document_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.FIELDS if name in self.fields}
        data["file"] = data.get("file") or None
        return data


class SymbolFieldsMixin(forms.Form):
    """The symbol, parsed on the spot, and what a symbol may leave undecided."""

    symbol = forms.CharField(
        label=_("Number and symbol"),
        max_length=60,
        help_text=_("As printed, e.g. 05-CT/TW, 29-KH/TU, 123/QĐ-UBND, 152/2025/NĐ-CP."),
    )
    issuer = IssuerChoiceField(
        label=_("Issuer"),
        queryset=Issuer.objects.none(),
        required=False,
        help_text=_("Only when several issuers use the code of the symbol."),
    )
    doc_type = DocumentTypeChoiceField(
        label=_("Document type"),
        queryset=DocumentType.objects.order_by("system", "code"),
        required=False,
        help_text=_("Only for a symbol without a type, e.g. the law 06/2022/QH15."),
    )
    term = forms.ModelChoiceField(
        label=_("Term"),
        queryset=Term.objects.none(),
        required=False,
        help_text=_("Party documents: found from the issuer and the date when left empty."),
    )

    def clean_symbol(self) -> str:
        symbol = self.cleaned_data["symbol"]
        try:
            parse_symbol(symbol)
        except SymbolError as error:
            raise forms.ValidationError(error.message, code=error.part) from error
        return symbol


class HigherDocumentForm(SymbolFieldsMixin, BaseDocumentForm):
    """A document known by its symbol: a higher body's, or one of ours from before."""

    FIELDS = ("symbol", "issuer", "doc_type", "term", *BaseDocumentForm.FIELDS)
    field_order = ("symbol", "issued_on", "title", "summary", "file", "implements")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].required = True
        self.fields["file"].widget.attrs["required"] = "required"


class OwnDocumentForm(BaseDocumentForm):
    """A document of one of our organizations: its number comes from the counter."""

    organization = organization_field(Organization.objects.none(), _("Issued by"))
    doc_type = DocumentTypeChoiceField(
        label=_("Document type"),
        queryset=DocumentType.objects.filter(system=DocumentSystem.PARTY).order_by("code"),
    )
    term = forms.ModelChoiceField(
        label=_("Term"),
        queryset=Term.objects.none(),
        required=False,
        help_text=_("Found from the date when left empty."),
    )

    FIELDS = ("organization", "doc_type", "term", *BaseDocumentForm.FIELDS)
    field_order = ("organization", "doc_type", "issued_on", "term", "title")

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations.filter(archived=False, issuers__system=DocumentSystem.PARTY)
            .distinct()
            .order_by("path")
        )
        self.fields["file"].help_text = format_lazy(
            "{} {}", FILE_HELP, _("The signed file may be added later.")
        )
        if not self.is_bound:
            self.initial.setdefault("issued_on", timezone.localdate())


class EditDocumentForm(SymbolFieldsMixin, BaseDocumentForm):
    """Correction: the symbol only for a document not numbered here."""

    FIELDS = ("symbol", "issuer", "doc_type", "term", *BaseDocumentForm.FIELDS)
    field_order = ("symbol", "issued_on", "title", "summary", "file", "implements")

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = format_lazy(
            "{} {}", FILE_HELP, _("Leave empty to keep the current file.")
        )
        if document.numbered_here:
            for name in ("symbol", "issuer", "doc_type", "term"):
                del self.fields[name]


def edit_initial(document: Document) -> dict[str, Any]:
    return {
        "symbol": document.symbol,
        "issuer": document.issuer_id,
        "doc_type": document.doc_type_id,
        "term": document.term_id,
        "issued_on": document.issued_on,
        "title": document.title,
        "summary": document.summary,
        "implements": list(document.implements.values_list("pk", flat=True)),
    }
