"""Awards history: on the pages of people and organizations, and next to a nomination."""

import datetime

import pytest
from django.apps import apps
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from lantoa.awards.models import Award, Decision, DecisionKind, Discipline
from lantoa.awards.queries.history import (
    awards_of_organization,
    awards_of_person,
    nominee_record,
)
from lantoa.awards.rules import evaluate
from lantoa.movements.models import RecognitionLevel
from lantoa.programs.models import RatingLevel
from tests.awards.factories import make_nomination, make_round
from tests.awards.test_rules import award, catalog, form, rate
from tests.factories import PersonFactory
from tests.movements.factories import make_deed, make_initiative


@pytest.fixture(autouse=True)
def _catalog(db):
    """The catalog of migration 0002 (absent with --nomigrations)."""
    catalog.seed(apps, None)


def test_the_person_page_shows_their_awards_with_the_decision(client, tree, base_secretary):
    person = PersonFactory(organization=tree.own_cell)
    award(person, "giay-khen", 2019, symbol="12-QĐ/ĐU")
    client.force_login(base_secretary)
    response = client.get(reverse("orgs:person_detail", args=[person.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="awards-history"' in html
    assert "12-QĐ/ĐU" in html
    assert "Giấy khen" in html
    assert "20/12/2019" in html


def test_a_revoked_award_stays_in_the_history_marked_and_a_draft_is_not_shown(
    client, tree, committee_staff
):
    person = PersonFactory(organization=tree.own_cell)
    revoked = award(person, "giay-khen", 2018, symbol="7-QĐ/ĐU")
    revoked.revoked_by = Decision.objects.create(
        organization=tree.root,
        kind=DecisionKind.REVOCATION,
        refers_to=revoked.decision,
        subject="Thu hồi",
        status="issued",
        symbol="9-QĐ/ĐU",
        date=datetime.date(2019, 3, 1),
    )
    revoked.save()
    draft = Decision.objects.create(organization=tree.root, subject="Dự thảo khen thưởng")
    Award.objects.create(decision=draft, person=person, form=form("bang-khen"))
    assert [a.decision.symbol for a in awards_of_person(person)] == ["7-QĐ/ĐU"]
    client.cookies["django_language"] = "en"
    client.force_login(committee_staff)
    html = client.get(reverse("orgs:person_detail", args=[person.pk])).content.decode()
    assert "revoked by 9-QĐ/ĐU" in html
    assert "Bằng khen" not in html


def test_a_person_without_awards_says_so(client, tree, committee_staff):
    person = PersonFactory(organization=tree.own_cell)
    client.cookies["django_language"] = "en"
    client.force_login(committee_staff)
    html = client.get(reverse("orgs:person_detail", args=[person.pk])).content.decode()
    assert "No awards on record." in html


def test_the_organization_page_shows_the_awards_it_received(client, tree, committee_staff):
    award(tree.own_cell, "tap-the-lao-dong-xuat-sac", 2020, symbol="45-QĐ/ĐU")
    award(PersonFactory(organization=tree.own_cell), "giay-khen", 2020, symbol="46-QĐ/ĐU")
    assert [a.decision.symbol for a in awards_of_organization(tree.own_cell)] == ["45-QĐ/ĐU"]
    client.force_login(committee_staff)
    html = client.get(reverse("orgs:detail", args=[tree.own_cell.pk])).content.decode()
    assert "45-QĐ/ĐU" in html
    assert "Tập thể lao động xuất sắc" in html
    assert "46-QĐ/ĐU" not in html  # a member's award is on the member's page


def test_the_record_of_a_person_nominee(tree):
    person = PersonFactory(organization=tree.own_cell)
    round_ = make_round(tree.root)
    nomination = make_nomination(round_, tree.own, person=person, proposed_form=form("bang-khen"))
    award(person, "giay-khen", 2018, symbol="5-QĐ/ĐU")
    award(person, "giay-khen", 2021, symbol="50-QĐ/ĐU")  # after the round's year
    own = award(person, "bang-khen", 2020, symbol="60-QĐ/ĐU", nomination=nomination)
    rate(person, 2019, RatingLevel.EXCELLENT)
    rate(person, 2018, RatingLevel.GOOD)
    Discipline.objects.create(
        person=person,
        measure="Khiển trách",
        decided_on=datetime.date(2020, 6, 1),
        in_force_until=datetime.date(2021, 6, 1),
    )
    make_initiative(tree.own_cell, authors=[person], year=2019, level=RecognitionLevel.BASE)
    make_deed(tree.own_cell, person=person, date=datetime.date(2020, 2, 2))
    record = nominee_record(nomination)
    assert record.is_person
    assert [a.decision.symbol for a in record.awards] == ["5-QĐ/ĐU"]
    assert own not in record.awards
    assert [(r.year, r.level) for r in record.ratings] == [
        (2020, ""),
        (2019, RatingLevel.EXCELLENT),
        (2018, RatingLevel.GOOD),
        (2017, ""),
        (2016, ""),
    ]
    assert [d.in_force for d in record.disciplines] == [True]
    assert len(record.initiatives) == 1 and len(record.good_deeds) == 1


def test_the_record_of_a_collective_nominee_counts_its_years(tree):
    round_ = make_round(tree.root)
    nomination = make_nomination(
        round_, tree.root, collective=tree.own, proposed_form=form("giay-khen")
    )
    award(tree.own, "giay-khen", 2019, symbol="8-QĐ/ĐU")
    make_initiative(tree.own_cell, year=2020)
    make_initiative(tree.own, year=2020)
    make_initiative(tree.other, year=2020)  # another subtree
    make_deed(tree.own, collective=tree.own, date=datetime.date(2019, 4, 1))
    record = nominee_record(nomination)
    assert not record.is_person
    assert [a.decision.symbol for a in record.awards] == ["8-QĐ/ĐU"]
    figures = {row.year: row for row in record.figures}
    assert figures[2020].initiatives == 2
    assert figures[2019].good_deeds == 1
    assert sorted(figures) == [2016, 2017, 2018, 2019, 2020]
    with translation.override("en"):
        html = render_to_string(
            "awards/_nominee_record.html",
            {"record": record, "eligibility": evaluate(nomination, facts=record.facts)},
        )
    assert "Figures by year" in html
    assert "the council judges from the record" in html
