"""The public verification page: anyone, without logging in, types a certificate's code
(or scans its QR code) and learns whether the award is real, revoked or unknown, and
nothing private about the person."""

import datetime

import pytest
from django.urls import reverse

from lantoa.awards.models import Award, DecisionKind, DecisionStatus
from lantoa.orgs.models import Organization, PersonPrivate
from tests.awards.test_certificates import HUONG, SO_TU_PHAP, huong, make_award, make_decision
from tests.factories import make_org


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def award(tree) -> Award:
    person = huong(tree.own)
    PersonPrivate.objects.create(
        person=person, citizen_id="096180001234", phone="0913123456", email="huong@example.vn"
    )
    return make_award(make_decision(tree.root), person=person, verification_code="7KQ9MXP2RA")


def _verify(client, code: str):
    return client.get(reverse("awards:verify_code", args=[code]))


def test_a_known_code_confirms_the_award(english, award):
    response = _verify(english, "7KQ9MXP2RA")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This certificate is genuine" in html
    assert HUONG in html
    assert "Giấy khen" in html
    assert "15-QĐ/ĐU" in html
    assert "20/12/2020" in html
    assert "Đảng bộ Dân Chính Đảng tỉnh Cà Mau" in html
    assert "revoked" not in html
    assert response["X-Robots-Tag"].startswith("noindex")


def test_nothing_private_is_shown(english, award):
    html = _verify(english, "7KQ9MXP2RA").content.decode()
    person = award.person
    for private in (
        "08/03/1980",
        "1980-03-08",
        "096180001234",
        "0913123456",
        "huong@example.vn",
        f"/people/{person.pk}/",
        "Đảng bộ Ban Dân vận Tỉnh ủy",  # where she is a member: not asked, not shown
    ):
        assert private not in html, private


def test_the_code_is_read_as_people_type_it(english, award):
    response = english.get(reverse("awards:verify"), {"code": "  7kq9-mxp2 ra "})
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:verify_code", args=["7KQ9MXP2RA"])
    assert _verify(english, "7kq9mxp2ra").status_code == 200


def test_the_empty_form(english, db):
    response = english.get(reverse("awards:verify"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
    assert response["X-Robots-Tag"].startswith("noindex")


def test_a_collective_is_confirmed_by_its_name(english, tree):
    sub = make_org(tree.root, code="STP", name=SO_TU_PHAP)
    award = make_award(make_decision(tree.root), collective=Organization.objects.get(pk=sub.pk))
    html = _verify(english, award.verification_code).content.decode()
    assert SO_TU_PHAP in html
    assert "collective" in html


def test_an_unknown_code_is_said_to_be_unknown(english, award):
    response = _verify(english, "7KQ9MXP2RB")
    assert response.status_code == 404
    html = response.content.decode()
    assert "The code 7KQ9MXP2RB is unknown" in html
    assert HUONG not in html
    assert response["X-Robots-Tag"].startswith("noindex")


@pytest.mark.parametrize(
    "code",
    [
        "7KQ9MXP2R",  # too short
        "7KQ9MXP2RAA",  # too long
        "7KQ9MXP2R0",  # 0 is not in the alphabet
        "7KQ9MXP2RO",  # nor O
        "7KQ9MXP2R1",  # nor 1
        "7KQ9MXP2RI",
        "7KQ9MXP2RL",
        "ĐKQ9MXP2RA",
        "<script>xx",
    ],
)
def test_a_malformed_code_is_refused_as_malformed(english, award, code):
    response = _verify(english, code)
    assert response.status_code == 400
    assert "This is not a verification code" in response.content.decode()
    assert HUONG not in response.content.decode()


def test_a_malformed_code_typed_in_the_form(english, award):
    response = english.get(reverse("awards:verify"), {"code": "12/34"})
    assert response.status_code == 400
    assert "This is not a verification code" in response.content.decode()


def test_the_page_is_in_vietnamese_by_default(client, award):
    response = _verify(client, "7KQ9MXP2RA")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()


def test_a_draft_decision_does_not_verify(english, tree):
    draft = make_decision(tree.root, status=DecisionStatus.DRAFT, symbol="", date=None)
    award = make_award(draft, person=huong(tree.own))
    response = _verify(english, award.verification_code)
    assert response.status_code == 404
    assert "is unknown" in response.content.decode()
    assert HUONG not in response.content.decode()


def test_a_revoked_award_says_by_which_decision(english, tree, award):
    revoking = make_decision(
        tree.root,
        kind=DecisionKind.REVOCATION,
        refers_to=award.decision,
        symbol="21-QĐ/ĐU",
        date=datetime.date(2021, 3, 5),
        subject="Về việc thu hồi giấy khen",
    )
    Award.objects.filter(pk=award.pk).update(revoked_by=revoking)
    response = _verify(english, "7KQ9MXP2RA")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This award was revoked by decision 21-QĐ/ĐU of 05/03/2021" in html
    assert "This certificate is genuine" not in html


def test_a_revocation_still_in_draft_does_not_revoke(english, tree, award):
    draft = make_decision(
        tree.root,
        status=DecisionStatus.DRAFT,
        kind=DecisionKind.REVOCATION,
        refers_to=award.decision,
        symbol="",
        date=None,
    )
    Award.objects.filter(pk=award.pk).update(revoked_by=draft)
    html = _verify(english, "7KQ9MXP2RA").content.decode()
    assert "This certificate is genuine" in html
    assert "revoked" not in html


def test_a_logged_in_user_sees_the_same(client, committee_staff, award):
    client.force_login(committee_staff)
    client.cookies["django_language"] = "en"
    assert _verify(client, "7KQ9MXP2RA").status_code == 200


def test_a_link_preview_may_ask_for_the_headers_only(client, award):
    assert client.head(reverse("awards:verify_code", args=["7KQ9MXP2RA"])).status_code == 200
    assert client.post(reverse("awards:verify_code", args=["7KQ9MXP2RA"])).status_code in (
        403,  # no CSRF token
        405,
    )
