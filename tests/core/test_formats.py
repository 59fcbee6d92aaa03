"""Dates are typed and shown as dd/mm/yyyy, numbers as 1.234.567,5, in both languages.

Django's own vi locale has no input formats, so without lantoa.formats "05/06/2025" would be
read as 6 May; English pages keep the Vietnamese conventions too.
"""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.template import engines
from django.utils import formats, translation

LANGUAGES = ["vi", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_typed_date_is_read_day_first(language):
    with translation.override(language):
        assert forms.DateField().clean("05/06/2025") == date(2025, 6, 5)
        assert forms.DateField().clean("31/12/2025") == date(2025, 12, 31)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_date_is_shown_day_first(language):
    with translation.override(language):
        assert formats.date_format(date(2025, 6, 5), "SHORT_DATE_FORMAT") == "05/06/2025"
        assert formats.date_format(date(2025, 6, 5)) == "05/06/2025"


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbers_use_dots_for_thousands_and_a_comma_for_decimals(language):
    with translation.override(language):
        assert formats.number_format(1234567, force_grouping=True) == "1.234.567"
        assert formats.number_format(Decimal("1234567.5"), force_grouping=True) == "1.234.567,5"
        assert formats.number_format(1234567.5, force_grouping=True) == "1.234.567,5"


@pytest.mark.parametrize("language", LANGUAGES)
def test_templates_group_shown_figures_but_not_ids_or_years(language):
    """Figures are grouped with `intcomma`; plain numbers (ids, years in links) are not,
    so that `?org={{ org.pk }}` and "năm {{ year }}" stay intact."""
    assert not settings.USE_THOUSAND_SEPARATOR
    template = engines["django"].from_string(
        "{% load humanize %}{{ value|intcomma }}|{{ decimal }}|{{ day }}|{{ value }}|{{ year }}"
    )
    with translation.override(language):
        rendered = template.render(
            {
                "value": 1234567,
                "decimal": Decimal("1234567.5"),
                "day": date(2025, 6, 5),
                "year": 2026,
            }
        )
    assert rendered == "1.234.567|1234567,5|05/06/2025|1234567|2026"
