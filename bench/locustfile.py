"""The mixed workload of `make load`: listeners browsing, searching, streaming and collecting.

Each listener signs in when it starts and again now and then (about once a minute): password
hashing is deliberately slow, and a sign-in storm would measure PBKDF2 rather than the API.

Accounts `load<N>@bench.hustmusik.vn` (password LOAD_PASSWORD) and their playlists are made
by bench/load.py before the run; LOAD_SONGS and LOAD_TERMS come from the environment.
"""

import os
import random

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "Load-Test-2025!")
ACCOUNTS = int(os.environ.get("LOAD_ACCOUNTS", "50"))
SONGS = os.environ.get("LOAD_SONGS", "").split(",")
TERMS = os.environ.get("LOAD_TERMS", "anh,em,mua,yeu").split(",")


class Listener(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        self.account = random.randrange(ACCOUNTS)
        self.playlist = None
        self.sign_in()

    def sign_in(self):
        answer = self.client.post(
            "/v1/auth/signin", json={"email": f"load{self.account}@bench.hustmusik.vn", "password": PASSWORD},
            name="/v1/auth/signin",
        ).json()
        self.auth = {"Authorization": f"Bearer {answer['session']['access_token']}"}

    @task(24)
    def browse_songs(self):
        self.client.get(f"/v1/song?limit=20&page={random.randint(1, 50)}", name="/v1/song")

    @task(20)
    def song_detail(self):
        self.client.get(f"/v1/song/{random.choice(SONGS)}", name="/v1/song/{id}")

    @task(16)
    def search(self):
        self.client.get(f"/v1/search/{random.choice(TERMS)}/songs", name="/v1/search/{term}/songs")

    @task(12)
    def stream(self):
        self.client.get(f"/v1/song/{random.choice(SONGS)}/presigned/stream", name="/v1/song/{id}/presigned/stream")

    @task(8)
    def listen(self):
        self.client.post(f"/v1/user/me/history/{random.choice(SONGS)}", headers=self.auth, name="/v1/user/me/history/{id}")

    @task(4)
    def my_playlists(self):
        answer = self.client.get("/v1/user/me/playlists", headers=self.auth, name="/v1/user/me/playlists").json()
        self.playlist = answer["data"][0]["id"]

    @task(4)
    def add_to_playlist(self):
        if self.playlist is None:
            return self.my_playlists()
        self.client.post(f"/v1/collection/{self.playlist}/songs/{random.choice(SONGS)}", headers=self.auth,
                         name="/v1/collection/{id}/songs/{song_id}")

    @task(1)
    def sign_in_again(self):
        self.sign_in()
