"""Cache and throttle counters in the real Redis, when REDIS_URL names one."""

import pytest
from django.conf import settings
from django.core.cache import cache

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set; CI runs this against the machine's Redis"),
]


def test_the_cache_is_redis():
    import redis

    cache.set("hustmusik-probe", "ok", 30)
    assert cache.get("hustmusik-probe") == "ok"
    keys = redis.Redis.from_url(settings.REDIS_URL).keys("*hustmusik-probe*")
    assert keys


@pytest.mark.urls("tests.api.urls")
def test_throttle_counters_live_in_redis(api_client):
    import redis

    for _ in range(3):
        response = api_client.post("/v1/account/knock", {})
    assert response.status_code == 429
    assert redis.Redis.from_url(settings.REDIS_URL).keys("*throttle_auth_ip*")
