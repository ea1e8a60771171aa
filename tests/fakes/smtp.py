"""A real SMTP server on loopback (aiosmtpd), which a test can stop, slow down and start again.

Unlike the HTTP fakes (`loopback.py`), it keeps its port across a stop and a start, as a
mail server that goes down and comes back does; every message it accepted is in `messages`.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FakeSMTPServer:
    def __init__(self, *, delay_seconds: float = 0.0, recipient_delay_seconds: float = 0.0):
        self.host = "127.0.0.1"
        self.port = free_port()
        self.delay_seconds = delay_seconds  # how long each message waits before its "250 OK"
        # How long each recipient waits before it is accepted: a client that dies meanwhile has
        # not handed the message over yet.
        self.recipient_delay_seconds = recipient_delay_seconds
        self.messages: list[EmailMessage] = []
        # Clients held by the recipient delay, by their address: (host, port) -> (recipient, since when).
        self.waiting_clients: dict[tuple[str, int], tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    # aiosmtpd handler hooks: a recipient, then one accepted message.
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.recipient_delay_seconds:
            client = tuple(session.peer[:2])
            with self._lock:
                self.waiting_clients[client] = (address, time.monotonic())
            try:
                await asyncio.sleep(self.recipient_delay_seconds)
            finally:
                with self._lock:
                    self.waiting_clients.pop(client, None)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def start(self) -> FakeSMTPServer:
        self._controller = Controller(self, hostname=self.host, port=self.port, ready_timeout=10)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def received(self) -> list[EmailMessage]:
        with self._lock:
            return list(self.messages)

    def clients_waiting(self) -> dict[tuple[str, int], tuple[str, float]]:
        """The clients held by the recipient delay now, their message not handed over yet:
        (host, port) -> (recipient, seconds left to wait)."""
        now = time.monotonic()
        with self._lock:
            return {
                client: (address, since + self.recipient_delay_seconds - now)
                for client, (address, since) in self.waiting_clients.items()
            }

    def messages_to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [message for message in self.messages if address in message["To"]]

    def wait_for_message_to(self, address: str, *, timeout: float) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while not (found := self.messages_to(address)):
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {address} within {timeout} s")
            time.sleep(0.05)
        return found[0]

    @staticmethod
    def text_of(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()
