"""The schedule beside Procrastinate's own job pages (queued, running, failed, done; Retry Job)."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from hustmusik.admin_mixins import ViewOnlyAdmin
from jobs.models import ScheduledJob
from jobs.selectors import schedule


@admin.register(ScheduledJob)
class ScheduleAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def changelist_view(self, request, extra_context=None):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Schedule"),
            "opts": self.model._meta,
            "rows": schedule(timezone.now()),
        }
        return TemplateResponse(request, "admin/jobs/schedule.html", context)
