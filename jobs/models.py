from procrastinate.contrib.django.models import ProcrastinatePeriodicDefer


class ScheduledJob(ProcrastinatePeriodicDefer):
    """The schedule in the admin: a read-only page over the periodic tasks (see jobs.admin)."""

    class Meta:
        proxy = True
        verbose_name = "scheduled job"
        verbose_name_plural = "schedule"
