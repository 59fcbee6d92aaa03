"""People in a real browser: decomposed input, diacritic-free search, Vietnamese order,
double submits and the Content Security Policy.

Elements are found by id, name and role, never by translated text (the translations change).
"""

import re
import unicodedata

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lantoa.orgs.models import Person, PersonPrivate
from tests.factories import PASSWORD, PersonFactory

# The live server needs committed data, so each test ends with a flush (TRUNCATE). On
# PostgreSQL a plain TRUNCATE fails: django-auditlog's own migrations create the unused
# auditlog_logentry table even with AUDITLOG_LOGENTRY_MODEL set (jazzband/django-auditlog#804),
# and its foreign key to auth_user blocks it. With available_apps Django flushes with CASCADE.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS)),
]

SAVE = "form[data-once] button[type=submit]"
SEARCH = "form[role=search] button[type=submit]"
PERSON_URL = re.compile(r"/people/(\d+)/$")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def names_in_table(page) -> list[str]:
    return page.locator("#people tbody tr td:first-child").all_inner_texts()


def fill_new_person(page, org, family="Nguyễn", middle="Văn", given="Đức") -> None:
    page.goto("/people/new/")
    page.fill("#id_family_name", family)
    page.fill("#id_middle_name", middle)
    page.fill("#id_given_name", given)
    page.select_option("#id_organization", str(org.pk))


def test_add_search_and_sort_people_in_vietnamese(page, browser, live_server, tree, base_secretary):
    # Already in the organization, in no particular order (given, middle, family decide).
    for family, middle, given in [
        ("Đỗ", "Minh", "Đạt"),
        ("Phạm", "Văn", "An"),
        ("Trần", "Minh", "Đức"),
        ("Huỳnh", "Ngọc", "Dũng"),
        ("Trần", "Thị", "Ánh"),
        ("Lê", "Văn", "An"),
    ]:
        PersonFactory(
            family_name=family, middle_name=middle, given_name=given, organization=tree.own_cell
        )
    # The same name outside the secretary's subtree must stay out of her results.
    PersonFactory(
        family_name="Nguyễn", middle_name="Văn", given_name="Đức", organization=tree.other_cell
    )

    # Vietnamese is the default language, even for a browser asking for one we lack.
    french = browser.new_context(base_url=live_server.url, locale="fr-FR")
    try:
        other = french.new_page()
        other.goto("/accounts/login/")
        expect(other.locator("html")).to_have_attribute("lang", "vi")
    finally:
        french.close()

    # Log in through the form.
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.locator("label[for=id_username]")).to_be_visible()
    expect(page.locator("main form button[type=submit]")).to_be_visible()
    page.fill("#id_username", base_secretary.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url

    # Add a person whose name arrives decomposed (as from macOS or some input methods).
    page.goto("/people/new/")
    page.locator("#id_family_name").press_sequentially(nfd("Nguyễn"))
    page.fill("#id_middle_name", nfd("Văn"))
    page.locator("#id_given_name").click()
    page.keyboard.type(nfd("Đức"))
    assert page.input_value("#id_family_name") == nfd("Nguyễn") != "Nguyễn"
    assert page.input_value("#id_given_name") == nfd("Đức")
    page.select_option("#id_organization", str(tree.own_cell.pk))
    with page.expect_navigation():
        page.click(SAVE)
    assert PERSON_URL.search(page.url), f"not on a person page after saving: {page.url}"

    # Stored composed (NFC), with its keys.
    person = Person.objects.get(pk=int(PERSON_URL.search(page.url).group(1)))
    assert (person.family_name, person.middle_name, person.given_name) == ("Nguyễn", "Văn", "Đức")
    assert person.full_name == unicodedata.normalize("NFC", person.full_name)
    assert person.organization_id == tree.own_cell.pk
    assert person.search_key == "nguyen van duc"

    # Found without diacritics, shown composed.
    page.goto("/people/")
    page.fill("#q", "nguyen van duc")
    with page.expect_navigation():
        page.click(SEARCH)
    assert "q=nguyen+van+duc" in page.url
    assert names_in_table(page) == ["Nguyễn Văn Đức"]

    # Vietnamese order: given name (An < Ánh < Dũng < Đạt < Đức), then middle, then family.
    page.goto(f"/people/?org={tree.own.pk}")
    assert names_in_table(page) == [
        "Lê Văn An",
        "Phạm Văn An",
        "Trần Thị Ánh",
        "Huỳnh Ngọc Dũng",
        "Đỗ Minh Đạt",
        "Trần Minh Đức",
        "Nguyễn Văn Đức",
    ]


def test_double_click_on_save_creates_one_person(page, login, tree, base_secretary):
    login(base_secretary)
    fill_new_person(page, tree.own_cell, given="Hòa")
    page.dblclick(SAVE)
    page.wait_for_url(PERSON_URL)
    page.wait_for_load_state("load")
    assert Person.objects.filter(given_name="Hòa").count() == 1
    assert Person.objects.count() == 1


def test_the_same_form_sent_twice_creates_one_person(page, login, tree, base_secretary):
    """Past the page's script (a slow network, a resent request): the server's token holds."""
    login(base_secretary)
    fill_new_person(page, tree.own_cell, given="Bình")
    final_urls = page.evaluate(
        """async () => {
            const form = document.querySelector("form[data-once]");
            const urls = [];
            for (let i = 0; i < 2; i++) {
                const response = await fetch(form.action || location.href, {
                    method: "POST", body: new FormData(form), credentials: "same-origin",
                });
                urls.push(response.url);
            }
            return urls;
        }"""
    )
    person = Person.objects.get(given_name="Bình")
    assert Person.objects.count() == 1
    assert [PERSON_URL.search(url).group(1) for url in final_urls] == [str(person.pk)] * 2


def test_pages_keep_to_the_content_security_policy(page, console, login, tree, base_secretary):
    person = PersonFactory(
        family_name="Võ", middle_name="Thị", given_name="Sáu", organization=tree.own_cell
    )
    PersonPrivate.objects.create(
        person=person, citizen_id="079123456789", phone="0912345678", email="vo.sau@example.vn"
    )
    login(base_secretary)
    for url in ("/", "/orgs/", "/people/", f"/people/{person.pk}/"):
        response = page.goto(url)
        assert response.ok, f"{url} answered {response.status}"
        page.wait_for_load_state("load")
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy

    # The full private data is not on the page until asked for.
    expect(page.locator("#private-data")).not_to_contain_text("079123456789")
    button = page.locator(f'#private-data button[hx-get="/people/{person.pk}/private/"]')
    with page.expect_response(f"**/people/{person.pk}/private/"):
        button.click()
    expect(page.locator("#private-data")).to_contain_text("079123456789")
    expect(page.locator("#private-data")).to_contain_text("0912345678")
    expect(page.locator("#private-data")).to_contain_text("vo.sau@example.vn")

    assert console.csp_violations() == []
    assert console.errors == []
