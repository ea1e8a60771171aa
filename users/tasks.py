"""Account mail, sent by the job worker: retried with backoff while the mail server is down or
slow (MAIL_MAX_RETRIES, MAIL_RETRY_BACKOFF_SECONDS), then left as a failed job in the admin.
Each carries the language of the request that asked for it, which the mail is written in
(`language`; none, as in jobs queued before it existed: the default)."""

from django.conf import settings
from procrastinate import BaseRetryStrategy, RetryStrategy
from procrastinate.contrib.django import app

from users import services


class MailRetry(BaseRetryStrategy):
    """Exponential backoff, bounded: MAIL_MAX_RETRIES and MAIL_RETRY_BACKOFF_SECONDS as they are now."""

    def get_retry_decision(self, *, exception, job):
        strategy = RetryStrategy(
            max_attempts=settings.MAIL_MAX_RETRIES, exponential_wait=settings.MAIL_RETRY_BACKOFF_SECONDS
        )
        return strategy.get_retry_decision(exception=exception, job=job)


MAIL_RETRY = MailRetry()


@app.task(queue="mail", retry=MAIL_RETRY)
def send_email_confirmation(*, email_address_id: int, signup: bool, language: str | None = None) -> None:
    services.email_confirmation_send(email_address_id=email_address_id, signup=signup, language=language)


@app.task(queue="mail", retry=MAIL_RETRY)
def mail_password_reset_links(*, login: str, language: str | None = None) -> None:
    services.password_reset_mail_accounts(login=login, language=language)


@app.task(queue="mail", retry=MAIL_RETRY)
def send_password_reset(*, user_id: str, language: str | None = None) -> None:
    services.password_reset_send(user_id=user_id, language=language)
