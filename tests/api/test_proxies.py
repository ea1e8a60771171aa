"""The client address comes from the socket unless NUM_PROXIES trusts that many proxies.

Found by an attacker: 60 sign-ins, each with another X-Forwarded-For, were never throttled.
"""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, n, **headers):
    return client.post("/v1/auth/signin", {"email": f"guess{n}@example.com", "password": "Wrong-123!"}, **headers)


def test_a_forged_x_forwarded_for_does_not_escape_the_per_address_throttle(api_client, settings):
    settings.NUM_PROXIES = 0
    answers = [sign_in(api_client, n, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(31)]
    assert answers[:30] == [401] * 30
    assert answers[30] == 429


def test_behind_one_proxy_the_address_it_appended_is_the_client(api_client, settings):
    settings.NUM_PROXIES = 1
    # The client may write anything first; the proxy appends the address it saw last.
    for n in range(30):
        assert sign_in(api_client, n, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.7").status_code == 401
    assert sign_in(api_client, 99, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7").status_code == 429
    # Another client behind the same proxy has a budget of its own.
    assert sign_in(api_client, 100, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 401


def test_the_access_log_names_the_client_address_the_throttles_count(api_client, settings, caplog):
    settings.NUM_PROXIES = 1
    UserFactory()
    with caplog.at_level("INFO", logger="hustmusik.access"):
        api_client.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9")
    assert [record.client for record in caplog.records if record.name == "hustmusik.access"] == ["198.51.100.9"]
