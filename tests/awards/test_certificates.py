"""Certificates: the PDF reads right in Vietnamese (checked by rendering it), carries the
verification code and a QR code that opens the verification page, uses Roboto, and is the
same bytes every time; the award's PDF is served only to those who may see it."""

import datetime
import io
import unicodedata

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.utils import timezone

from lantoa.awards.certificates import render_certificate
from lantoa.awards.models import Award, Decision, DecisionStatus
from lantoa.awards.models.decisions import CODE_ALPHABET
from lantoa.awards.services.certificates import generate_certificate, verify_url
from lantoa.orgs.models import Organization, OrganizationKind, Role
from tests.awards.factories import award_form, make_nomination, make_round
from tests.factories import PersonFactory, UserFactory, grant, make_org

VERIFY_URL = "https://lantoa.example.vn/verify/7KQ9MXP2RA/"
HUONG = "Nguyễn Thị Ngọc Hường"
SO_TU_PHAP = "Đảng bộ Sở Tư pháp tỉnh Cà Mau"


def make_decision(org: Organization, status: str = DecisionStatus.ISSUED, **fields) -> Decision:
    """Decision 15-QĐ/ĐU of 20/12/2020, issued unless told otherwise."""
    defaults = {
        "subject": "Về việc khen thưởng tập thể, cá nhân tiêu biểu năm 2020",
        "symbol": "15-QĐ/ĐU",
        "date": datetime.date(2020, 12, 20),
        "place": "Cà Mau",
        "signer_name": "Trần Văn Mười",
        "signer_title": "T/M Ban Thường vụ Bí thư",
    }
    if status == DecisionStatus.ISSUED:
        defaults["issued_at"] = timezone.now()
    defaults.update(fields)
    return Decision.objects.create(organization=org, status=status, **defaults)


def make_award(decision: Decision, person=None, collective=None, **fields) -> Award:
    """An award of the decision, resting on a nomination in a round of its organization."""
    round_ = decision.round or make_round(decision.organization)
    form = fields.pop("form", None) or award_form("giay-khen")
    nomination = make_nomination(
        round_,
        decision.organization,
        person=person,
        collective=collective,
        status="commended",
        proposed_form=form,
    )
    return Award.objects.create(
        decision=decision,
        nomination=nomination,
        person=person,
        collective=collective,
        form=form,
        **fields,
    )


def huong(org: Organization):
    return PersonFactory(
        family_name="Nguyễn",
        middle_name="Thị Ngọc",
        given_name="Hường",
        organization=org,
        birth_date=datetime.date(1980, 3, 8),
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://lantoa.example.vn"
    return tmp_path


@pytest.fixture
def decision(tree) -> Decision:
    return make_decision(tree.root)


def _page_text_and_image(pdf_bytes: bytes):
    document = pdfium.PdfDocument(pdf_bytes)
    page = document[0]
    text = page.get_textpage().get_text_range()
    image = page.render(scale=3).to_pil().convert("RGB")
    size = page.get_size()
    return text, image, size, len(document)


def _ink(image, box) -> int:
    """Dark pixels in a box of the image."""
    gray = image.crop(box).convert("L")
    return sum(1 for value in gray.get_flattened_data() if value < 128)


def test_a_person_certificate_reads_right(tree, decision):
    award = make_award(decision, person=huong(tree.own), verification_code="7KQ9MXP2RA")
    text, image, (width, height), pages = _page_text_and_image(
        render_certificate(award, VERIFY_URL)
    )
    assert pages == 1
    assert width > height  # A4 landscape
    assert round(width) == 842 and round(height) == 595
    assert unicodedata.is_normalized("NFC", text)
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG BỘ DÂN CHÍNH ĐẢNG TỈNH CÀ MAU",
        "GIẤY KHEN",
        "Tặng",
        HUONG,
        "Đảng bộ Ban Dân vận Tỉnh ủy",
        "Quyết định số 15-QĐ/ĐU ngày 20/12/2020",
        "Cà Mau, ngày 20 tháng 12 năm 2020",
        "T/M BAN THƯỜNG VỤ BÍ THƯ",
        "Trần Văn Mười",
        "Mã xác thực: 7KQ9MXP2RA",
        "xét biểu dương, khen thưởng năm 2020",
    ):
        assert expected in text, expected
    # ink where the title is (the middle of the upper half), none outside the frame
    title_box = (
        image.width // 4,
        int(image.height * 0.22),
        image.width * 3 // 4,
        image.height // 2,
    )
    assert _ink(image, title_box) > 2000
    assert _ink(image, (0, 0, image.width, 40)) == 0


def test_a_collective_certificate_reads_right(tree):
    sub = make_org(tree.root, code="STP", name=SO_TU_PHAP, kind=OrganizationKind.BASE_COMMITTEE)
    issuer = make_org(tree.root, code="DU", name="Đảng ủy Khối Cơ quan")
    decision = make_decision(Organization.objects.get(pk=issuer.pk))
    award = make_award(
        decision, collective=Organization.objects.get(pk=sub.pk), form=award_form("bang-khen")
    )
    text, _image, _size, _pages = _page_text_and_image(render_certificate(award, VERIFY_URL))
    assert SO_TU_PHAP in text
    assert "BẰNG KHEN" in text
    assert "Trực thuộc Đảng bộ Dân Chính Đảng tỉnh Cà Mau" in text
    assert f"Mã xác thực: {award.verification_code}" in text


def test_the_qr_code_opens_the_verification_page(tree, decision):
    award = make_award(decision, person=huong(tree.own))
    url = f"https://lantoa.example.vn/verify/{award.verification_code}/"
    _text, image, _size, _pages = _page_text_and_image(render_certificate(award, url))
    codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes] == [url]
    assert codes[0].format == zxingcpp.BarcodeFormat.QRCode


def test_the_fonts_are_roboto_embedded(tree, decision):
    pdf = render_certificate(make_award(decision, person=huong(tree.own)), VERIFY_URL)
    assert pdf.startswith(b"%PDF")
    assert b"Roboto" in pdf
    assert b"FontFile2" in pdf  # the TrueType program is embedded
    for base14 in (b"/Helvetica", b"/Times-Roman", b"/Courier"):
        assert base14 not in pdf


def test_the_same_award_gives_the_same_bytes(tree, decision):
    award = make_award(decision, person=huong(tree.own))
    assert render_certificate(award, VERIFY_URL) == render_certificate(award, VERIFY_URL)


def test_names_written_decomposed_are_printed_composed(tree, decision):
    person = huong(tree.own)
    # a name typed on a Mac arrives decomposed (NFD); the model stores it NFC, and the
    # certificate prints the composed letters whatever reaches it
    person.given_name = unicodedata.normalize("NFD", "Hường")
    award = make_award(decision, person=person)
    award.person.given_name = unicodedata.normalize("NFD", "Hường")
    text, _image, _size, _pages = _page_text_and_image(render_certificate(award, VERIFY_URL))
    assert HUONG in text


def test_a_very_long_name_still_fits(tree, decision):
    long_name = "Đảng bộ Trường Chính trị Nguyễn Văn Linh và các đơn vị sự nghiệp trực thuộc tỉnh"
    collective = make_org(tree.root, code="TCT", name=long_name * 2)
    award = make_award(decision, collective=Organization.objects.get(pk=collective.pk))
    text, image, _size, _pages = _page_text_and_image(render_certificate(award, VERIFY_URL))
    assert "Đảng bộ Trường Chính trị" in text
    assert zxingcpp.read_barcodes(image)[0].text == VERIFY_URL


def test_verification_codes_use_the_unambiguous_alphabet(tree, decision):
    award = make_award(decision, person=huong(tree.own))
    assert len(award.verification_code) == 10
    assert set(award.verification_code) <= set(CODE_ALPHABET)
    assert not set(award.verification_code) & set("0O1IL")


def test_generate_stores_the_pdf_by_year_and_code(tree, decision, media):
    award = make_award(decision, person=huong(tree.own))
    generate_certificate(award)
    award.refresh_from_db()
    assert award.certificate.name == f"certificates/2020/{award.verification_code}.pdf"
    stored = (media / award.certificate.name).read_bytes()
    assert stored == render_certificate(award, verify_url(award))
    generate_certificate(award)  # made again: replaced, not a second file
    assert len(list((media / "certificates" / "2020").iterdir())) == 1
    assert verify_url(award) == f"https://lantoa.example.vn/verify/{award.verification_code}/"


# --- the award's PDF page -----------------------------------------------------------------


def _pdf_url(award: Award) -> str:
    return f"/awards/awards/{award.pk}/certificate.pdf"


def test_committee_staff_download_the_certificate_made_on_demand(
    client, tree, decision, committee_staff, media
):
    award = make_award(decision, person=huong(tree.own))
    client.force_login(committee_staff)
    response = client.get(_pdf_url(award))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    text, _image, _size, _pages = _page_text_and_image(body)
    assert HUONG in text
    award.refresh_from_db()
    assert award.certificate.name  # made once, served from storage afterwards


def test_the_person_commended_downloads_their_own_certificate(client, tree, decision, media):
    account = UserFactory(username="huong")
    person = huong(tree.own)
    person.account = account
    person.save()
    award = make_award(decision, person=person)
    other = make_award(decision, person=PersonFactory(organization=tree.own))
    client.force_login(account)
    assert client.get(_pdf_url(award)).status_code == 200
    assert client.get(_pdf_url(other)).status_code == 404


def test_the_certificate_is_refused_outside_the_grant(
    client, tree, base_secretary, outsider, media
):
    decision = make_decision(tree.root)
    award = make_award(decision, person=huong(tree.own))
    client.force_login(base_secretary)  # staff of a suborganization
    assert client.get(_pdf_url(award)).status_code == 404
    client.force_login(outsider)
    assert client.get(_pdf_url(award)).status_code == 404
    client.logout()
    response = client.get(_pdf_url(award))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_no_certificate_for_a_draft_decision(client, tree, committee_staff, media):
    draft = make_decision(tree.root, status=DecisionStatus.DRAFT, symbol="", date=None)
    award = make_award(draft, person=huong(tree.own))
    client.force_login(committee_staff)
    assert client.get(_pdf_url(award)).status_code == 404


def test_a_reader_of_the_issuing_organization_may_download(client, tree, decision, media):
    reader = UserFactory(username="reader")
    grant(reader, Role.READ_ONLY, tree.root)
    award = make_award(decision, person=huong(tree.own))
    client.force_login(reader)
    response = client.get(_pdf_url(award))
    assert response.status_code == 200
    assert io.BytesIO(b"".join(response.streaming_content)).read(4) == b"%PDF"
