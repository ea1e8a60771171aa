"""The admin site: Django's own, with the staff dashboard on its index for those who see everything."""

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.numberformat import format as format_number
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dashboard.charts import bar_chart
from dashboard.selectors import DAYS, TOP_SONGS_DAYS, Dashboard, cached_dashboard
from hustmusik.admin_mixins import sees_everything


def grouped(value: int) -> str:
    """1,234,567 (1.234.567 in Vietnamese): grouped by thousands in every language, as money is."""
    return format_number(
        value,
        get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def vnd(value: int) -> str:
    return f"{grouped(value)} ₫"


class StaffAdminSite(admin.AdminSite):
    def index(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        # Staff Artist Managers see their own songs only, never the service's figures.
        if sees_everything(request):
            extra_context["dashboard"] = dashboard_context(cached_dashboard(request))
        return super().index(request, extra_context)


def dashboard_context(data: Dashboard) -> dict:
    def total(series) -> int:
        return sum(point.value for point in series)

    return {
        "data": data,
        "zone": timezone.get_default_timezone_name(),
        "top_songs": [
            {"id": song.id, "title": song.title, "artist": song.artist, "plays_text": grouped(song.plays)}
            for song in data.top_songs
        ],
        "days": DAYS,
        "top_songs_days": TOP_SONGS_DAYS,
        "plays_total": total(data.plays),
        "plays_total_text": grouped(total(data.plays)),
        "plays_today": grouped(data.plays[-1].value),
        "new_listeners_total": total(data.new_listeners),
        "new_listeners_total_text": grouped(total(data.new_listeners)),
        "new_listeners_today": grouped(data.new_listeners[-1].value),
        "paid_orders": data.paid_orders,
        "paid_orders_text": grouped(data.paid_orders),
        "revenue_total": vnd(total(data.revenue)),
        "plays_chart": bar_chart(
            data.plays,
            slug="plays",
            unit=_("plays"),
            label=lambda n: ngettext("%(count)s play", "%(count)s plays", n) % {"count": grouped(n)},
            tick=grouped,
        ),
        "new_listeners_chart": bar_chart(
            data.new_listeners,
            slug="new-listeners",
            unit=_("accounts"),
            label=lambda n: ngettext("%(count)s new account", "%(count)s new accounts", n) % {"count": grouped(n)},
            tick=grouped,
        ),
        "revenue_chart": bar_chart(data.revenue, slug="revenue", unit="VND", label=vnd, tick=grouped),
    }
