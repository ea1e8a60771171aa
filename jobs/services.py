"""The job queue's own rules."""

import logging

from django.conf import settings

logger = logging.getLogger("hustmusik.jobs")


async def retry_stalled_jobs(*, job_manager) -> int:
    """Put back in the queue every job whose worker stopped sending heartbeats (killed, lost)."""
    stalled = list(await job_manager.get_stalled_jobs(seconds_since_heartbeat=settings.JOB_STALLED_SECONDS))
    for job in stalled:
        logger.warning("Job %s (%s) was left running by a dead worker; retrying it", job.id, job.task_name)
        await job_manager.retry_job(job)
    return len(stalled)
