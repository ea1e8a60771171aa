"""A page on another origin calls the API from a real browser, the way the web client does:
`Cache-Control: no-cache` (a preflighted header), `Bearer undefined` from an unreadable cookie."""

import json
from http.server import BaseHTTPRequestHandler

import pytest

from tests.browser.conftest import screenshot
from tests.factories import SongFactory
from tests.fakes.loopback import LoopbackServer

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = """<!doctype html><meta charset="utf-8"><title>client</title><pre id="out">waiting</pre>
<script>
const api = new URLSearchParams(location.search).get("api");
fetch(api + "/v1/song/?limit=5", {headers: {"Cache-Control": "no-cache", "Authorization": "Bearer undefined"}})
  .then(async (response) => {
    const body = await response.json();
    document.getElementById("out").textContent = JSON.stringify(
      {status: response.status, requestId: response.headers.get("X-Request-ID"), body});
  })
  .catch((error) => { document.getElementById("out").textContent = "failed: " + error; });
</script>"""


class ClientPageServer(LoopbackServer):
    """Serves the page above, as a client app's origin would."""

    def __init__(self):
        self._start_server()

    def _handler(self):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = PAGE.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler


def test_a_page_on_another_origin_reads_the_api(page, live_server, settings):
    SongFactory(title="Hãy Trao Cho Anh")
    with ClientPageServer() as client_app:
        assert client_app.base_url != live_server.url  # another origin: 127.0.0.1 and another port
        settings.CORS_ALLOWED_ORIGINS = [client_app.base_url]
        page.goto(f"{client_app.base_url}/?api={live_server.url}")
        page.wait_for_function("document.getElementById('out').textContent !== 'waiting'")
        result = page.inner_text("#out")
        screenshot(page, "cross-origin-song-list")
    assert not result.startswith("failed"), result
    answer = json.loads(result)
    assert answer["status"] == 200 and answer["requestId"]  # an exposed header is readable
    assert [song["title"] for song in answer["body"]["data"]] == ["Hãy Trao Cho Anh"]


def test_an_origin_not_allowed_is_blocked_by_the_browser(page, live_server, settings):
    settings.CORS_ALLOWED_ORIGINS = ["http://somewhere-else.example"]
    with ClientPageServer() as client_app:
        page.goto(f"{client_app.base_url}/?api={live_server.url}")
        page.wait_for_function("document.getElementById('out').textContent !== 'waiting'")
        assert page.inner_text("#out").startswith("failed")
