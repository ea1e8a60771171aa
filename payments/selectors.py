"""Read queries of payments."""

from django.db.models import QuerySet

from payments.models import Order, Plan


def plans_for_sale() -> QuerySet[Plan]:
    return Plan.objects.filter(active=True)


def orders_visible_to(*, user) -> QuerySet[Order]:
    """Administrators see every order, anyone else only their own (others' orders do not exist for them)."""
    orders = Order.objects.all()
    return orders if user.has_admin_role else orders.filter(user=user)


def order_for_status(*, user, app_trans_id: str) -> Order | None:
    return orders_visible_to(user=user).filter(app_trans_id=app_trans_id).first()
