"""Logging in: Vietnamese pages, strong passwords, lockout after repeated failures."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


def test_login_page_is_in_vietnamese(client, db):
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body


def test_login_with_the_right_password_reaches_home(client, db):
    UserFactory(username="canbo")
    response = client.post(reverse("login"), {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("password", ["ngắn-quá", "password1234", "123456789012"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("Lan-Tỏa chi bộ số 7 năm 2026")


def test_repeated_failures_lock_the_account(client, db):
    UserFactory(username="canbo")
    for _ in range(5):
        client.post(reverse("login"), {"username": "canbo", "password": "sai-mật-khẩu-rồi"})
    response = client.post(reverse("login"), {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 429
    assert "bị khóa" in response.content.decode() or "khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_pages_are_vietnamese_even_for_an_english_browser_until_english_is_chosen(client, db):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in body and "Đăng nhập" in body
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in body and "Log in" in body
