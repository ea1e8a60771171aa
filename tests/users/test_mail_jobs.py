"""Account mail goes through the job worker and a real SMTP server on loopback: a mail server that
is down or slow never changes an answer, and its mail arrives once it is back, once."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from procrastinate.contrib.django.models import ProcrastinateJob

from tests.factories import UserFactory
from tests.helpers import count_queries
from tests.users.helpers import STRONG
from tests.worker import wait_until


def job_states(task_suffix: str) -> list[tuple[str, int]]:
    return list(ProcrastinateJob.objects.filter(task_name__endswith=task_suffix).values_list("status", "attempts"))


def test_sign_up_while_the_mail_server_is_down_answers_200_and_mails_once_it_is_back(api_client, jobs, smtp_server):
    jobs.start()  # the server is down: nothing listens on its port yet
    response = api_client.post("/v1/auth/signup", {"email": "khanh.linh@example.com", "password": STRONG})
    assert response.status_code == 200, response.json()

    # The worker tried, failed to connect, and put the mail back in the queue for later.
    wait_until(lambda: job_states("send_email_confirmation") == [("todo", 1)], timeout=20, what="a failed attempt")
    assert smtp_server.messages == []

    smtp_server.start()
    message = smtp_server.wait_for_message_to("khanh.linh@example.com", timeout=30)
    assert re.search(r"http://localhost:3000/verify-email\?key=\S+", smtp_server.text_of(message))
    wait_until(lambda: job_states("send_email_confirmation") == [("succeeded", 2)], timeout=10, what="the job done")
    assert len(smtp_server.messages_to("khanh.linh@example.com")) == 1


def test_forgot_password_answers_fast_and_alike_with_a_slow_mail_server_and_its_link_works_once(
    api_client, jobs, smtp_server
):
    smtp_server.delay_seconds = 5.0  # every message waits 5 s for its "250"
    smtp_server.start()
    jobs.start()
    user = UserFactory(email="minh.chau@example.com")

    def timed(email):
        started = time.perf_counter()
        response, queries = count_queries(lambda: api_client.post("/v1/auth/forgot-password", {"email": email}))
        return response, queries, time.perf_counter() - started

    known, known_queries, known_seconds = timed(user.email)
    unknown, unknown_queries, unknown_seconds = timed("nobody.here@example.com")
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    # The same work either way (queue one job, look nothing up), so nothing to tell them apart by...
    assert known_queries == unknown_queries
    # ...and neither waits on the mail server.
    assert known_seconds < 0.5 and unknown_seconds < 0.5, (known_seconds, unknown_seconds)

    message = smtp_server.wait_for_message_to(user.email, timeout=30)
    link = re.search(r"http://localhost:3000/new-password\?\S+", smtp_server.text_of(message)).group(0)
    query = {name: values[0] for name, values in parse_qs(urlsplit(link).query).items()}
    assert set(query) == {"token", "user"}

    reset = api_client.post("/v1/auth/reset-password", {"token": query["token"], "password": "Reset-Pass-2025"})
    assert reset.status_code == 200
    assert api_client.post("/v1/auth/signin", {"email": user.email, "password": "Reset-Pass-2025"}).status_code == 200
    again = api_client.post("/v1/auth/reset-password", {"token": query["token"], "password": "Other-Pass-2025"})
    assert again.status_code == 400 and again.json()["code"] == "invalid_token"
    assert smtp_server.messages_to("nobody.here@example.com") == []


def test_a_mail_that_keeps_failing_ends_as_a_failed_job_that_staff_can_retry(
    api_client, jobs, smtp_server, settings, client_as
):
    settings.MAIL_MAX_RETRIES, settings.MAIL_RETRY_BACKOFF_SECONDS = 3, 0
    UserFactory(email="lost.mail@example.com")
    jobs.start()
    assert api_client.post("/v1/auth/forgot-password", {"email": "lost.mail@example.com"}).status_code == 200
    wait_until(lambda: job_states("send_password_reset") == [("failed", 4)], timeout=20, what="the mail given up")

    # The admin lists the failed job and retries it once the server is back.
    from django.test import Client

    from users.models import Role

    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(admin)
    listing = browser.get("/admin/procrastinate/procrastinatejob/?status__exact=failed")
    assert listing.status_code == 200 and "send_password_reset" in listing.content.decode()
    smtp_server.start()
    job = ProcrastinateJob.objects.get(task_name__endswith="send_password_reset")
    browser.post("/admin/procrastinate/procrastinatejob/", {"action": "retry", "_selected_action": [job.pk]})
    smtp_server.wait_for_message_to("lost.mail@example.com", timeout=20)
    wait_until(lambda: job_states("send_password_reset")[0][0] == "succeeded", timeout=10, what="the retried job")
    assert len(smtp_server.messages_to("lost.mail@example.com")) == 1


@pytest.mark.parametrize("path", ["/v1/auth/forgot-password", "/v1/user/forgot-password/"])
def test_forgot_password_only_queues_a_job(api_client, path, jobs):
    UserFactory(email="queued@example.com")
    assert api_client.post(path, {"email": "queued@example.com"}).status_code == 200
    assert job_states("mail_password_reset_links") == [("todo", 0)]
