"""Nominations, the services: drafting one (who nominates, exactly one nominee, a form that
suits them, records it rests on), correcting it while a draft or returned, evidence files
(checked, nothing left behind), reviews, who sees what, and the duplicate warning on both
nominations."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils import timezone, translation

from lantoa.awards import workflow
from lantoa.awards.models import AwardForm, AwardFormKind, Evidence, Nomination, Review
from lantoa.awards.services import nominations as services
from lantoa.movements.services import proposals
from lantoa.orgs.models import Role
from tests.awards.factories import award_form, make_nomination, make_round
from tests.factories import PersonFactory, UserFactory, grant
from tests.movements.factories import make_activity, make_deed, make_initiative
from tests.programs.test_documents_support import docx_bytes, upload

D = datetime.date
S = workflow.S


@pytest.fixture(autouse=True)
def movement_catalog(db) -> None:
    """The activity types of the movements' seeding migration (absent with --nomigrations)."""
    importlib.import_module("lantoa.movements.migrations.0002_catalog").seed(apps, None)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def errors_of(raised) -> dict[str, list[str]]:
    return {name: [str(m) for m in msgs] for name, msgs in raised.value.message_dict.items()}


@pytest.fixture
def round_(tree):
    return make_round(tree.root)


@pytest.fixture
def people(tree):
    return {
        "lan": PersonFactory(
            family_name="Nguyễn", middle_name="Thị", given_name="Lan", organization=tree.own_cell
        ),
        "hai": PersonFactory(
            family_name="Lê", middle_name="Minh", given_name="Hải", organization=tree.other
        ),
    }


def draft(by, round_, org, **fields) -> Nomination:
    defaults = {
        "proposed_form": award_form("giay-khen"),
        "achievements": "Hoàn thành xuất sắc nhiệm vụ 5 năm liền",
    }
    defaults.update(fields)
    return services.create_nomination(round_, by=by, nominating_organization=org, **defaults)


# --- drafting ----------------------------------------------------------------------------


def test_a_base_organization_drafts_a_nomination_of_its_member(
    tree, base_secretary, round_, people
):
    nomination = draft(base_secretary, round_, tree.own, person=people["lan"])
    assert nomination.status == S.DRAFT and nomination.created_by == base_secretary
    assert nomination.nominee == people["lan"]
    assert nomination.nominee_key == "p:nguyen thi lan:"

    collective = draft(base_secretary, round_, tree.own, collective=tree.own_cell)
    assert collective.nominee == tree.own_cell


def test_who_nominates_for_which_organization(tree, base_secretary, committee_staff, people):
    own_round = make_round(tree.own)
    with pytest.raises(ValidationError) as raised:
        draft(committee_staff, own_round, tree.other, collective=tree.own_cell)
    assert "nominating_organization" in errors_of(raised)  # outside the round's subtree
    root_round = make_round(tree.root, title="Toàn Đảng bộ")
    with pytest.raises(ValidationError) as raised:
        draft(base_secretary, root_round, tree.other, collective=tree.other_cell)
    assert "nominating_organization" in errors_of(raised)  # not theirs to nominate for
    reader = UserFactory(username="reader")
    grant(reader, Role.READ_ONLY, tree.root)
    with pytest.raises(PermissionDenied):
        draft(reader, root_round, tree.own, collective=tree.own)
    assert not Nomination.objects.exists()


def test_exactly_one_nominee_that_the_user_may_see(tree, base_secretary, round_, people):
    cases = [
        ({"person": people["lan"], "collective": tree.own_cell}, "person"),
        ({}, "person"),
        ({"person": people["hai"]}, "person"),  # a person of another subtree
    ]
    for nominee, field in cases:
        with pytest.raises(ValidationError) as raised:
            draft(base_secretary, round_, tree.own, **nominee)
        assert field in errors_of(raised)
    own_round = make_round(tree.own_cell, title="Chi bộ")
    with pytest.raises(ValidationError) as raised:  # a collective outside the round
        draft(base_secretary, own_round, tree.own_cell, collective=tree.own)
    assert "collective" in errors_of(raised)
    assert not Nomination.objects.exists()


def test_the_form_must_suit_the_nominee_and_be_in_the_catalog(tree, base_secretary, round_, people):
    cstd = AwardForm.objects.create(
        code="cstd-co-so",
        name="Chiến sĩ thi đua cơ sở",
        kind=AwardFormKind.TITLE,
        for_collectives=False,
    )
    old = AwardForm.objects.create(code="cu", name="Hình thức cũ", valid_to=D(2019, 12, 31))
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        draft(base_secretary, round_, tree.own, collective=tree.own_cell, proposed_form=cstd)
    assert errors_of(raised)["proposed_form"] == [
        "“Chiến sĩ thi đua cơ sở” is not given to collectives."
    ]
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        draft(base_secretary, round_, tree.own, person=people["lan"], proposed_form=old)
    assert "not in the catalog on 30/11/2020" in errors_of(raised)["proposed_form"][0]
    assert draft(base_secretary, round_, tree.own, person=people["lan"], proposed_form=cstd)
    for_collectives = set(services.available_forms(round_, "collective"))
    assert award_form("giay-khen") in for_collectives
    assert not {cstd, old} & for_collectives


def test_records_it_rests_on_come_from_the_organization_or_the_nominee(
    tree, base_secretary, committee_staff, round_, people
):
    ours = make_deed(tree.own_cell, title="Hiến máu cứu người")
    theirs = make_deed(tree.other, title="Việc tốt của đơn vị khác")
    about_lan = make_deed(tree.other, person=people["lan"], title="Cứu người đuối nước")
    activity = make_activity(tree.own)
    proposals.put_forward(activity, by=base_secretary, note="Tiêu biểu")
    plain = make_activity(tree.own_cell)
    initiative = make_initiative(tree.other, [people["lan"]], title="Sáng kiến của chị Lan")

    offered = services.linkable(tree.own, person=people["lan"])
    assert set(offered["good_deeds"]) == {ours, about_lan}
    assert list(offered["activities"]) == [activity, plain]  # put forward first
    assert list(offered["initiatives"]) == [initiative]

    nomination = draft(
        base_secretary,
        round_,
        tree.own,
        person=people["lan"],
        good_deeds=[ours, about_lan],
        activities=[activity],
        initiatives=[initiative],
    )
    assert set(nomination.good_deeds.all()) == {ours, about_lan}
    with pytest.raises(ValidationError) as raised:
        draft(base_secretary, round_, tree.own, person=people["lan"], good_deeds=[theirs])
    assert "good_deeds" in errors_of(raised)


# --- correcting --------------------------------------------------------------------------


def test_a_draft_or_returned_nomination_is_corrected_not_a_submitted_one(
    tree, base_secretary, round_, people
):
    nomination = draft(base_secretary, round_, tree.own, collective=tree.own_cell)
    changed = services.update_nomination(
        nomination,
        by=base_secretary,
        nominating_organization=tree.own,
        person=people["lan"],
        proposed_form=award_form("bang-khen"),
        achievements="Thành tích mới",
    )
    assert changed.nominee == people["lan"] and changed.nominee_key.startswith("p:nguyen thi lan")

    Nomination.objects.filter(pk=nomination.pk).update(status=S.SUBMITTED)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.update_nomination(
            nomination,
            by=base_secretary,
            nominating_organization=tree.own,
            person=people["lan"],
            proposed_form=award_form("bang-khen"),
            achievements="Sửa sau khi gửi",
        )
    assert "can no longer be changed" in raised.value.messages[0]
    Nomination.objects.filter(pk=nomination.pk).update(status=S.RETURNED)
    services.update_nomination(
        nomination,
        by=base_secretary,
        nominating_organization=tree.own,
        person=people["lan"],
        proposed_form=award_form("bang-khen"),
        achievements="Bổ sung theo yêu cầu",
    )
    assert Nomination.objects.get(pk=nomination.pk).achievements == "Bổ sung theo yêu cầu"


def test_another_organization_s_staff_cannot_correct_it(tree, round_):
    nomination = make_nomination(round_, tree.own)
    other_staff = UserFactory(username="other_staff")
    grant(other_staff, Role.ORGANIZATION_STAFF, tree.other)
    with pytest.raises(PermissionDenied):
        services.update_nomination(
            nomination,
            by=other_staff,
            nominating_organization=tree.other,
            collective=tree.other,
            proposed_form=award_form(),
            achievements="x",
        )


# --- evidence ----------------------------------------------------------------------------


def test_evidence_files_are_checked_and_stored_under_random_names(
    tree, base_secretary, round_, media
):
    nomination = draft(
        base_secretary, round_, tree.own, collective=tree.own, evidence=[upload("Báo cáo.pdf")]
    )
    docx = services.add_evidence(
        nomination, by=base_secretary, file=upload("Bằng khen.pdf", docx_bytes()), description="BK"
    )
    pdf = nomination.evidence.get(file_type="pdf")
    assert pdf.file_name == "Báo cáo.pdf" and "Báo cáo" not in pdf.file.name
    assert docx.file_type == "docx" and docx.file.name.endswith(".docx")
    assert len(stored_files(media)) == 2

    with pytest.raises(ValidationError) as raised:
        services.add_evidence(nomination, by=base_secretary, file=upload("x.pdf", b"not a pdf"))
    assert "file" in errors_of(raised)
    assert len(stored_files(media)) == 2


def test_no_file_is_left_when_the_save_fails(tree, base_secretary, round_, media, monkeypatch):
    real_save = FileSystemStorage._save
    calls = []

    def failing_save(storage, name, content):
        calls.append(name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", failing_save)
    with pytest.raises(OSError):
        draft(
            base_secretary,
            round_,
            tree.own,
            collective=tree.own,
            evidence=[upload("a.pdf"), upload("b.docx", docx_bytes())],
        )
    assert stored_files(media) == [] and not Nomination.objects.exists()


def test_evidence_is_deleted_once_committed_and_only_while_editable(
    tree, base_secretary, round_, media, django_capture_on_commit_callbacks
):
    nomination = draft(
        base_secretary, round_, tree.own, collective=tree.own, evidence=[upload(), upload()]
    )
    first, second = nomination.evidence.order_by("id")
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_evidence(first, by=base_secretary)
    assert len(stored_files(media)) == 1

    workflow.transition(nomination, workflow.Action.SUBMIT, by=base_secretary, today=D(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.delete_evidence(second, by=base_secretary)
    with pytest.raises(ValidationError):
        services.add_evidence(nomination, by=base_secretary, file=upload())
    assert Evidence.objects.count() == 1


# --- reviews and visibility --------------------------------------------------------------


def test_committee_staff_review_a_nomination_under_review(
    tree, base_secretary, committee_staff, round_
):
    nomination = make_nomination(round_, tree.own, status=S.IN_REVIEW)
    review = services.add_review(
        nomination, by=committee_staff, opinion="support", text="Đủ tiêu chuẩn"
    )
    assert review.reviewer == committee_staff and review.get_opinion_display()
    with pytest.raises(PermissionDenied):
        services.add_review(nomination, by=base_secretary, opinion="support", text="x")
    with pytest.raises(ValidationError) as raised:
        services.add_review(nomination, by=committee_staff, opinion="maybe", text="")
    assert {"opinion", "text"} <= set(errors_of(raised))
    draft_ = make_nomination(round_, tree.own, collective=tree.own_cell)
    with pytest.raises(ValidationError):
        services.add_review(draft_, by=committee_staff, opinion="support", text="x")
    assert Review.objects.count() == 1


def test_who_sees_which_nominations(tree, base_secretary, committee_staff, council_member):
    round_ = make_round(tree.root)
    theirs_round = make_round(tree.other, title="Đợt của đơn vị khác")
    mine = make_nomination(round_, tree.own)
    theirs = make_nomination(round_, tree.other)
    in_their_round = make_nomination(theirs_round, tree.other_cell)
    assert set(services.visible_nominations(base_secretary)) == {mine}
    assert set(services.visible_nominations(committee_staff)) == {mine, theirs, in_their_round}
    assert set(services.visible_nominations(council_member)) == {mine, theirs, in_their_round}
    other_staff = UserFactory(username="other_staff")
    grant(other_staff, Role.ORGANIZATION_STAFF, tree.other)
    assert set(services.visible_nominations(other_staff)) == {theirs, in_their_round}
    assert not services.can_view_nomination(other_staff, mine)


def test_both_nominations_carry_the_duplicate_warning(
    tree, base_secretary, committee_staff, round_
):
    lan = PersonFactory(
        family_name="Nguyễn", middle_name="Thị", given_name="Lan", organization=tree.other
    )
    lan_again = PersonFactory(
        family_name="Nguyen", middle_name="Thi", given_name="Lan", organization=tree.own
    )
    first = make_nomination(round_, tree.other, person=lan)
    second = make_nomination(round_, tree.own, person=lan_again)
    today = timezone.localdate().replace(year=2020, month=1, day=1)
    workflow.transition(first, workflow.Action.SUBMIT, by=committee_staff, today=today)
    workflow.transition(second, workflow.Action.SUBMIT, by=base_secretary, today=today)
    second.refresh_from_db()

    on_second = services.duplicate_warnings(base_secretary, second)
    assert [(w.other, w.name_only, w.visible) for w in on_second] == [(first, True, False)]
    on_first = services.duplicate_warnings(committee_staff, first)
    assert [(w.other, w.name_only, w.visible) for w in on_first] == [(second, True, True)]
