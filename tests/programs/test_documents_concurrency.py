"""Numbers under concurrent requests: 20 threads, each with its own database connection,
ask for a number at the same moment and get 20 distinct, consecutive numbers.

Runs on whichever database DATABASE_URL names (SQLite: a file, see settings; PostgreSQL).
"""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from lantoa.orgs.models import Role
from lantoa.programs.models import Document, NumberCounter
from lantoa.programs.services import documents as services
from tests.factories import UserFactory, grant, make_org
from tests.programs.test_documents_support import D, make_catalog

THREADS = 20


def at_once(work: Callable[[], object]) -> tuple[list, list]:
    """Run `work` in THREADS threads released together; each closes its connection."""
    barrier = threading.Barrier(THREADS)
    lock = threading.Lock()
    results: list = []
    errors: list = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            result = work()
            with lock:
                results.append(result)
        except Exception as error:  # reported by the assertion below
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


@pytest.fixture
def catalog(transactional_db):
    root = make_org(code="DCD", name="Đảng bộ Dân Chính Đảng tỉnh Cà Mau")
    return make_catalog(root)


def test_twenty_concurrent_requests_for_a_new_number_get_twenty_distinct_numbers(catalog):
    assert not NumberCounter.objects.exists()  # the counter row is created in the race too

    numbers, errors = at_once(lambda: services.next_number(catalog.du, catalog.kh, catalog.du_x))

    assert errors == []
    assert sorted(numbers) == list(range(1, THREADS + 1))
    counter = NumberCounter.objects.get()
    assert counter.last_number == THREADS


def test_twenty_concurrent_registrations_get_twenty_distinct_symbols(catalog):
    staff = UserFactory(username="staff")
    grant(staff, Role.COMMITTEE_STAFF, catalog.du.organization)

    def register_one() -> str:
        document = services.register_own_document(
            by=staff,
            organization=catalog.du.organization,
            doc_type=catalog.ctr,
            issued_on=D(2021, 3, 1),
            title="Chương trình",
        )
        return document.symbol

    symbols, errors = at_once(register_one)

    assert errors == []
    assert sorted(symbols) == sorted(f"{n:02d}-CTr/ĐU" for n in range(1, THREADS + 1))
    assert Document.objects.count() == THREADS
