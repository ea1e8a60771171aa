"""English by default, Vietnamese on `Accept-Language: vi`: the same answers, the sentences translated,
the codes and field names unchanged; caches keep the two apart."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from hustmusik.caching import versioned_answer
from tests.factories import SongFactory

pytestmark = pytest.mark.django_db

TEST_URLS = "tests.api.urls"
VIETNAMESE_BROWSERS = ["vi", "vi-VN", "vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"]


def in_language(client, method: str, path: str, language: str | None, **kwargs):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    return getattr(client, method)(path, **kwargs, **headers)


def same_but_the_sentence(english, vietnamese) -> tuple[dict, dict]:
    """Both answers, once checked equal in everything but the `error` sentence(s)."""
    assert english.status_code == vietnamese.status_code
    en, vi = english.json(), vietnamese.json()
    assert en["code"] == vi["code"] and en.keys() == vi.keys()
    assert set(en.get("fields", {})) == set(vi.get("fields", {}))
    assert en["error"] != vi["error"]
    return en, vi


@pytest.mark.parametrize("accept_language", VIETNAMESE_BROWSERS)
def test_an_error_in_vietnamese_differs_from_english_only_in_its_sentence(api_client, accept_language):
    path = f"/v1/song/{uuid.uuid4()}"
    en, vi = same_but_the_sentence(
        in_language(api_client, "get", path, "en"), in_language(api_client, "get", path, accept_language)
    )
    assert (en["code"], en["error"]) == ("not_found", "Song not found.")
    assert vi["error"] == "Không tìm thấy bài hát."


@pytest.mark.parametrize("accept_language", [None, "en-US", "fr-FR,fr;q=0.9", "*"])
def test_english_is_the_default(api_client, accept_language):
    answer = in_language(api_client, "get", f"/v1/song/{uuid.uuid4()}", accept_language)
    assert answer.json()["error"] == "Song not found." and answer["Content-Language"] == "en"


def test_a_validation_error_in_vietnamese_is_vietnamese_down_to_each_field(api_client):
    body = {"email": "khong-phai-email", "password": "abc"}
    en, vi = same_but_the_sentence(
        in_language(api_client, "post", "/v1/auth/signup", "en", data=body),
        in_language(api_client, "post", "/v1/auth/signup", "vi-VN", data=body),
    )
    assert en["code"] == "validation_error" and set(vi["fields"]) == {"email"}
    assert vi["error"] == "Giá trị không hợp lệ cho email: Nhập một địa chỉ email hợp lệ."
    assert en["error"] == "Invalid value for email: Enter a valid email address."


def test_every_password_rule_speaks_vietnamese(api_client):
    answer = in_language(
        api_client, "post", "/v1/auth/signup", "vi", data={"email": "lan.anh@example.com", "password": "kqzv"}
    )
    assert answer.status_code == 400 and answer.json()["code"] == "validation_error"
    assert answer.json()["fields"]["password"] == [
        "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 8 ký tự.",  # Django's own
        "Mật khẩu này phải có ít nhất một chữ cái viết hoa.",  # the project's
        "Mật khẩu này phải có ít nhất một chữ số.",
        "Mật khẩu này phải có ít nhất một ký tự không phải chữ cái hay chữ số.",
    ]


def test_drf_own_messages_are_vietnamese_too(api_client):
    en, vi = same_but_the_sentence(
        in_language(api_client, "post", "/v1/auth/signin", "en", data={}),
        in_language(api_client, "post", "/v1/auth/signin", "vi", data={}),
    )
    assert en["fields"] == {"email": ["This field is required."], "password": ["This field is required."]}
    assert vi["fields"] == {"email": ["Trường này là bắt buộc."], "password": ["Trường này là bắt buộc."]}


def test_a_signed_out_write_and_a_bad_token_are_refused_in_vietnamese(api_client):
    refused = in_language(api_client, "post", "/v1/song", "vi", data={"title": "Mưa"})
    assert refused.status_code == 401 and refused.json()["code"] == "not_authenticated"
    assert refused.json()["error"] == "Chưa cung cấp thông tin xác thực."

    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")
    bad_token = in_language(api_client, "get", "/v1/user/me", "vi")
    assert bad_token.status_code == 401 and bad_token.json()["code"] == "token_not_valid"
    assert bad_token.json()["error"] == "Token không hợp lệ với bất kỳ loại token nào"


def test_a_request_refused_before_any_view_is_refused_in_its_language(api_client):
    en, vi = same_but_the_sentence(
        in_language(api_client, "get", "/v1/song?search=%FF", "en"),
        in_language(api_client, "get", "/v1/song?search=%FF", "vi"),
    )
    assert en["code"] == "invalid_encoding"
    assert vi["error"] == "Chuỗi truy vấn không phải là văn bản UTF-8 hợp lệ, hoặc có chứa ký tự NUL."


def test_success_messages_are_translated(api_client):
    answer = in_language(api_client, "post", "/v1/auth/forgot-password", "vi", data={"email": "ai@example.com"})
    assert answer.status_code == 200
    assert answer.json() == {
        "message": "Nếu có tài khoản dùng email này, một liên kết đặt lại mật khẩu đang được gửi tới."
    }


def test_answers_name_their_language_and_vary_on_it(api_client):
    SongFactory(title="Bài Ca")
    for language, expected in (("vi-VN", "vi"), ("en", "en")):
        answer = in_language(api_client, "get", "/v1/song", language)
        assert answer.status_code == 200 and answer["Content-Language"] == expected
        # Shared caches (a CDN, a proxy) keep one answer per language.
        assert "Accept-Language" in answer["Vary"]
        not_modified = in_language(api_client, "get", "/v1/song", language, HTTP_IF_NONE_MATCH=answer["ETag"])
        assert not_modified.status_code == 304 and "Accept-Language" in not_modified["Vary"]


@pytest.mark.urls(TEST_URLS)
def test_an_answer_whose_words_depend_on_the_language_is_never_a_304_of_the_other_language(api_client):
    english = in_language(api_client, "get", "/v1/account/translated", "en")
    assert english.json() == {"message": "Email verified"}
    vietnamese = in_language(api_client, "get", "/v1/account/translated", "vi", HTTP_IF_NONE_MATCH=english["ETag"])
    assert vietnamese.status_code == 200 and vietnamese.json() == {"message": "Đã xác minh email"}
    again = in_language(api_client, "get", "/v1/account/translated", "vi", HTTP_IF_NONE_MATCH=vietnamese["ETag"])
    assert again.status_code == 304


@pytest.mark.urls(TEST_URLS)
def test_too_many_requests_in_vietnamese(api_client):
    for _attempt in range(2):
        in_language(api_client, "post", "/v1/account/knock", "vi")
    en, vi = same_but_the_sentence(
        in_language(api_client, "post", "/v1/account/knock", "en"),
        in_language(api_client, "post", "/v1/account/knock", "vi"),
    )
    assert en["code"] == "throttled" and en["retryAfter"] == vi["retryAfter"]
    assert vi["error"] == f"Quá nhiều yêu cầu. Hãy thử lại sau {vi['retryAfter']} giây."


def test_cached_answers_are_kept_per_language(rf, settings):
    settings.CATALOGUE_CACHE = True
    request = rf.get("/v1/song")
    request.user = AnonymousUser()
    answers = []
    for language in ("en", "vi", "en"):
        with translation.override(language):
            answers.append(versioned_answer(request, ("test",), lambda: {"language": translation.get_language()}))
    assert answers == [{"language": "en"}, {"language": "vi"}, {"language": "en"}]
