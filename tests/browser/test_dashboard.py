"""The staff dashboard in a real browser: the admin index draws its charts and tables, legibly."""

import pytest
from procrastinate.contrib.django.models import ProcrastinateJob
from rest_framework.test import APIClient

from catalog.models import Play
from catalog.services import plays_fold
from dashboard.selectors import DAYS
from tests.browser.conftest import screenshot
from tests.dashboard.helpers import accounts, at_noon, order
from tests.factories import ArtistFactory, SongFactory, UserFactory
from tests.worker import wait_until
from users.models import User

pytestmark = pytest.mark.django_db(transaction=True)

SONGS = [
    ("Bắc Bling", "Hòa Minzy", 9),
    ("Mất Kết Nối", "Dương Domic", 8),
    ("Nơi Này Có Anh", "Sơn Tùng M-TP", 7),
    ("Ngày Mai Người Ta Lấy Chồng", "Thành Đạt", 6),
    ("Có Chắc Yêu Là Đây", "Sơn Tùng M-TP", 5),
    ("See Tình", "Hoàng Thùy Linh", 4),
    ("Một Đêm Say", "Thịnh Suy", 3),
    ("Hẹn Em Ở Lần Yêu Thứ 2", "Nguyenn", 2),
    ("Tháng Tư Là Lời Nói Dối Của Em", "Hà Anh Tuấn", 2),
    ("Bông Hoa Đẹp Nhất", "Quân A.P", 1),
    ("Đi Về Nhà", "Đen", 1),
]


def a_month_of_listening() -> None:
    """A month of a growing service: more plays, sign-ups and sales as the days go, weekends busier."""
    artists = {}
    plays = []
    for title, artist_name, weight in SONGS:
        artist = artists.get(artist_name) or artists.setdefault(artist_name, ArtistFactory(name=artist_name))
        song = SongFactory(title=title, artists=[artist])
        for days_ago in range(DAYS):
            busy = 3 if (days_ago % 7) in (0, 1) else 2
            plays += [Play(song=song, played_at=at_noon(days_ago))] * (weight * busy * (DAYS - days_ago) // 12)
    Play.objects.bulk_create(plays)
    plays_fold()
    for days_ago in range(DAYS):
        accounts(days_ago=days_ago, count=(DAYS - days_ago) // 6 + days_ago % 3)
        for _ in range(1 + (DAYS - days_ago) // 8):
            order(amount=59_000, paid_days_ago=days_ago)
        if days_ago % 5 == 0:
            order(amount=590_000, paid_days_ago=days_ago)


def test_staff_see_the_dashboard_charts_on_the_admin_index(page, live_server, jobs, settings):
    User.objects.create_superuser(email="curator@hustmusik.vn", password="Curator-Pass-2025!")
    a_month_of_listening()
    # A password-reset mail that could not be sent (no mail server; one retry), and one waiting.
    settings.MAIL_MAX_RETRIES, settings.MAIL_RETRY_BACKOFF_SECONDS = 1, 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    api = APIClient()
    jobs.start()
    assert api.post("/v1/auth/forgot-password", {"email": UserFactory().email}).status_code == 200
    wait_until(lambda: ProcrastinateJob.objects.filter(status="failed").exists(), timeout=20, what="the mail given up")
    jobs.stop()
    assert api.post("/v1/auth/forgot-password", {"email": UserFactory().email}).status_code == 200

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "curator@hustmusik.vn")
    page.fill("#id_password", "Curator-Pass-2025!")
    page.click("input[type=submit]")
    page.wait_for_selector("#staff-dashboard")

    for chart in ("plays", "new-listeners", "revenue"):
        svg = page.locator(f"svg#chart-{chart}")
        svg.wait_for()  # visible
        box = svg.bounding_box()
        assert box["width"] > 300 and box["height"] > 120, (chart, box)  # drawn at a readable size
        bars = svg.locator("rect.bar")
        assert bars.count() == DAYS
        heights = [bars.nth(index).bounding_box()["height"] for index in (0, DAYS - 1)]
        assert heights[1] > heights[0] > 0, (chart, heights)  # the busier today, the taller its bar
        assert svg.locator("g.y-axis text").count() >= 3 and svg.locator("g.x-axis text").count() == 5

    top = page.locator("#dashboard-top-songs tbody tr")
    assert top.count() == 10
    assert top.first.locator("th").inner_text() == "Bắc Bling"
    jobs_panel = page.locator("#dashboard-jobs")
    assert jobs_panel.locator("tr.waiting td").inner_text() == "1"
    assert jobs_panel.locator("tr.failed td").inner_text() == "1"
    assert screenshot(page, "admin-dashboard").exists()
    # The admin's dark theme: the charts take its colours, as the rest of the page does.
    page.emulate_media(color_scheme="dark")
    assert screenshot(page, "admin-dashboard-dark").exists()
