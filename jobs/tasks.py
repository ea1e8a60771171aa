"""Jobs that keep the job queue itself healthy."""

from procrastinate.contrib.django import app

from jobs import services


@app.periodic(cron="* * * * *")
@app.task(queue="maintenance", pass_context=True)
async def retry_stalled_jobs(context, timestamp: int) -> None:
    """Every minute: jobs left running by a worker that died (no heartbeat) run again."""
    await services.retry_stalled_jobs(job_manager=context.app.job_manager)
