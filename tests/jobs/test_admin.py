"""The admin's view of the job queue: jobs by status (Procrastinate's pages) and the schedule."""

from tests.worker import wait_until
from users.models import User


def test_the_schedule_page_lists_every_scheduled_job_and_its_last_run(client, jobs):
    root = User.objects.create_superuser(email="root@example.com", password="S3cret!pass")
    client.force_login(root)

    page = client.get("/admin/jobs/scheduledjob/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in (
        "catalog.tasks.fold_plays",
        "payments.tasks.reconcile_orders",
        "jobs.tasks.retry_stalled_jobs",
        "catalog.tasks.purge_abandoned_uploads",
        "search.tasks.refresh_search_terms",
    ):
        assert name in html
    assert "<code>* * * * *</code>" in html and "never" in html

    jobs.start(schedule=True)
    wait_until(
        lambda: "succeeded" in client.get("/admin/jobs/scheduledjob/").content.decode(),
        timeout=30,
        what="a scheduled run shown",
    )

    listing = client.get("/admin/procrastinate/procrastinatejob/?status__exact=succeeded")
    assert listing.status_code == 200 and "fold_plays" in listing.content.decode()


def test_the_schedule_is_for_staff_only(client, jobs, user):
    assert client.get("/admin/jobs/scheduledjob/").status_code == 302  # to the admin's sign-in
    client.force_login(user)
    assert client.get("/admin/jobs/scheduledjob/").status_code in (302, 403)
