"""One vote per member under concurrent submissions: 50 threads, each with its own database
connection, submit the same member's vote on the same nomination at the same moment;
exactly one ballot and one vote are stored, and the 49 others are told they already voted.

Runs on whichever database DATABASE_URL names (SQLite: a file, see settings; PostgreSQL).
"""

import datetime
import threading
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import translation

from lantoa.awards.models import Ballot, Nomination, NominationStatus, Vote, VoteChoice
from lantoa.awards.services.votes import cast_vote
from lantoa.core.errors import ValidationError
from lantoa.orgs.models import Role
from tests.awards.factories import make_nomination, make_round, seat
from tests.factories import UserFactory, grant, make_org

THREADS = 50
IN_WINDOW = datetime.date(2020, 12, 5)
ALREADY_VOTED = "You have already voted on this nomination."


def at_once(work: Callable[[int], object]) -> tuple[list, list]:
    """Run `work(i)` in THREADS threads released together; each closes its connection."""
    barrier = threading.Barrier(THREADS)
    lock = threading.Lock()
    results: list = []
    errors: list = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            with translation.override("en"):
                result = work(index)
            with lock:
                results.append(result)
        except Exception as error:  # reported by the assertions
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


@pytest.fixture
def council(transactional_db):
    """A round with a council of 10 and a nomination before it."""
    root = make_org(code="DCD", name="Đảng bộ Dân Chính Đảng tỉnh Cà Mau")
    base = make_org(root, code="BDV", name="Đảng bộ Ban Dân vận Tỉnh ủy")
    round_ = make_round(root)
    members = []
    for index in range(10):
        user = UserFactory(username=f"hd{index}")
        grant(user, Role.COUNCIL_MEMBER, root)
        seat(round_, user, position=index)
        members.append(user.pk)
    nomination = make_nomination(round_, base, status=NominationStatus.VOTING)
    return nomination.pk, members


def vote_as(user_pk: int, nomination_pk: int, choice: str = VoteChoice.AGREE) -> Vote:
    """A request's work: its own user and nomination objects, read on its own connection."""
    user = get_user_model().objects.get(pk=user_pk)
    nomination = Nomination.objects.get(pk=nomination_pk)
    return cast_vote(nomination, by=user, choice=choice, today=IN_WINDOW)


def assert_only_already_voted(errors: list, expected: int) -> None:
    assert len(errors) == expected, [repr(error) for error in errors if not _already(error)]
    assert all(_already(error) for error in errors), [repr(error) for error in errors]


def _already(error: Exception) -> bool:
    return isinstance(error, ValidationError) and error.messages == [ALREADY_VOTED]


def test_fifty_concurrent_submissions_of_one_vote_store_exactly_one(council):
    nomination_pk, members = council
    member = members[0]

    results, errors = at_once(lambda _i: vote_as(member, nomination_pk))

    assert len(results) == 1
    assert_only_already_voted(errors, THREADS - 1)
    assert Ballot.objects.count() == 1
    assert Vote.objects.count() == 1
    assert Ballot.objects.get().member.user_id == member


def test_fifty_concurrent_submissions_from_ten_members_store_one_vote_each(council):
    nomination_pk, members = council

    results, errors = at_once(lambda i: vote_as(members[i % 10], nomination_pk))

    assert len(results) == 10
    assert_only_already_voted(errors, THREADS - 10)
    assert sorted(Ballot.objects.values_list("member__user_id", flat=True)) == sorted(members)
    assert Vote.objects.count() == 10
