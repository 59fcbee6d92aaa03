"""Shared fixtures: a small tree with two subtrees and the named users of every test.

root  Đảng bộ Dân Chính Đảng tỉnh Cà Mau
  ├─ own    Đảng bộ Ban Dân vận Tỉnh ủy   ├─ own_cell  Chi bộ 1
  └─ other  Đảng bộ Viễn thông Cà Mau     └─ other_cell  Chi bộ 2
"""

from dataclasses import dataclass

import pytest

from lantoa.orgs.models import Organization, OrganizationKind, Role
from tests.factories import PASSWORD, UserFactory, grant, make_org


@dataclass
class Tree:
    root: Organization
    own: Organization
    own_cell: Organization
    other: Organization
    other_cell: Organization


@pytest.fixture
def tree(db) -> Tree:
    root = make_org(code="DCD", name="Đảng bộ Dân Chính Đảng tỉnh Cà Mau", short_name="Đảng bộ DCĐ")
    own = make_org(
        root, code="BDV", name="Đảng bộ Ban Dân vận Tỉnh ủy", kind=OrganizationKind.BASE_COMMITTEE
    )
    other = make_org(
        root, code="VNPT", name="Đảng bộ Viễn thông Cà Mau", kind=OrganizationKind.BASE_COMMITTEE
    )
    own_cell = make_org(own, code="BDV-CB1", name="Chi bộ 1")
    other_cell = make_org(other, code="VNPT-CB2", name="Chi bộ 2")
    return Tree(
        *(Organization.objects.get(pk=o.pk) for o in (root, own, own_cell, other, other_cell))
    )


def _user_with(username: str, role: str, org: Organization):
    user = UserFactory(username=username)
    grant(user, role, org)
    return user


@pytest.fixture
def committee_staff(tree):
    return _user_with("committee_staff", Role.COMMITTEE_STAFF, tree.root)


@pytest.fixture
def base_secretary(tree):
    """Organization staff of one base organization (the `own` subtree)."""
    return _user_with("base_secretary", Role.ORGANIZATION_STAFF, tree.own)


@pytest.fixture
def council_member(tree):
    return _user_with("council_member", Role.COUNCIL_MEMBER, tree.root)


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture(autouse=True)
def _content_types_for_transactional_tests(request):
    """Tests that flush the database with `available_apps` (the browser tests) skip Django's
    post-migrate step, which leaves the content types gone and their cache stale; the next
    transactional test would then write audit entries pointing at nothing."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's command, to open generated documents in a real reader. Skipped where
    it is not installed, but in CI (CI set, .ci/run installs it) a missing one fails."""
    import os
    import shutil

    command = shutil.which("soffice") or shutil.which("libreoffice")
    if command is None:
        if os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no", "off"}:
            pytest.fail("LibreOffice is missing (CI is set: the document tests must run)")
        pytest.skip("LibreOffice is not installed")
    return command


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's default language (Vietnamese): a page requested by an
    earlier test in the same thread must not leave its language active for the next one."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield
