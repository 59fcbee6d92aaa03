"""The demo's people have stable personal codes, so a list of them imports back unchanged."""

import re
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from lantoa.core.models import AuditEntry
from lantoa.imports.models import ImportJob
from lantoa.imports.services import import_path
from lantoa.orgs.demo import loader
from lantoa.orgs.models import Organization, Person
from tests.imports.helpers import write_csv

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        mock.patch.object(loader, "app_demo_loaders", return_value=[]),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded, db) -> None:
    return None


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def test_demo_people_have_unique_stable_codes_and_a_list_of_them_imports_unchanged(demo, tmp_path):
    codes = list(Person.objects.values_list("code", flat=True))
    assert all(code and re.fullmatch(r"DV\d{6}", code) for code in codes)
    assert len(set(codes)) == len(codes)
    assert "DV000001" in codes

    root = Organization.objects.get(depth=1)
    people = Person.objects.filter(archived=False, organization__archived=False)
    people = people.select_related("organization").order_by("code")
    headers = ["Personal code", "Family name", "Middle name", "Given name", "Gender",
               "Date of birth", "Date of joining the party", "Date of full membership",
               "Position", "Organization code"]  # fmt: skip
    rows = [
        [
            p.code,
            p.family_name,
            p.middle_name,
            p.given_name,
            p.get_gender_display(),
            _date(p.birth_date),
            _date(p.party_joined_on),
            _date(p.party_official_on),
            p.position,
            p.organization.code,
        ]
        for p in people
    ]
    admin = get_user_model().objects.get(username="admin")
    before = AuditEntry.objects.count()

    job = import_path(
        write_csv(tmp_path / "demo.csv", headers, rows), kind="people", by=admin, organization=root
    )

    assert job.status == ImportJob.Status.DONE, list(job.row_errors.values_list("message"))[:5]
    assert (job.created, job.updated, job.unchanged) == (0, 0, len(rows))
    assert AuditEntry.objects.count() == before + 2  # the job's own start and finish
