"""The staff dashboard on the admin index: plays, new listeners and Premium revenue per day over
30 days, the week's top songs and the jobs waiting or failed, for staff who see the whole service."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from catalog.models import Song
from dashboard.selectors import DAYS, dashboard
from payments.models import OrderStatus
from tests.dashboard.helpers import accounts, local_day, order, plays
from tests.factories import ArtistFactory, SongFactory, UserFactory
from tests.helpers import assert_query_count
from users.models import Role, User

pytestmark = pytest.mark.django_db

DASHBOARD_QUERIES = 5  # plays per day, top songs, new accounts, revenue, jobs


@pytest.fixture
def staff_browser(client):
    client.force_login(User.objects.create_superuser(email="root@hustmusik.vn", password="S3cret!pass"))
    return client


def page_of(client, **headers) -> str:
    response = client.get("/admin/", **headers)
    assert response.status_code == 200
    return response.content.decode()


def column_title(html: str, chart: str, days_ago: int) -> str:
    """The <title> of a day's column in a chart: what a pointer or a screen reader gets."""
    svg = re.search(rf'<svg[^>]* id="chart-{chart}".*?</svg>', html, re.S).group(0)
    day = date_format(local_day(days_ago), "DATE_FORMAT")
    return re.search(rf"<title>({re.escape(day)}: [^<]*)</title>", svg).group(1)


def section(html: str, element_id: str) -> str:
    return re.search(rf'<div class="module[^"]*" id="{element_id}">.*?</div>', html, re.S).group(0)


def test_the_figures_per_day_count_folded_and_unfolded_plays_and_paid_orders_only(staff_browser):
    song = SongFactory()
    plays(song, days_ago=1, count=3)  # folded into the day's total
    plays(song, days_ago=0, count=2, fold=False)  # not folded yet: counted all the same
    plays(song, days_ago=DAYS, count=7)  # a day before the window
    accounts(days_ago=1, count=2)
    order(amount=99_000, paid_days_ago=1)
    order(amount=49_000, paid_days_ago=1)
    order(amount=1_000_000, status=OrderStatus.PENDING)
    order(amount=2_000_000, status=OrderStatus.FAILED)
    order(amount=5_000_000, paid_days_ago=DAYS)  # before the window

    html = page_of(staff_browser)

    assert column_title(html, "plays", 1).endswith(": 3 plays")
    assert column_title(html, "plays", 0).endswith(": 2 plays")
    assert column_title(html, "plays", 2).endswith(": 0 plays")  # a day without plays is a zero
    assert html.count('<g class="day') == 3 * DAYS  # a column for each day of each chart
    assert "<strong>5</strong> plays, 2 today" in html

    assert column_title(html, "new-listeners", 1).endswith(": 2 new accounts")
    assert column_title(html, "new-listeners", 0).endswith(": 1 new account")  # the staff member's own

    assert column_title(html, "revenue", 1).endswith(": 148,000 ₫")
    assert column_title(html, "revenue", 0).endswith(": 0 ₫")
    assert "<strong>148,000 ₫</strong> from 2 paid orders" in section(html, "dashboard-revenue")


def test_the_top_songs_of_the_week_are_ranked_by_their_plays_of_the_last_seven_days(staff_browser):
    artist = ArtistFactory(name="Hòa Minzy")
    steady = SongFactory(title="Bắc Bling", artists=[artist])
    rising = SongFactory(title="Mưa tháng sáu")
    old_hit = SongFactory(title="Hồng nhan")
    silent = SongFactory(title="Chưa ai nghe")
    plays(steady, days_ago=6, count=3)
    plays(steady, days_ago=0, count=2, fold=False)
    plays(rising, days_ago=0, count=4)
    plays(old_hit, days_ago=7, count=50)  # eight days ago: last week's, not this one's
    plays(old_hit, days_ago=1, count=1)
    tied = SongFactory(title="Anh ơi ở lại")
    plays(tied, days_ago=2, count=1)  # as many as "Hồng nhan": by title

    top = dashboard().top_songs
    assert [(song.title, song.plays) for song in top] == [
        ("Bắc Bling", 5),
        ("Mưa tháng sáu", 4),
        ("Anh ơi ở lại", 1),
        ("Hồng nhan", 1),
    ]
    assert top[0].artist == "Hòa Minzy"

    songs = section(page_of(staff_browser), "dashboard-top-songs")
    ranked = re.findall(r'<a href="/admin/catalog/song/([0-9a-f-]+)/change/">([^<]+)</a>', songs)
    assert [title for _, title in ranked] == ["Bắc Bling", "Mưa tháng sáu", "Anh ơi ở lại", "Hồng nhan"]
    assert ranked[0] == (str(steady.pk), "Bắc Bling")
    assert silent.title not in songs


def test_a_deleted_songs_plays_stay_in_the_days_totals(staff_browser):
    song = SongFactory()
    plays(song, days_ago=1, count=4)
    Song.objects.filter(pk=song.pk).delete()
    data = dashboard()
    assert data.plays[-2].value == 4 and data.top_songs == ()


def test_an_empty_service_shows_zeros_and_says_so(staff_browser):
    html = page_of(staff_browser)
    assert 'id="staff-dashboard"' in html
    assert column_title(html, "plays", 0).endswith(": 0 plays")
    assert column_title(html, "revenue", 5).endswith(": 0 ₫")
    assert "No plays in these days." in html and "No job is waiting or failed." in html
    assert "<strong>0 ₫</strong> from 0 paid orders" in html
    # The app list is still there, below.
    assert 'id="content-main"' in html and "/admin/catalog/song/" in html


def test_days_are_dates_in_the_projects_time_zone(settings, staff_browser):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"  # UTC+7
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    # 00:30 today in Hanoi is 17:30 yesterday in UTC: today's, not yesterday's.
    just_after_midnight = datetime.combine(timezone.localdate(), time(0, 30), tzinfo=timezone.get_default_timezone())
    UserFactory(created_at=just_after_midnight)
    UserFactory(created_at=just_after_midnight - timedelta(hours=1))  # 23:30 yesterday in Hanoi
    data = dashboard()
    assert data.new_listeners[-1].day == timezone.localdate()
    # today: the one above and the staff member signed in; yesterday: the other.
    assert (data.new_listeners[-2].value, data.new_listeners[-1].value) == (1, 2)


def test_the_dashboard_runs_the_same_few_queries_with_no_data_and_with_much(staff_browser):
    assert_query_count(dashboard, DASHBOARD_QUERIES)

    for index in range(12):
        song = SongFactory()
        for days_ago in range(0, DAYS, 3):
            plays(song, days_ago=days_ago, count=index + 1, fold=days_ago > 0)
    for days_ago in range(DAYS):
        accounts(days_ago=days_ago, count=2)
        order(amount=99_000, paid_days_ago=days_ago)
    from users.tasks import send_password_reset

    for _ in range(3):
        send_password_reset.defer(user_id="00000000-0000-0000-0000-000000000000")

    data = assert_query_count(dashboard, DASHBOARD_QUERIES)
    assert len(data.top_songs) == 10 and data.jobs.waiting == 3
    assert sum(point.value for point in data.revenue) == DAYS * 99_000


def test_the_index_serves_the_dashboard_from_the_cache_until_asked_for_fresh_figures(staff_browser):
    song = SongFactory()
    plays(song, days_ago=0, count=1)
    assert column_title(page_of(staff_browser), "plays", 0).endswith(": 1 play")

    plays(song, days_ago=0, count=1)
    with CaptureQueriesContext(connection) as cached:
        html = page_of(staff_browser)
    assert column_title(html, "plays", 0).endswith(": 1 play")  # as computed a moment ago
    assert not [query for query in cached.captured_queries if "catalog_dailyplays" in query["sql"]]

    fresh = page_of(staff_browser, HTTP_CACHE_CONTROL="max-age=0")  # a browser's reload
    assert column_title(fresh, "plays", 0).endswith(": 2 plays")


def test_only_staff_who_see_the_whole_service_get_the_dashboard(client):
    SongFactory()
    order(amount=99_000)
    anonymous = client.get("/admin/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")

    listener = UserFactory(role=Role.USER)
    client.force_login(listener)
    refused = client.get("/admin/")
    assert refused.status_code == 302 and "staff-dashboard" not in refused.content.decode()

    # A staff Artist Manager curates their own songs in the admin, and sees none of the service's figures.
    manager = UserFactory(role=Role.ARTIST_MANAGER, is_staff=True)
    client.force_login(manager)
    html = page_of(client)
    assert "staff-dashboard" not in html and "99,000" not in html and "dashboard/dashboard.css" not in html

    admin_role = UserFactory(role=Role.ADMIN, is_staff=True)
    other = Client()
    other.force_login(admin_role)
    assert 'id="staff-dashboard"' in page_of(other)


def test_charts_are_accessible_images_with_labelled_axes(staff_browser):
    html = page_of(staff_browser)
    for chart, title in (
        ("plays", "Plays per day"),
        ("new-listeners", "New listeners per day (accounts created)"),
        ("revenue", "Premium revenue per day, in VND, of the orders paid that day"),
    ):
        svg = re.search(rf'<svg[^>]* id="chart-{chart}".*?</svg>', html, re.S).group(0)
        assert 'role="img"' in svg and f'aria-labelledby="chart-{chart}-title chart-{chart}-desc"' in svg
        assert f'<title id="chart-{chart}-title">{title}</title>' in svg
        assert re.search(rf'<desc id="chart-{chart}-desc">From [^<]+</desc>', svg)
        assert re.search(r'<text class="unit"[^>]*>[^<]+</text>', svg)  # the y axis says what it counts
        assert len(re.findall(r'<text x="[\d.]+" y="[\d.]+" dy="1.35em">', svg)) == 5  # a date a week
        assert date_format(local_day(0), "M j") in svg  # today is labelled


def test_in_vietnamese_the_coordinates_keep_their_decimal_point(staff_browser):
    from django.utils import translation

    order(amount=1_234_567, paid_days_ago=0)
    with translation.override("vi"):
        html = page_of(staff_browser, HTTP_ACCEPT_LANGUAGE="vi")
        svg = re.search(r'<svg[^>]* id="chart-revenue".*?</svg>', html, re.S).group(0)
    coordinates = re.findall(r' (?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', svg)
    assert coordinates and all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates), coordinates
    assert "1.234.567 ₫" in svg  # money grouped the Vietnamese way


def test_jobs_waiting_and_failed_are_counted_per_job_and_link_to_the_job_list(jobs, settings, client):
    from rest_framework.test import APIClient

    client.force_login(User.objects.create_superuser(email="root@hustmusik.vn", password="S3cret!pass"))
    # No mail server and one retry: the password-reset mail ends as a failed job.
    settings.MAIL_MAX_RETRIES, settings.MAIL_RETRY_BACKOFF_SECONDS = 1, 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    api = APIClient()
    assert api.post("/v1/auth/forgot-password", {"email": UserFactory().email}).status_code == 200
    jobs.run()
    jobs.run()  # the retry
    assert api.post("/v1/auth/forgot-password", {"email": UserFactory().email}).status_code == 200

    summary = dashboard().jobs
    assert (summary.waiting, summary.running, summary.failed) == (1, 0, 1)
    assert [(task.short_name, task.waiting, task.failed) for task in summary.by_task] == [
        ("send_password_reset", 0, 1),
        ("mail_password_reset_links", 1, 0),
    ]
    panel = section(page_of(client), "dashboard-jobs")
    failed_link = re.search(r'<tr class="failed has-failed"><th scope="row"><a href="([^"]+)">', panel).group(1)
    listing = client.get(failed_link.replace("&amp;", "&"))
    assert listing.status_code == 200 and "send_password_reset" in listing.content.decode()
    assert "?task_name__exact=users.tasks.send_password_reset&amp;status__exact=failed" in panel
