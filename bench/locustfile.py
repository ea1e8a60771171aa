"""The mixed workload of `make load`: listeners browsing, searching, streaming and collecting.

Each listener signs in when it starts and again now and then (about once a minute): password
hashing is deliberately slow, and a sign-in storm would measure password hashing rather than the API.

Accounts `load<N>@bench.hustmusik.vn` (password LOAD_PASSWORD) and their playlists are made
by bench/load.py before the run; LOAD_SONGS and LOAD_TERMS come from the environment.

With LOAD_JOURNAL set (the fault run), every answer is journaled there when the run ends:
status counts, the answers that were not 2xx (for the 503-JSON check), each write that was
answered 2xx (for the "nothing answered is lost" check), and each request answered 2xx that
must cause a mail (for the "every mail once" check).

With LOAD_MAIL set to a domain (the fault run), listeners also cause mail: now and then one signs
up a new account `<random>@<domain>` (a verification mail) and asks a password reset for it,
once (a reset mail).
"""

import json
import os
import random
import time
import uuid
from collections import Counter

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "Load-Test-2025!")
ACCOUNTS = int(os.environ.get("LOAD_ACCOUNTS", "50"))
SONGS = os.environ.get("LOAD_SONGS", "").split(",")
TERMS = os.environ.get("LOAD_TERMS", "anh,em,mua,yeu").split(",")
JOURNAL = os.environ.get("LOAD_JOURNAL", "")
MAIL_DOMAIN = os.environ.get("LOAD_MAIL", "")  # set: listeners sign up accounts there and ask resets
# A request still unanswered after this long counts as a hang (a failure), not as slow.
TIMEOUT_SECONDS = 15

statuses: Counter = Counter()
refusals: list = []  # answers that were not 2xx: time, endpoint, status, content type, error code
answered_writes: list = []  # writes answered 2xx: {"kind", "account", "playlist", "song"}
mails_due: list = []  # requests answered 2xx that must cause a mail: {"kind", "email"}


@events.request.add_listener
def journal_answer(request_type, name, response, exception, **_):
    if not JOURNAL:
        return
    status = getattr(response, "status_code", 0) or 0  # 0: no answer at all (refused, reset or timed out)
    statuses[str(status or type(exception).__name__)] += 1
    if not 200 <= status < 300:
        body = {}
        if "json" in (getattr(response, "headers", None) or {}).get("Content-Type", ""):
            try:
                body = response.json()
            except ValueError:
                pass
        refusals.append(
            {
                "at": time.time(),
                "endpoint": f"{request_type} {name}",
                "status": status,
                "json": bool(body),
                "code": body.get("code") if isinstance(body, dict) else None,
                "exception": type(exception).__name__ if exception else None,
            }
        )


@events.quitting.add_listener
def write_journal(**_):
    if JOURNAL:
        with open(JOURNAL, "w") as handle:
            json.dump(
                {"statuses": statuses, "refusals": refusals, "writes": answered_writes, "mails": mails_due}, handle
            )


class Listener(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        self.account = random.randrange(ACCOUNTS)
        self.playlist = None
        self.auth = {}
        self.sign_in()

    def get(self, path, name, **kwargs):
        return self.client.get(path, name=name, timeout=TIMEOUT_SECONDS, **kwargs)

    def post(self, path, name, **kwargs):
        return self.client.post(path, name=name, timeout=TIMEOUT_SECONDS, **kwargs)

    def sign_in(self):
        answer = self.post(
            "/v1/auth/signin",
            "/v1/auth/signin",
            json={"email": f"load{self.account}@bench.hustmusik.vn", "password": PASSWORD},
        )
        if answer.status_code == 200:
            self.auth = {"Authorization": f"Bearer {answer.json()['session']['access_token']}"}

    @task(24)
    def browse_songs(self):
        self.get(f"/v1/song?limit=20&page={random.randint(1, 50)}", "/v1/song")

    @task(20)
    def song_detail(self):
        self.get(f"/v1/song/{random.choice(SONGS)}", "/v1/song/{id}")

    @task(16)
    def search(self):
        self.get(f"/v1/search/{random.choice(TERMS)}/songs", "/v1/search/{term}/songs")

    @task(12)
    def stream(self):
        self.get(f"/v1/song/{random.choice(SONGS)}/presigned/stream", "/v1/song/{id}/presigned/stream")

    @task(8)
    def listen(self):
        if not self.auth:
            return self.sign_in()
        song = random.choice(SONGS)
        answer = self.post(f"/v1/user/me/history/{song}", "/v1/user/me/history/{id}", headers=self.auth)
        if answer.ok:
            answered_writes.append({"kind": "history", "account": self.account, "song": song})

    @task(4)
    def my_playlists(self):
        if not self.auth:
            return self.sign_in()
        answer = self.get("/v1/user/me/playlists", "/v1/user/me/playlists", headers=self.auth)
        if answer.status_code == 200:
            self.playlist = answer.json()["data"][0]["id"]

    @task(4)
    def add_to_playlist(self):
        if self.playlist is None:
            return self.my_playlists()
        song = random.choice(SONGS)
        answer = self.post(
            f"/v1/collection/{self.playlist}/songs/{song}", "/v1/collection/{id}/songs/{song_id}", headers=self.auth
        )
        if answer.ok:
            answered_writes.append({"kind": "playlist", "playlist": self.playlist, "song": song})

    @task(1)
    def sign_in_again(self):
        self.sign_in()

    if MAIL_DOMAIN:

        @task(1)
        def sign_up_and_reset(self):
            """A new account (a verification mail), then a password reset asked for it once (a reset mail)."""
            email = f"{uuid.uuid4().hex[:16]}@{MAIL_DOMAIN}"
            answer = self.post("/v1/auth/signup", "/v1/auth/signup", json={"email": email, "password": PASSWORD})
            if not answer.ok:
                return
            mails_due.append({"kind": "verification", "email": email})
            answer = self.post("/v1/auth/forgot-password", "/v1/auth/forgot-password", json={"email": email})
            if answer.ok:
                mails_due.append({"kind": "reset", "email": email})
