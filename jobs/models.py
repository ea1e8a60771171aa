from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django.models import ProcrastinatePeriodicDefer


class ScheduledJob(ProcrastinatePeriodicDefer):
    """The schedule in the admin: a read-only page over the periodic tasks (see jobs.admin)."""

    class Meta:
        proxy = True
        verbose_name = _("scheduled job")
        verbose_name_plural = _("schedule")
