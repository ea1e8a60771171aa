"""Swagger UI works offline: it loads with no outside request, takes a token and calls /v1/user/me."""

import pytest

from tests.browser.conftest import screenshot
from tests.factories import UserFactory
from users.tokens import issue_session

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_authorize_and_try_it_out(page, live_server):
    user = UserFactory(email="swagger.fan@example.com")
    token = issue_session(user)["access_token"]
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/v1/docs/")
    page.wait_for_selector("text=Hust Musik API")
    outside = [url for url in requested if not url.startswith((live_server.url, "data:", "blob:"))]
    assert not outside, outside

    page.click("button.authorize")
    page.fill(".modal-ux input", token)
    page.click(".modal-ux button.authorize")
    page.click(".modal-ux button.btn-done")

    operation = page.locator("#operations-user-user_me_retrieve")
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    body = operation.locator(".live-responses-table .response-col_description pre").first
    body.wait_for()
    assert "swagger.fan@example.com" in body.inner_text()
    assert screenshot(page, "swagger-user-me").exists()
