"""The Cà Mau demo's movements, activities, initiatives and good deeds
(lantoa/movements/demo.py): loaded once for the module by `manage.py load_demo` with the
orgs demo and this app's demo only (the whole command, with the programs demo, is loaded
by tests/programs/test_demo.py), rolled back at the end."""

import dataclasses
import random
from io import StringIO
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.test import override_settings

from lantoa.core.models import AuditEntry
from lantoa.movements import demo as movements_demo
from lantoa.movements.models import (
    Activity,
    ActivityType,
    GoodDeed,
    Initiative,
    InitiativeAuthor,
    Movement,
    MovementKind,
    MovementTarget,
)
from lantoa.movements.queries.totals import (
    Figures,
    Period,
    breakdown,
    grand_total,
    totals_by_type,
)
from lantoa.orgs.demo import loader
from lantoa.orgs.models import Membership, Organization

YEARS = range(2016, 2021)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CREATED_HERE = (Movement, MovementTarget, Activity, Initiative, InitiativeAuthor, GoodDeed)


@dataclasses.dataclass
class Loaded:
    output: str
    context: object = None  # the DemoContext handed to this app's demo
    state: object = None  # the generator's state when it was handed over
    counts: dict | None = None


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the orgs demo and this app's demo once for the module, inside a transaction
    rolled back at the end; keep what the demo was given, to load it again."""
    found = Loaded("")

    def load(ctx):
        found.context, found.state = ctx, ctx.rng.getstate()
        found.counts = movements_demo.load(ctx)
        return found.counts

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        mock.patch.object(loader, "app_demo_loaders", return_value=[("Phong trào", load)]),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("load_demo", stdout=out)
        found.output = out.getvalue()
        yield found
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db) -> Loaded:
    return loaded


@pytest.fixture
def committee(demo) -> Organization:
    return Organization.objects.get(code="DCD")


def test_the_command_reports_what_the_movements_demo_added(demo):
    assert f"Phong trào thi đua: {Movement.objects.count()}" in demo.output
    assert "Hoạt động 2016–2020: " in demo.output
    assert "Gương người tốt, việc tốt: " in demo.output
    assert demo.counts["Hoạt động 2016–2020"] == Activity.objects.count()


# --- movements and targets -----------------------------------------------------------------


def test_the_committee_launches_regular_and_thematic_movements(demo, committee):
    movements = Movement.objects.all()
    assert set(movements.values_list("organization", flat=True)) == {committee.pk}
    regular = movements.filter(kind=MovementKind.REGULAR)
    assert regular.count() == 4
    titles = " ".join(regular.values_list("title", flat=True))
    for name in ("Vì người nghèo", "Hiến máu nhân đạo", "Đền ơn đáp nghĩa", "Về nguồn"):
        assert name in titles
    thematic = movements.filter(kind=MovementKind.THEMATIC)
    assert {m.start_date.year for m in thematic} == set(YEARS)


def test_targets_are_set_for_the_subtree_and_each_base_and_mostly_met(demo):
    targets = list(MovementTarget.objects.select_related("movement", "activity_type"))
    assert len(targets) >= 10
    met = 0
    for target in targets:
        done = target.movement.activities.filter(activity_type=target.activity_type).aggregate(
            total=Sum("quantity")
        )["total"]
        assert done, target
        met += done >= target.quantity
        if target.movement.kind == MovementKind.REGULAR:
            assert 1 <= target.per_base_organization <= target.quantity
    assert met / len(targets) >= 0.6


# --- activities ----------------------------------------------------------------------------


def test_every_activity_type_has_activities_in_every_year(demo):
    counts = {
        (row["activity_type__code"], row["date__year"]): row["n"]
        for row in Activity.objects.values("activity_type__code", "date__year").annotate(
            n=Count("id")
        )
    }
    for code in ActivityType.objects.values_list("code", flat=True):
        for year in YEARS:
            assert counts.get((code, year), 0) > 0, (code, year)
    assert 1500 <= Activity.objects.count() <= 5000


def test_every_activity_lies_in_its_movements_period(demo):
    outside = Activity.objects.filter(movement__isnull=False).filter(
        Q(date__lt=F("movement__start_date")) | Q(date__gt=F("movement__end_date"))
    )
    assert not outside.exists()
    assert Activity.objects.filter(movement__isnull=True).count() < Activity.objects.count() / 5
    assert not Activity.objects.exclude(date__year__in=YEARS).exists()


def test_figures_are_never_negative_nor_beyond_the_types_limit(demo):
    activities = Activity.objects.all()
    assert not activities.filter(quantity__gt=F("activity_type__max_quantity")).exists()
    for name in ("quantity", "money", "participants", "beneficiaries"):
        assert not activities.filter(**{f"{name}__lt": 0}).exists(), name
    assert not activities.filter(beneficiaries__gt=0, beneficiary_category__isnull=True).exists()


def test_figures_are_plausible_for_each_type(demo):
    def figures(code: str):
        return Activity.objects.filter(activity_type__code=code)

    houses = figures("nha-vi-nguoi-ngheo")
    assert not houses.exclude(quantity__range=(1, 3)).exists()
    assert not houses.filter(money__lt=40_000_000 * F("quantity")).exists()
    assert not houses.filter(money__gt=70_000_000 * F("quantity")).exists()
    blood = figures("hien-mau").exclude(organization__code="DCD")
    assert not blood.exclude(quantity__range=(20, 120)).exists()
    gifts = figures("tham-tang-qua")
    assert not gifts.exclude(quantity__range=(10, 200)).exists()
    assert not gifts.filter(money__lt=300_000 * F("quantity")).exists()
    assert not gifts.filter(money__gt=1_000_000 * F("quantity")).exists()
    assert not figures("kham-chua-benh").exclude(quantity__range=(50, 500)).exists()
    for code in ("ve-nguon", "di-thuc-te"):
        trips = figures(code).exclude(organization__code="DCD")
        assert not trips.exclude(participants__range=(15, 60)).exists(), code


def test_activities_are_spread_over_base_organizations_and_cells(demo, committee):
    kinds = set(Activity.objects.values_list("organization__kind", flat=True))
    assert {"base_committee", "base_cell", "cell"} <= kinds
    assert Activity.objects.values("organization").distinct().count() >= 60
    with_partners = Activity.objects.filter(partners__isnull=False).distinct()
    assert 5 <= with_partners.count() <= 200


def test_the_committees_totals_are_the_sum_of_its_parts(demo, committee):
    period = Period(Period.year(YEARS[0]).start, Period.year(YEARS[-1]).end)
    whole = totals_by_type(committee.path, period)
    parts = breakdown(committee, period)
    assert len(parts) > 30
    for type_id, figures in whole.items():
        assert sum((part.by_type.get(type_id, Figures()) for part in parts), Figures()) == figures
    assert grand_total(whole).money > 10_000_000_000  # tens of billions of đồng


# --- initiatives and good deeds ------------------------------------------------------------


def test_initiatives_each_year_have_authors_who_were_members_of_the_unit(demo):
    per_year = dict(Initiative.objects.values_list("year").annotate(n=Count("id")))
    assert set(per_year) == set(YEARS)
    assert all(15 <= n <= 40 for n in per_year.values()), per_year
    authors = dict(Initiative.objects.values_list("pk").annotate(n=Count("authors")))
    assert set(authors.values()) <= {1, 2, 3} and 1 in authors.values()
    member_then = Membership.objects.filter(
        person=OuterRef("person"),
        organization__path__startswith=OuterRef("initiative__organization__path"),
        start_date__year__lte=OuterRef("initiative__year"),
    )
    assert not InitiativeAuthor.objects.filter(~Exists(member_then)).exists()
    assert len(set(Initiative.objects.values_list("field", flat=True))) >= 6
    assert Initiative.objects.filter(benefit__gt=0).exists()
    assert Initiative.objects.filter(kind="project").exists()
    recognized = Initiative.objects.exclude(level="none")
    assert not recognized.filter(recognized_on__isnull=True).exists()
    assert not recognized.filter(recognized_on__year__lt=F("year")).exists()


def test_good_deeds_of_members_and_collectives_each_year(demo):
    per_year = dict(GoodDeed.objects.values_list("date__year").annotate(n=Count("id")))
    assert set(per_year) == set(YEARS)
    assert all(25 <= n <= 80 for n in per_year.values()), per_year
    assert GoodDeed.objects.filter(collective__isnull=False).exists()
    member_then = Membership.objects.filter(
        person=OuterRef("person"),
        organization=OuterRef("organization"),
        start_date__lte=OuterRef("date"),
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("date")))
    people = GoodDeed.objects.filter(person__isnull=False)
    assert people.exists() and not people.filter(~Exists(member_then)).exists()
    assert not GoodDeed.objects.filter(Q(title="") | Q(description="")).exists()


def test_some_of_each_are_put_forward_mostly_in_2020(demo):
    for model in (Activity, Initiative, GoodDeed):
        put = model.objects.filter(put_forward_at__isnull=False)
        assert put.exists(), model.__name__
        assert not put.filter(Q(put_forward_note="") | Q(put_forward_by__isnull=True)).exists()
        in_2020 = put.filter(put_forward_at__year__gte=2020).count()
        assert in_2020 > put.count() / 2, model.__name__
    late = Activity.objects.filter(put_forward_at__date__lt=F("date"))
    assert not late.exists()


# --- audit and reproducibility -------------------------------------------------------------


def test_every_record_created_has_an_audit_entry(demo):
    for model in CREATED_HERE:
        content_type = ContentType.objects.get_for_model(model)
        audited = set(
            AuditEntry.objects.filter(content_type=content_type).values_list("object_pk", flat=True)
        )
        created = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        assert created and created <= audited, model.__name__


def _fingerprint(after: dict[str, int]) -> dict[str, list]:
    """What the demo wrote after the given last ids, without the ids themselves."""
    return {
        "movements": list(
            Movement.objects.filter(pk__gt=after["movement"])
            .order_by("pk")
            .values_list("title", "start_date", "end_date", "document")
        ),
        "targets": list(
            MovementTarget.objects.filter(pk__gt=after["target"])
            .order_by("pk")
            .values_list("movement__title", "activity_type", "quantity", "per_base_organization")
        ),
        "activities": list(
            Activity.objects.filter(pk__gt=after["activity"])
            .order_by("pk")
            .values_list(
                "organization",
                "activity_type",
                "movement__title",
                "title",
                "date",
                "place",
                "participants",
                "beneficiary_category",
                "beneficiaries",
                "quantity",
                "money",
                "put_forward_at",
            )
        ),
        "initiatives": list(
            Initiative.objects.filter(pk__gt=after["initiative"])
            .order_by("pk")
            .values_list("organization", "title", "year", "level", "recognized_on", "benefit")
        ),
        "authors": list(
            InitiativeAuthor.objects.filter(initiative__pk__gt=after["initiative"])
            .order_by("pk")
            .values_list("person", "position")
        ),
        "deeds": list(
            GoodDeed.objects.filter(pk__gt=after["deed"])
            .order_by("pk")
            .values_list("person", "collective", "organization", "title", "date")
        ),
    }


def _last_ids() -> dict[str, int]:
    models = {
        "movement": Movement,
        "target": MovementTarget,
        "activity": Activity,
        "initiative": Initiative,
        "deed": GoodDeed,
    }
    return {key: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            for key, model in models.items()}  # fmt: skip


def test_the_same_generator_gives_the_same_demo(demo):
    first = _fingerprint(dict.fromkeys(["movement", "target", "activity", "initiative", "deed"], 0))
    before = _last_ids()
    rng = random.Random()
    rng.setstate(demo.state)
    counts = movements_demo.load(dataclasses.replace(demo.context, rng=rng))
    assert counts == demo.counts
    again = _fingerprint(before)
    assert again == first


def test_a_second_run_creates_nothing(demo):
    before = {model.__name__: model.objects.count() for model in (*CREATED_HERE, AuditEntry)}
    call_command("load_demo", stdout=StringIO())
    assert {model.__name__: model.objects.count() for model in (*CREATED_HERE, AuditEntry)} == (
        before
    )
