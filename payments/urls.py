from django.urls import path, re_path

from payments import views

urlpatterns = [
    path("order/checkout", views.CheckoutView.as_view(), name="order-checkout"),
    path("order/checkout/callback", views.CallbackView.as_view(), name="order-checkout-callback"),
    re_path(
        r"^order/(?P<app_trans_id>[0-9]{6}_[0-9A-Za-z]{1,33})$", views.OrderStatusView.as_view(), name="order-status"
    ),
]
