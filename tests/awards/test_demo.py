"""The Cà Mau demo's commendation (lantoa/awards/demo.py), checked against case-camau.md:
the whole `manage.py load_demo` (orgs, programs, movements, awards) is loaded once for the
module, inside a transaction rolled back at the end."""

import dataclasses
import itertools
import random
import re
from collections import Counter, defaultdict
from io import StringIO
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import override_settings
from django.utils import timezone

from lantoa.awards import demo as awards_demo
from lantoa.awards.models import (
    Award,
    Ballot,
    Ceremony,
    CouncilMember,
    Decision,
    DecisionKind,
    DecisionStatus,
    Nomination,
    NominationEvent,
    NominationStatus,
    Review,
    Round,
    RoundQuota,
    Vote,
    VoteChoice,
)
from lantoa.awards.tally import compute_many
from lantoa.core.models import AuditEntry
from lantoa.orgs.demo import loader
from lantoa.orgs.models import Organization, Role, RoleGrant
from lantoa.programs.models import Rating, RatingLevel, RatingListStatus, Term

S = NominationStatus
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SELECTED = (S.SELECTED, S.COMMENDED, S.HONORED)
COMMENDED = (S.COMMENDED, S.HONORED)
COUNCIL = (S.SELECTED, S.NOT_SELECTED, S.COMMENDED, S.HONORED)
CREATED_HERE = (Round, RoundQuota, CouncilMember, Nomination, Review, Ballot, Decision, Award)
SYMBOL = re.compile(r"^\d+-QĐ/ĐU$")


@dataclasses.dataclass
class Loaded:
    output: str = ""
    context: object = None  # the DemoContext handed to this app's demo
    state: object = None  # the generator's state when it was handed over
    counts: dict | None = None


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the whole demo once for the module (the programs demo's scans go to a temporary
    media folder), keeping what this app's demo was given, to load it again."""
    found = Loaded()
    real = loader.app_demo_loaders()

    def load(ctx):
        found.context, found.state = ctx, ctx.rng.getstate()
        found.counts = awards_demo.load(ctx)
        return found.counts

    loaders = [(label, load if fn.__module__ == awards_demo.__name__ else fn) for label, fn in real]
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")
        ),
        mock.patch.object(loader, "app_demo_loaders", return_value=loaders),
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


def _term_nominations():
    """The nominations of the committee's rounds of the term, 2017–2020."""
    return Nomination.objects.filter(
        round__organization__code="DCD", round__year__range=(2017, 2020)
    )


def _split(nominations) -> tuple[int, int]:
    """(collectives, individuals)."""
    return (
        nominations.filter(collective__isnull=False).count(),
        nominations.filter(person__isnull=False).count(),
    )


# --- the figures of the case -----------------------------------------------------------------


def test_the_command_reports_what_the_awards_demo_added(demo):
    assert demo.counts is not None
    assert f"  {apps.get_app_config('awards').verbose_name}:" in demo.output
    assert "Tập thể được khen thưởng 2017–2020: 73" in demo.output
    assert "Cá nhân được khen thưởng 2017–2020: 167" in demo.output
    assert "Tập thể được bầu chọn năm 2020: 47" in demo.output
    assert "Cá nhân được bầu chọn năm 2020: 75" in demo.output
    assert "Hội nghị tuyên dương: 3" in demo.output
    assert demo.counts["Hồ sơ đề nghị khen thưởng"] == Nomination.objects.count()


def test_73_collectives_and_167_individuals_are_commended_over_the_term(demo, committee):
    assert _split(_term_nominations().filter(status__in=COMMENDED)) == (73, 167)
    term = Term.objects.get(issuer__code="ĐU", code="IX")
    awards = Award.objects.filter(
        decision__organization=committee,
        decision__kind=DecisionKind.COMMENDATION,
        decision__status=DecisionStatus.ISSUED,
        decision__date__range=(term.start_date, term.end_date),
        revoked_by__isnull=True,
    )
    assert (
        awards.filter(collective__isnull=False).count(),
        awards.filter(person__isnull=False).count(),
    ) == (73, 167)


def test_47_collectives_and_75_individuals_are_selected_in_2020_and_commended(demo):
    year = _term_nominations().filter(round__year=2020)
    assert _split(year.filter(status__in=SELECTED)) == (47, 75)
    assert _split(year.filter(status__in=COMMENDED)) == (47, 75)


def test_nominated_selected_and_commended_differ(demo):
    nominations = _term_nominations()
    nominated = nominations.count()
    selected = nominations.filter(status__in=SELECTED).count()
    commended = nominations.filter(status__in=COMMENDED).count()
    assert nominated > selected > commended
    statuses = Counter(nominations.values_list("status", flat=True))
    assert statuses[S.NOT_SELECTED] >= 10
    assert statuses[S.WITHDRAWN] >= 3
    assert statuses[S.REJECTED] >= 1
    assert set(statuses) <= {
        S.SELECTED,
        S.NOT_SELECTED,
        S.COMMENDED,
        S.HONORED,
        S.WITHDRAWN,
        S.REJECTED,
    }
    # the selected but not commended were proposed for a higher form, not left behind
    for nomination in nominations.filter(status=S.SELECTED):
        assert nomination.proposed_form.code == "bang-khen"
        assert not Award.objects.filter(nomination=nomination).exists()


def test_three_ceremonies_are_held_in_the_term_and_honor_every_award(demo, committee):
    term = Term.objects.get(issuer__code="ĐU", code="IX")
    ceremonies = Ceremony.objects.filter(organization=committee, held=True)
    assert ceremonies.count() == 3
    assert all(term.start_date <= c.date <= term.end_date for c in ceremonies)
    assert {year for c in ceremonies for year in c.rounds.values_list("year", flat=True)} == {
        2017,
        2018,
        2019,
        2020,
    }
    honored = Award.objects.filter(ceremonies__in=ceremonies)
    assert honored.count() == Award.objects.count() == 240
    for ceremony in ceremonies:
        rounds = set(ceremony.rounds.values_list("pk", flat=True))
        assert set(ceremony.honored.values_list("decision__round", flat=True)) == rounds
        assert all(a.decision.date <= ceremony.date for a in ceremony.honored.all())
        assert ceremony.program and "QĐ/ĐU" in ceremony.program
    assert set(Nomination.objects.filter(status=S.HONORED).values_list("pk", flat=True)) == set(
        honored.values_list("nomination", flat=True)
    )
    in_2020 = ceremonies.get(rounds__year=2020).honored
    assert (
        in_2020.filter(collective__isnull=False).count(),
        in_2020.filter(person__isnull=False).count(),
    ) == (47, 75)


def test_every_commended_nomination_has_an_issued_numbered_decision(demo, committee):
    commended = Nomination.objects.filter(status__in=COMMENDED).select_related(
        "award__decision__document", "round"
    )
    assert commended.count() == 240
    for nomination in commended:
        award = nomination.award
        decision = award.decision
        assert decision.status == DecisionStatus.ISSUED
        assert decision.organization == committee and decision.round == nomination.round
        assert SYMBOL.match(decision.symbol), decision.symbol
        assert decision.document.symbol == decision.symbol
        assert decision.document.issued_on == decision.date
        assert decision.issued_at and decision.signer_name and decision.signer_title
        assert (award.person_id, award.collective_id) == (
            nomination.person_id,
            nomination.collective_id,
        )
        assert award.form == nomination.proposed_form
        assert len(award.verification_code) == 10
        assert not award.certificate  # no certificate file written
    decisions = Decision.objects.filter(organization=committee)
    symbols = list(decisions.values_list("symbol", flat=True))
    assert len(symbols) == len(set(symbols)) == 4
    for decision in decisions:
        positions = list(decision.awards.order_by("position").values_list("position", flat=True))
        assert positions == list(range(1, len(positions) + 1))


# --- the council's votes ---------------------------------------------------------------------


def _selected_by_rule(rule, members: int, cast: int, agree: int) -> bool:
    quorum = cast * 100 >= rule.quorum_percent * members
    base = members if rule.base == "members" else cast
    share = (
        agree * 100 > rule.approval_percent * base
        if rule.strictly_more
        else (agree * 100 >= rule.approval_percent * base)
    )
    return quorum and agree > 0 and share


def test_votes_give_each_nominations_outcome_under_its_rounds_rule(demo):
    for round_ in Round.objects.select_related("vote_rule"):
        members = round_.council.count()
        assert 7 <= members <= 9
        nominations = list(round_.nominations.all())
        tallies = compute_many(round_, nominations)
        votes = defaultdict(Counter)
        for nomination_id, choice in Vote.objects.filter(nomination__round=round_).values_list(
            "nomination_id", "choice"
        ):
            votes[nomination_id][choice] += 1
        ballots = Counter(
            Ballot.objects.filter(nomination__round=round_).values_list("nomination_id", flat=True)
        )
        for nomination in nominations:
            cast = sum(votes[nomination.pk].values())
            assert cast == ballots[nomination.pk], nomination
            if nomination.status not in COUNCIL:
                assert cast == 0, nomination
                continue
            agree = votes[nomination.pk][VoteChoice.AGREE]
            selected = _selected_by_rule(round_.vote_rule, members, cast, agree)
            assert selected == (nomination.status in SELECTED), nomination
            if round_.vote_rule.approval_percent == 50 and round_.vote_rule.strictly_more:
                assert (agree * 100 > 50 * members) == selected
            assert tallies[nomination.pk].selected == selected


def test_one_ballot_per_member_and_nomination_by_seated_members(demo):
    repeated = Ballot.objects.values("nomination", "member").annotate(n=Count("pk")).filter(n__gt=1)
    assert not repeated.exists()
    assert not Ballot.objects.exclude(member__round=F("nomination__round")).exists()
    for round_ in Round.objects.all():
        votes = Vote.objects.filter(nomination__round=round_)
        if round_.secret_ballot:
            assert not votes.filter(member__isnull=False).exists()
        else:
            assert not votes.filter(member__isnull=True).exists()
            pairs = set(votes.values_list("nomination", "member"))
            assert pairs == set(
                Ballot.objects.filter(nomination__round=round_).values_list("nomination", "member")
            )
    assert Round.objects.filter(secret_ballot=True).exists()


def test_the_council_member_account_sits_on_every_council(demo, committee):
    user = get_user_model().objects.get(username="hoidong.1")
    assert CouncilMember.objects.filter(user=user).count() == Round.objects.count() == 4
    for member in CouncilMember.objects.select_related("user"):
        assert RoleGrant.objects.filter(
            user=member.user, role=Role.COUNCIL_MEMBER, organization=committee
        ).exists()
    for round_ in Round.objects.all():
        assert round_.council.filter(role="chair").count() == 1
        assert round_.voting_opens > round_.submissions_close
        assert round_.ceremonies.count() == 1


# --- nominations -----------------------------------------------------------------------------


def test_each_nominations_events_lead_from_draft_to_its_status(demo):
    events = defaultdict(list)
    for event in NominationEvent.objects.order_by("at", "pk"):
        events[event.nomination_id].append(event)
    for nomination in Nomination.objects.select_related("round"):
        chain = events[nomination.pk]
        assert chain, nomination
        assert chain[0].from_status == S.DRAFT
        for before, after in itertools.pairwise(chain):
            assert after.from_status == before.to_status, nomination
        assert chain[-1].to_status == nomination.status
        assert nomination.status_changed_at == chain[-1].at
        assert nomination.created_at <= chain[0].at
        for event in chain:
            if event.to_status in (S.RETURNED, S.REJECTED, S.WITHDRAWN):
                assert event.reason, event
            day = timezone.localdate(event.at)
            if event.from_status == S.DRAFT or event.to_status == S.RETURNED:
                assert day <= nomination.round.submissions_close
            if event.to_status in (S.SELECTED, S.NOT_SELECTED):
                assert day == nomination.round.voting_closes


def test_some_were_returned_for_changes_and_resubmitted(demo):
    returned = NominationEvent.objects.filter(to_status=S.RETURNED)
    assert returned.count() >= 10
    for event in returned:
        assert event.nomination.events.filter(
            from_status=S.RETURNED, to_status=S.SUBMITTED, at__gt=event.at
        ).exists()


def test_duplicates_are_flagged_against_the_first_nomination(demo):
    flagged = Nomination.objects.filter(duplicate_of__isnull=False).select_related("duplicate_of")
    assert flagged.count() >= 2
    for nomination in flagged:
        first = nomination.duplicate_of
        assert first.round_id == nomination.round_id
        assert first.nominee_key == nomination.nominee_key and first.person_id
        assert first.events.first().at < nomination.events.first().at
        assert nomination.status in (S.WITHDRAWN, S.REJECTED)
    others = Nomination.objects.filter(duplicate_of__isnull=True).exclude(
        status__in=(S.WITHDRAWN, S.REJECTED)
    )
    keys = Counter(others.values_list("round", "nominee_key"))
    assert max(keys.values()) == 1  # no nominee twice in a round otherwise


def test_individuals_were_rated_excellent_or_good_in_their_unit(demo):
    years = {spec.year: spec.rating_year for spec in awards_demo.ROUNDS}
    rated = {
        (org, year, person): level
        for org, year, person, level in Rating.objects.filter(
            list__status=RatingListStatus.CONFIRMED
        ).values_list("list__organization", "list__year", "person", "level")
    }
    people = Nomination.objects.filter(person__isnull=False).select_related("round")
    levels = Counter()
    for nomination in people:
        key = (
            nomination.nominating_organization_id,
            years[nomination.round.year],
            nomination.person_id,
        )
        assert rated.get(key) in (RatingLevel.EXCELLENT, RatingLevel.GOOD), nomination
        levels[rated[key]] += 1
    assert levels[RatingLevel.EXCELLENT] > levels[RatingLevel.GOOD]


def test_links_rest_on_the_nominees_records_put_forward_before(demo):
    linked = 0
    for nomination in Nomination.objects.prefetch_related(
        "good_deeds", "initiatives__authors", "activities"
    ).select_related("round"):
        close = nomination.round.submissions_close
        for deed in nomination.good_deeds.all():
            assert deed.put_forward_at and deed.put_forward_at.date() <= close
            assert deed.person_id == nomination.person_id or (
                deed.collective_id and deed.collective_id == nomination.collective_id
            )
            linked += 1
        for initiative in nomination.initiatives.all():
            assert initiative.put_forward_at.date() <= close
            assert nomination.person in initiative.authors.all()
        for activity in nomination.activities.all():
            assert activity.put_forward_at.date() <= close
            assert activity.organization_id == nomination.collective_id
    assert linked
    assert Nomination.objects.filter(unit_models__isnull=False).exists()


def test_collectives_are_base_organizations_or_their_cells(demo):
    for nomination in Nomination.objects.filter(collective__isnull=False).select_related(
        "collective", "nominating_organization"
    ):
        collective, nominating = nomination.collective, nomination.nominating_organization
        assert collective == nominating or collective.path.startswith(nominating.path)


def test_quotas_are_respected(demo):
    counted = (S.SUBMITTED, S.IN_REVIEW, S.VOTING, *COUNCIL)
    for quota in RoundQuota.objects.all():
        nominations = Nomination.objects.filter(
            round=quota.round_id,
            nominating_organization=quota.organization_id,
            status__in=counted,
        )
        people, collectives = (
            nominations.filter(person__isnull=False).count(),
            nominations.filter(collective__isnull=False).count(),
        )
        assert people <= quota.max_people and collectives <= quota.max_collectives
    nominating = set(Nomination.objects.values_list("round", "nominating_organization"))
    assert nominating <= set(RoundQuota.objects.values_list("round", "organization"))


def test_enterprises_nominate_only_after_the_merger(demo):
    bloc_units = Organization.objects.filter(code__in=["PCCM", "VNPT", "CNCM", "BDCM"])
    before = Nomination.objects.filter(nominating_organization__in=bloc_units, round__year__lt=2019)
    assert not before.exists()
    assert Nomination.objects.filter(nominating_organization__in=bloc_units).exists()


# --- audit and reproducibility -----------------------------------------------------------------


def test_every_record_created_has_an_audit_entry(demo):
    for model in (*CREATED_HERE, Ceremony):
        content_type = ContentType.objects.get_for_model(model)
        audited = set(
            AuditEntry.objects.filter(content_type=content_type).values_list("object_pk", flat=True)
        )
        created = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        assert created and created <= audited, model.__name__


def _fingerprint(after: dict[str, int]) -> dict[str, list]:
    """What the demo wrote after the given last ids, without ids, numbers or codes."""
    nominations = Nomination.objects.filter(pk__gt=after["nomination"]).order_by("pk")
    return {
        "rounds": list(
            Round.objects.filter(pk__gt=after["round"])
            .order_by("pk")
            .values_list("title", "year", "submissions_close", "secret_ballot")
        ),
        "nominations": list(
            nominations.values_list(
                "person",
                "collective",
                "nominating_organization",
                "status",
                "proposed_form__code",
                "achievements",
                "created_at",
                Q(duplicate_of__isnull=False),
            )
        ),
        "events": list(
            NominationEvent.objects.filter(nomination__in=nominations)
            .order_by("pk")
            .values_list("from_status", "to_status", "at", "reason")
        ),
        "ballots": list(
            Ballot.objects.filter(nomination__in=nominations)
            .order_by("pk")
            .values_list("member__user__username", "cast_at")
        ),
        "votes": sorted(
            Vote.objects.filter(nomination__in=nominations)
            .values("choice")
            .annotate(n=Count("pk"))
            .values_list("choice", "n")
        ),
        "awards": list(
            Award.objects.filter(nomination__in=nominations)
            .order_by("pk")
            .values_list("person", "collective", "form__code", "position", "decision__date")
        ),
        "ceremonies": list(
            Ceremony.objects.filter(pk__gt=after["ceremony"])
            .order_by("pk")
            .values_list("title", "date", "place")
        ),
    }


def _last_ids() -> dict[str, int]:
    def last(model) -> int:
        return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    return {"round": last(Round), "nomination": last(Nomination), "ceremony": last(Ceremony)}


def test_the_same_generator_gives_the_same_demo(demo):
    first = _fingerprint(dict.fromkeys(["round", "nomination", "ceremony"], 0))
    before = _last_ids()
    rng = random.Random()
    rng.setstate(demo.state)
    counts = awards_demo.load(dataclasses.replace(demo.context, rng=rng))
    assert counts == demo.counts
    assert _fingerprint(before) == first


def test_a_second_run_creates_nothing(demo):
    models = (*CREATED_HERE, NominationEvent, Vote, Ceremony, AuditEntry)
    before = {model.__name__: model.objects.count() for model in models}
    call_command("load_demo", stdout=StringIO())
    assert {model.__name__: model.objects.count() for model in models} == before
