"""Making all certificates of a decision in the background: the batch counts each one,
ends done (or failed, with the error), shows its progress every second and offers one ZIP;
only those who run rounds on the decision's organization may start it."""

import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lantoa.awards.models import CertificateBatch, DecisionStatus
from lantoa.awards.services.certificates import run_batch, start_batch
from lantoa.core.errors import PermissionDenied, ValidationError
from tests.awards.test_certificates import huong, make_award, make_decision
from tests.factories import PersonFactory

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
Status = CertificateBatch.Status


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def _decision_with_awards(tree, count: int = 3):
    decision = make_decision(tree.root)
    awards = [make_award(decision, person=huong(tree.own), position=1)]
    for position in range(2, count + 1):
        awards.append(
            make_award(decision, person=PersonFactory(organization=tree.own), position=position)
        )
    return decision, awards


def _files(media) -> list[str]:
    return sorted(p.name for p in (media / "certificates" / "2020").iterdir())


def test_immediate_batch_makes_every_certificate(tree, committee_staff, media, immediate):
    decision, awards = _decision_with_awards(tree)
    batch = start_batch(decision, by=committee_staff)
    batch.refresh_from_db()
    assert batch.status == Status.DONE
    assert batch.total == batch.done == 3
    assert batch.finished_at is not None
    assert batch.task_id
    assert _files(media) == sorted(f"{a.verification_code}.pdf" for a in awards)
    for award in awards:
        award.refresh_from_db()
        assert award.certificate.name == f"certificates/2020/{award.verification_code}.pdf"


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_the_batch(tree, committee_staff, media, database_tasks):
    decision, awards = _decision_with_awards(tree, 2)
    batch = start_batch(decision, by=committee_staff)
    assert batch.status == Status.QUEUED and batch.done == 0 and batch.total == 2
    assert not (media / "certificates").exists()
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)
    batch.refresh_from_db()
    assert batch.status == Status.DONE
    assert batch.total == batch.done == 2
    assert _files(media) == sorted(f"{a.verification_code}.pdf" for a in awards)


def test_revoked_awards_are_not_printed(tree, committee_staff, media, immediate):
    decision, awards = _decision_with_awards(tree)
    revoking = make_decision(tree.root, kind="revocation", refers_to=decision, symbol="21-QĐ/ĐU")
    awards[1].revoked_by = revoking
    awards[1].save()
    batch = start_batch(decision, by=committee_staff)
    batch.refresh_from_db()
    assert batch.total == batch.done == 2
    assert f"{awards[1].verification_code}.pdf" not in _files(media)


def test_a_failure_is_recorded_with_its_error(tree, committee_staff, media, settings):
    decision, _awards = _decision_with_awards(tree, 2)
    settings.TASKS = DATABASE
    batch = start_batch(decision, by=committee_staff)
    settings.SITE_URL = "http://x/" + "a" * 4000  # too long for any QR code
    with pytest.raises(Exception):  # noqa: B017 (the job fails as a whole)
        run_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.status == Status.FAILED
    assert batch.done == 0
    assert batch.error
    assert batch.finished_at is not None


def test_only_an_issued_decision_with_awards_gets_a_batch(tree, committee_staff, immediate):
    draft = make_decision(tree.root, status=DecisionStatus.DRAFT, symbol="", date=None)
    make_award(draft, person=huong(tree.own))
    with pytest.raises(ValidationError):
        start_batch(draft, by=committee_staff)
    empty = make_decision(tree.root, symbol="16-QĐ/ĐU")
    with pytest.raises(ValidationError):
        start_batch(empty, by=committee_staff)
    assert not CertificateBatch.objects.exists()


def test_a_second_batch_waits_for_the_first(tree, committee_staff, database_tasks):
    decision, _awards = _decision_with_awards(tree, 1)
    start_batch(decision, by=committee_staff)
    with pytest.raises(ValidationError):
        start_batch(decision, by=committee_staff)
    assert CertificateBatch.objects.count() == 1


def test_only_round_managers_start_a_batch(tree, base_secretary, council_member, immediate):
    decision, _awards = _decision_with_awards(tree, 1)
    for user in (base_secretary, council_member):
        with pytest.raises(PermissionDenied):
            start_batch(decision, by=user)
    assert not CertificateBatch.objects.exists()


# --- pages --------------------------------------------------------------------------------


def test_start_from_the_page_and_follow_to_the_zip(
    english, tree, committee_staff, media, immediate
):
    decision, awards = _decision_with_awards(tree)
    english.force_login(committee_staff)
    page = english.get(reverse("awards:decision_certificates", args=[decision.pk]))
    assert page.status_code == 200
    assert "Make all the certificates" in page.content.decode()
    response = english.post(reverse("awards:certificate_batch_start", args=[decision.pk]))
    batch = CertificateBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:certificate_batch", args=[batch.pk])
    html = english.get(response["Location"]).content.decode()
    assert "3 / 3" in html
    assert "<progress" in html
    assert 'hx-trigger="every 1s"' not in html  # done: no more polling
    zip_url = reverse("awards:certificate_batch_zip", args=[batch.pk])
    assert zip_url in html
    archive = english.get(zip_url)
    assert archive.status_code == 200
    assert archive["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))) as zipped:
        names = zipped.namelist()
        assert len(names) == 3
        assert names[0].startswith("001-nguyen-thi-ngoc-huong-")
        for award, name in zip(awards, names, strict=True):
            assert name.endswith(f"{award.verification_code}.pdf")
            assert zipped.read(name).startswith(b"%PDF")


def test_the_progress_fragment_polls_while_running(english, tree, committee_staff, database_tasks):
    decision, _awards = _decision_with_awards(tree)
    batch = start_batch(decision, by=committee_staff)
    CertificateBatch.objects.filter(pk=batch.pk).update(status=Status.RUNNING, done=2)
    english.force_login(committee_staff)
    url = reverse("awards:certificate_batch_progress", args=[batch.pk])
    response = english.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 / 3" in html
    assert 'value="2"' in html and 'max="3"' in html
    assert 'hx-trigger="every 1s"' in html
    assert f'hx-get="{url}"' in html
    assert "<html" not in html  # the fragment alone
    page = english.get(reverse("awards:certificate_batch", args=[batch.pk])).content.decode()
    assert "2 / 3" in page and 'hx-trigger="every 1s"' in page
    # no ZIP before the end
    zip_url = reverse("awards:certificate_batch_zip", args=[batch.pk])
    assert zip_url not in html
    assert english.get(zip_url).status_code == 404


def test_a_failed_batch_shows_its_error(english, tree, committee_staff, database_tasks):
    decision, _awards = _decision_with_awards(tree, 2)
    batch = start_batch(decision, by=committee_staff)
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=Status.FAILED, done=1, error="OSError: disk full"
    )
    english.force_login(committee_staff)
    html = english.get(reverse("awards:certificate_batch", args=[batch.pk])).content.decode()
    assert "1 / 2" in html
    assert "The job stopped with an error" in html
    assert "OSError: disk full" in html
    assert 'hx-trigger="every 1s"' not in html


def test_a_refused_start_says_why(english, tree, committee_staff, database_tasks):
    decision, _awards = _decision_with_awards(tree, 1)
    english.force_login(committee_staff)
    url = reverse("awards:certificate_batch_start", args=[decision.pk])
    english.post(url)
    response = english.post(url, follow=True)
    assert "already being made" in response.content.decode()
    assert CertificateBatch.objects.count() == 1


def test_pages_are_404_outside_the_grant(
    client, tree, committee_staff, base_secretary, council_member, outsider, immediate, media
):
    decision, _awards = _decision_with_awards(tree, 1)
    batch = start_batch(decision, by=committee_staff)
    urls = [
        reverse("awards:decision_certificates", args=[decision.pk]),
        reverse("awards:certificate_batch", args=[batch.pk]),
        reverse("awards:certificate_batch_progress", args=[batch.pk]),
        reverse("awards:certificate_batch_zip", args=[batch.pk]),
    ]
    start_url = reverse("awards:certificate_batch_start", args=[decision.pk])
    for user in (base_secretary, outsider):  # the decision is the committee's
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(start_url).status_code == 404
    client.force_login(council_member)  # sees the committee's work, may not start a batch
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.post(start_url).status_code == 404
    assert CertificateBatch.objects.count() == 1
    client.logout()
    for url in [*urls, start_url]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("awards:certificate_batch", args=[batch.pk + 99])).status_code in (
        302,
        404,
    )


def test_unknown_batches_and_decisions_are_404(client, committee_staff, db):
    client.force_login(committee_staff)
    assert client.get(reverse("awards:certificate_batch", args=[999])).status_code == 404
    assert client.get(reverse("awards:decision_certificates", args=[999])).status_code == 404
    assert client.get("/awards/awards/999/certificate.pdf").status_code == 404


def test_a_draft_decision_offers_no_batch(english, tree, committee_staff, db):
    draft = make_decision(tree.root, status=DecisionStatus.DRAFT, symbol="", date=None)
    make_award(draft, person=huong(tree.own))
    english.force_login(committee_staff)
    html = english.get(reverse("awards:decision_certificates", args=[draft.pk])).content.decode()
    assert "Certificates are made once the decision is issued." in html
    assert "Make all the certificates" not in html
    response = english.post(reverse("awards:certificate_batch_start", args=[draft.pk]), follow=True)
    assert "only once the decision is issued" in response.content.decode()
    assert not CertificateBatch.objects.exists()


def test_a_batch_lost_long_ago_does_not_block_a_new_one(tree, committee_staff, database_tasks):
    decision, _awards = _decision_with_awards(tree, 1)
    lost = start_batch(decision, by=committee_staff)
    CertificateBatch.objects.filter(pk=lost.pk).update(
        status=Status.RUNNING, created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert start_batch(decision, by=committee_staff).pk != lost.pk
