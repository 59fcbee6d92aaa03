"""The whole path of a commendation in a real browser, each person in a browser of their
own: committee staff open a round; the secretary of a base organization nominates one of
its members (found by name without diacritics), attaches the evidence and submits; the
staff review it and send it to the council; three council members vote "agree" on their
ballot; the staff close the vote (it is selected), make the decision from the selected
list and issue it (numbered 1-QĐ/ĐU), and make the certificates; the certificate's QR
code and its code typed by anyone, not logged in, open the public page confirming the
award — and a malformed or unknown code is refused with a message.

Elements are found by id, name and role, never by translated text (the translations change);
the labels asserted are computed from the models, in Vietnamese.
"""

import datetime
import importlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.apps import apps
from django.conf import settings
from django.utils import timezone, translation
from playwright.sync_api import expect
from reportlab.pdfgen import canvas

from lantoa.awards.models import (
    Award,
    CouncilMember,
    CouncilRole,
    Decision,
    DecisionStatus,
    Evidence,
    Nomination,
    NominationStatus,
    Review,
    Round,
    VoteChoice,
)
from lantoa.awards.models.decisions import CODE_ALPHABET
from lantoa.orgs.models import Role
from lantoa.programs.models import DocumentSystem, DocumentType, Issuer, Term
from tests.e2e.conftest import TIMEOUT_MS, Console
from tests.factories import PersonFactory, UserFactory, grant

# The live server needs committed data: see test_people.py for why available_apps is set.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS)),
]

SAVE = "main form[data-once] button[type=submit]"
ROUND_URL = re.compile(r"/awards/rounds/(\d+)/$")
NOMINATION_URL = re.compile(r"/awards/nominations/(\d+)/$")
DECISION_URL = re.compile(r"/awards/decisions/(\d+)/$")
BATCH_URL = re.compile(r"/awards/certificates/batches/(\d+)/$")
FIRST_DECISION = re.compile(r"^0?1-QĐ/ĐU$")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HUONG = "Nguyễn Thị Ngọc Hường"
COUNCIL = [
    ("Lê Văn Sử", CouncilRole.CHAIR),
    ("Trần Thị Mai", CouncilRole.DEPUTY),
    ("Phạm Minh Tâm", CouncilRole.MEMBER),
]
_catalog = importlib.import_module("lantoa.awards.migrations.0002_catalog")


@pytest.fixture(autouse=True)
def catalog(transactional_db) -> None:
    """The seeded forms and vote rule (absent with --nomigrations, flushed between tests)."""
    _catalog.seed(apps, None)


@pytest.fixture(autouse=True)
def server_settings(settings, tmp_path, live_server):
    """Files in a temporary folder, certificates made at once (no worker), and QR codes
    pointing at this live server."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE
    settings.SITE_URL = live_server.url


@pytest.fixture
def numbering(tree) -> None:
    """What numbers the committee's decisions: its party issuer ĐU, the type QĐ, a term."""
    du = Issuer.objects.create(
        system=DocumentSystem.PARTY,
        code="ĐU",
        name="Đảng ủy Dân Chính Đảng tỉnh Cà Mau",
        organization=tree.root,
    )
    DocumentType.objects.get_or_create(
        system=DocumentSystem.PARTY, code="QĐ", defaults={"name": "Quyết định"}
    )
    today = timezone.localdate()
    Term.objects.create(
        issuer=du,
        code="X",
        name="Nhiệm kỳ hiện tại",
        start_date=today - datetime.timedelta(days=400),
        end_date=today + datetime.timedelta(days=400),
    )


@pytest.fixture
def council(tree) -> list:
    """Three accounts with the council-member role on the committee."""
    users = []
    for n, _seat in enumerate(COUNCIL, start=1):
        user = UserFactory(username=f"hoi_dong_{n}")
        grant(user, Role.COUNCIL_MEMBER, tree.root)
        users.append(user)
    return users


@pytest.fixture
def browse_as(browser, live_server, console: Console, password) -> Iterator[Callable]:
    """Another person's browser (a context of their own, as the `page` fixture makes it),
    logged in through the form, or not at all."""
    contexts = []

    def browse_as(user=None):
        context = browser.new_context(base_url=live_server.url, locale="vi-VN")
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.expose_binding(
            "lantoaCspViolation", lambda _source, text: console.violations.append(text)
        )
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', (e) =>"
            " window.lantoaCspViolation(`${e.violatedDirective} ${e.blockedURI}`));"
        )
        page = context.new_page()
        page.on("console", lambda message: console.messages.append(message.text))
        page.on("pageerror", lambda error: console.errors.append(str(error)))
        if user is not None:
            page.goto("/accounts/login/")
            page.fill("#id_username", user.get_username())
            page.fill("#id_password", password)
            with page.expect_navigation():
                page.click("form.form button[type=submit]")
            assert "/accounts/login/" not in page.url, "the login form did not accept the user"
        return page

    yield browse_as
    for context in contexts:
        context.close()


def vi(label) -> str:
    """A label as the Vietnamese pages show it."""
    with translation.override("vi"):
        return str(label)


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def click_and_wait(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def take_step(page, action: str) -> None:
    """A button of the workflow on the nomination's page."""
    click_and_wait(page, f'#actions form[action$="/do/{action}/"] button[type=submit]')


def evidence_pdf(folder) -> str:
    path = folder / "bao-cao-thanh-tich.pdf"
    drawing = canvas.Canvas(str(path))
    drawing.drawString(72, 720, "Bao cao thanh tich ca nhan nam 2025")
    drawing.save()
    return str(path)


def certificate_of(zip_bytes: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        names = archive.namelist()
        assert len(names) == 1, names
        return archive.read(names[0])


def read_certificate(pdf_bytes: bytes) -> tuple[str, list[str]]:
    """The certificate's text and the QR codes read from its rendered image."""
    document = pdfium.PdfDocument(pdf_bytes)
    page = document[0]
    text = page.get_textpage().get_text_range()
    image = page.render(scale=3).to_pil().convert("RGB")
    codes = zxingcpp.read_barcodes(image)
    assert all(code.format == zxingcpp.BarcodeFormat.QRCode for code in codes)
    return text, [code.text for code in codes]


# --- the steps, each as its person does it ---------------------------------------------------


def open_round(page, tree, today: datetime.date) -> Round:
    """Committee staff open this year's round: nominations close today, the council votes
    from today for a week, evidence required."""
    page.goto("/awards/rounds/")
    click_and_wait(page, 'main a[href$="/awards/rounds/new/"]')
    page.select_option("#id_organization", str(tree.root.pk))
    page.fill("#id_title", f"Xét biểu dương, khen thưởng năm {today.year}")
    page.fill("#id_year", str(today.year))
    page.fill("#id_criteria", "Tiêu biểu trong học tập và làm theo tư tưởng, đạo đức, phong cách")
    page.fill("#id_submissions_close", dmy(today))
    page.fill("#id_voting_opens", dmy(today))
    page.fill("#id_voting_closes", dmy(today + datetime.timedelta(days=7)))
    expect(page.locator("#id_evidence_required")).to_be_checked()
    click_and_wait(page, SAVE)
    match = ROUND_URL.search(page.url)
    assert match, f"not on the round's page after saving: {page.url}"
    return Round.objects.get(pk=int(match.group(1)))


def seat_council(round_: Round, users: list) -> None:
    """The council, seated directly: its page closes once voting opens, and the vote must
    open today for the members to vote in this test."""
    for position, (user, (name, role)) in enumerate(zip(users, COUNCIL, strict=True)):
        CouncilMember.objects.create(
            round=round_, user=user, name=name, role=role, position=position
        )


def nominate(page, tree, round_: Round, nominee, tmp_path) -> Nomination:
    """The base secretary nominates a member of her organization, attaches the report of
    achievements and submits."""
    page.goto("/awards/rounds/")
    click_and_wait(page, f"#round-{round_.pk} a")
    click_and_wait(page, f'a[href$="/awards/rounds/{round_.pk}/nominate/"]')
    page.select_option("#id_nominating_organization", str(tree.own.pk))
    page.fill("#find", "nguyen thi ngoc huong")  # found without diacritics
    found = page.locator(f'#person-results input[name=person][value="{nominee.pk}"]')
    found.check()
    page.select_option("#id_proposed_form", label="Giấy khen")
    page.fill(
        "#id_achievements",
        "Hoàn thành xuất sắc nhiệm vụ 5 năm liền; tiêu biểu trong học tập và làm theo.",
    )
    click_and_wait(page, 'button[type=submit][form="nomination-form"]')
    match = NOMINATION_URL.search(page.url)
    assert match, f"not on the nomination's page after saving: {page.url}"
    nomination = Nomination.objects.get(pk=int(match.group(1)))
    assert (nomination.person_id, nomination.nominating_organization_id) == (
        nominee.pk,
        tree.own.pk,
    )
    expect(page.locator("#status")).to_have_text(vi(NominationStatus.DRAFT.label))
    expect(page.locator("#nominee")).to_contain_text(HUONG)

    click_and_wait(page, f'#evidence a[href$="/nominations/{nomination.pk}/evidence/new/"]')
    page.set_input_files("#id_file", evidence_pdf(tmp_path))
    page.fill("#id_description", "Báo cáo thành tích cá nhân")
    click_and_wait(page, SAVE)
    expect(page.locator("#evidence li")).to_have_count(1)
    assert Evidence.objects.filter(nomination=nomination, file_type="pdf").count() == 1

    take_step(page, "submit")
    expect(page.locator("#status")).to_have_text(vi(NominationStatus.SUBMITTED.label))
    return nomination


def review(page, nomination: Nomination) -> None:
    """Committee staff open the nomination from their list, review it and send it on."""
    page.goto(f"/awards/nominations/?round={nomination.round_id}")
    click_and_wait(page, f"#nomination-{nomination.pk} td:first-child a")
    take_step(page, "start_review")
    expect(page.locator("#status")).to_have_text(vi(NominationStatus.IN_REVIEW.label))
    click_and_wait(page, f'#actions a[href$="/nominations/{nomination.pk}/review/"]')
    page.select_option("#id_opinion", Review.Opinion.SUPPORT.value)
    page.fill("#id_text", "Đủ tiêu chuẩn; thành tích có minh chứng. Đề nghị Hội đồng xét.")
    click_and_wait(page, SAVE)
    expect(page.locator("#reviews article.review")).to_have_count(1)
    expect(page.locator("#reviews")).to_contain_text("Đề nghị Hội đồng xét.")
    take_step(page, "send_to_vote")
    expect(page.locator("#status")).to_have_text(vi(NominationStatus.VOTING.label))


def vote_agree(page, nomination: Nomination) -> None:
    """A council member opens the ballot from the commendation page and agrees."""
    page.goto("/awards/")
    click_and_wait(page, '#awards-links a[href$="/awards/vote/"]')
    row = f"#n{nomination.pk}"
    expect(page.locator(row)).to_contain_text(HUONG)
    page.check(f'{row} input[name=choice][value="{VoteChoice.AGREE.value}"]')
    click_and_wait(page, f"{row} button[type=submit]")
    expect(page.locator(f"{row} .voted")).to_be_visible()
    expect(page.locator(f"{row} form")).to_have_count(0)


def close_the_vote(page, round_: Round, nomination: Nomination) -> None:
    page.goto(f"/awards/rounds/{round_.pk}/")
    click_and_wait(page, f'main a[href$="/awards/rounds/{round_.pk}/tally/"]')
    row = f"#n{nomination.pk}"
    expect(page.locator(f"{row} td.num")).to_have_text(["3", "0", "0"])  # agree, disagree, abstain
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    click_and_wait(page, 'form[action$="/tally/close/"] button[type=submit]')
    assert asked == ["confirm"], "closing the vote did not ask for a confirmation"
    expect(page.locator(f"{row} td").nth(7)).to_have_text(vi(NominationStatus.SELECTED.label))
    expect(page.locator('form[action$="/tally/close/"]')).to_have_count(0)


def issue_decision(page, round_: Round, nomination: Nomination, today: datetime.date) -> Decision:
    """The draft from the round's selected list, then issued: dated, placed and signed."""
    page.goto(f"/awards/rounds/{round_.pk}/")
    click_and_wait(page, "#make-decision")
    expect(page.locator(f"#nomination-{nomination.pk}")).to_be_checked()
    click_and_wait(page, SAVE)
    match = DECISION_URL.search(page.url)
    assert match, f"not on the decision's page after making the draft: {page.url}"
    decision = Decision.objects.get(pk=int(match.group(1)))
    expect(page.locator("#awards tbody tr")).to_have_count(1)
    expect(page.locator("#awards")).to_contain_text(HUONG)

    page.fill("#id_date", dmy(today))
    page.fill("#id_place", "Cà Mau")
    page.fill("#id_signer_title", "Bí thư")
    page.fill("#id_signer_name", "Lê Văn Sử")
    click_and_wait(page, "#issue button[type=submit]")
    assert DECISION_URL.search(page.url), page.url
    expect(page.locator("#symbol")).to_have_text(FIRST_DECISION)
    expect(page.locator("h1")).to_contain_text("QĐ/ĐU")
    expect(page.locator("#date")).to_have_text(dmy(today))
    expect(page.locator("#signer")).to_contain_text("Lê Văn Sử")
    expect(page.locator("#issue")).to_have_count(0)  # frozen: no more issuing
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED
    return decision


def make_certificates(page, decision: Decision) -> bytes:
    """Every certificate of the decision, made in the background; the ZIP downloaded."""
    click_and_wait(page, f'main a[href$="/awards/decisions/{decision.pk}/certificates/"]')
    expect(page.locator("#award-count")).to_have_text("1")
    click_and_wait(page, SAVE)
    assert BATCH_URL.search(page.url), f"not on the batch's page: {page.url}"
    expect(page.locator("#batch-count")).to_have_text("1 / 1")
    expect(page.locator("#batch-progress progress")).to_have_attribute("value", "1")
    with page.expect_download() as download:
        page.click("#batch-zip")
    return certificate_of(download.value.path().read_bytes())


def expect_confirmed(page, code: str, decision: Decision) -> None:
    expect(page.locator("#verify-result .success")).to_be_visible()
    expect(page.locator("#verify-result .error")).to_have_count(0)
    expect(page.locator("#recipient")).to_have_text(HUONG)
    expect(page.locator("#form")).to_have_text("Giấy khen")
    expect(page.locator("#decision")).to_contain_text(decision.symbol)
    expect(page.locator("#decision")).to_contain_text(dmy(decision.date))
    expect(page.locator("#issuer")).to_have_text("Đảng bộ Dân Chính Đảng tỉnh Cà Mau")
    expect(page.locator("#verify-result")).to_contain_text(code)


def verify(page, typed: str):
    """Type a code on the public page and send it; returns the final response."""
    page.goto("/verify/")
    page.fill("#code", typed)
    with page.expect_navigation() as navigation:
        page.click("main form[role=search] button[type=submit]")
    return navigation.value


# --- the path --------------------------------------------------------------------------------


def test_a_base_organization_nominates_and_the_certificate_verifies(
    page,
    console,
    login,
    browse_as,
    live_server,
    tree,
    committee_staff,
    base_secretary,
    council,
    numbering,
    tmp_path,
):
    today = timezone.localdate()
    nominee = PersonFactory(
        family_name="Nguyễn",
        middle_name="Thị Ngọc",
        given_name="Hường",
        organization=tree.own_cell,
        birth_date=datetime.date(1980, 3, 8),
    )

    # Committee staff open the round; the council of three is seated.
    login(committee_staff)
    round_ = open_round(page, tree, today)
    assert (round_.organization_id, round_.voting_opens, round_.evidence_required) == (
        tree.root.pk,
        today,
        True,
    )
    seat_council(round_, council)

    # 1. The base organization's secretary nominates her member and submits.
    secretary = browse_as(base_secretary)
    nomination = nominate(secretary, tree, round_, nominee, tmp_path)
    secretary.context.close()

    # 2. The staff review it and send it to the council.
    review(page, nomination)

    # 3. Three council members, each in their own browser, agree.
    for member in council:
        ballot = browse_as(member)
        vote_agree(ballot, nomination)
        ballot.context.close()

    # 4. The staff close the vote: selected.
    close_the_vote(page, round_, nomination)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SELECTED

    # 5. The decision from the selected list, issued and numbered.
    decision = issue_decision(page, round_, nomination, today)
    award = Award.objects.get(decision=decision)
    code = page.locator(f"#award-{award.pk} code").inner_text().strip()
    assert code == award.verification_code
    assert len(code) == 10 and set(code) <= set(CODE_ALPHABET)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.COMMENDED

    # 6. The certificates: its text, and a QR code opening the verification page.
    text, qr_codes = read_certificate(make_certificates(page, decision))
    for expected in (
        "GIẤY KHEN",
        HUONG,
        f"Quyết định số {decision.symbol} ngày {dmy(today)}",
        f"Mã xác thực: {code}",
    ):
        assert expected in text, expected
    verify_url = f"{live_server.url}/verify/{code}/"
    assert qr_codes == [verify_url]

    # 7. Anyone, not logged in: the QR code's address, then the code typed as people do.
    public = browse_as()
    response = public.goto(verify_url)
    assert response.status == 200
    expect_confirmed(public, code, decision)

    response = verify(public, f"{code[:5].lower()} {code[5:].lower()}")
    assert response.status == 200
    assert public.url == verify_url
    expect_confirmed(public, code, decision)

    # A malformed code, then a well-formed one that no award carries: said clearly.
    response = verify(public, "KT-2020-15")
    assert response.status == 400
    expect(public.locator("#verify-result li.error")).to_be_visible()
    expect(public.locator("#recipient")).to_have_count(0)

    unknown = next(c for c in ("23456789AB", "BA98765432") if c != code)
    response = verify(public, unknown)
    assert response.status == 404
    assert public.url.endswith(f"/verify/{unknown}/")
    expect(public.locator("#verify-result li.error")).to_contain_text(unknown)
    expect(public.locator("#recipient")).to_have_count(0)

    assert console.csp_violations() == []
    assert console.errors == []
