"""Payment jobs: each a thin call of a service."""

from procrastinate.contrib.django import app

from payments import services


@app.periodic(cron="* * * * *")
@app.task(queue="payments", queueing_lock="reconcile_orders")
def reconcile_orders(timestamp: int) -> None:
    """Every minute: orders whose callback never came are settled (or closed) from ZaloPay's answer."""
    services.orders_reconcile_pending()
