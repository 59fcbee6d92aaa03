"""A small world for the API's tests: records of every kind in both subtrees of the tree
(`own` and `other`), and tokens of the named users."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from lantoa.api import services
from lantoa.awards.models import Ballot, Decision, DecisionStatus, NominationStatus, Vote
from lantoa.orgs.models import Person, PersonPrivate, Role
from lantoa.programs.models import Commitment, CommitmentItem, Document, DocumentSystem, UnitModel
from tests.awards.factories import make_nomination, make_round, seat
from tests.factories import MemberFactory, UserFactory, grant
from tests.movements.factories import make_activity
from tests.programs.test_documents_support import make_catalog

D = datetime.date


@dataclass
class World:
    own_person: Person
    other_person: Person


def bearer(user, name: str = "test") -> dict[str, str]:
    _token, secret = services.create_token(user, name)
    return {"Authorization": f"Bearer {secret}"}


def make_document(catalog, number: int, title: str, organization=None) -> Document:
    return Document.objects.create(
        system=DocumentSystem.PARTY,
        number=number,
        doc_type=catalog.kh,
        issuer=catalog.du if organization is not None else catalog.tu,
        term=catalog.du_ix if organization is not None else catalog.tu_xv,
        symbol=f"{number}-KH/ĐU" if organization is not None else f"{number}-KH/TU",
        issued_on=D(2019, 3, number % 28 + 1),
        title=title,
        organization=organization,
    )


def populate(tree, council_user, count: int = 1) -> World:
    """`count` records of each kind in each subtree (and one higher document)."""
    catalog = make_catalog(tree.root)
    make_document(catalog, 900, "Kế hoạch của Tỉnh ủy về học tập và làm theo")
    round_ = make_round(tree.root, secret_ballot=False)
    secret_round = make_round(tree.root, title="Xét khen thưởng bỏ phiếu kín", secret_ballot=True)
    member = seat(round_, council_user)
    secret_member = seat(secret_round, council_user)
    people = {}
    for side, base, cell in (
        ("own", tree.own, tree.own_cell),
        ("other", tree.other, tree.other_cell),
    ):
        for i in range(count):
            person = MemberFactory(
                organization=cell, code=f"{side.upper()}-{i}", birth_date=D(1980, 1, 2)
            )
            PersonPrivate.objects.create(
                person=person, citizen_id="012345678901", phone="0912345678", email="a@b.vn"
            )
            people.setdefault(side, person)
            make_document(catalog, 100 * (side == "own") + i + 1, f"Kế hoạch {side} {i}", base)
            UnitModel.objects.create(
                organization=base, year_from=2019, title=f"Mô hình dân vận khéo {side} {i}"
            )
            commitment = Commitment.objects.create(
                person=person, year=2019, organization=cell, submitted_at=timezone.now()
            )
            CommitmentItem.objects.create(commitment=commitment, order=1, text="Học tập Bác")
            make_activity(cell, title=f"Hiến máu {side} {i}")
            nomination = make_nomination(
                round_, base, person=person, status=NominationStatus.VOTING
            )
            Ballot.objects.create(nomination=nomination, member=member)
            Vote.objects.create(nomination=nomination, member=member, choice="agree")
            secret = make_nomination(
                secret_round, base, collective=cell, status=NominationStatus.VOTING
            )
            Ballot.objects.create(nomination=secret, member=secret_member)
            Vote.objects.create(nomination=secret, choice="disagree")  # names nobody
            Decision.objects.create(
                organization=base,
                subject=f"Khen thưởng {side} {i}",
                status=DecisionStatus.ISSUED,
                symbol=f"{i + 1}-QĐ/{side}",
                date=D(2020, 12, 20),
            )
    return World(people["own"], people["other"])


@pytest.fixture
def world(tree, council_member) -> World:
    return populate(tree, council_member)


@pytest.fixture
def staff_headers(committee_staff) -> dict[str, str]:
    return bearer(committee_staff)


@pytest.fixture
def secretary_headers(base_secretary) -> dict[str, str]:
    return bearer(base_secretary)


@pytest.fixture
def reviewer(tree):
    """Committee staff of the `own` subtree only (reviews nominations there)."""
    user = UserFactory(username="own_reviewer")
    grant(user, Role.COMMITTEE_STAFF, tree.own)
    return user
