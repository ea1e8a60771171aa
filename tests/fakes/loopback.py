"""The part every fake peer shares: an HTTP server on a free loopback port, in a thread."""

import threading
from http.server import ThreadingHTTPServer


class LoopbackServer:
    """Serve `handler_class` on 127.0.0.1 while the `with` block runs; subclasses define `_handler()`."""

    def _start_server(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"
