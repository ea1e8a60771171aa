from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class DashboardConfig(AppConfig):
    """The staff dashboard: figures of the whole service on the admin index (see `sites`)."""

    default = True
    name = "dashboard"
    verbose_name = "Staff dashboard"


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the dashboard's site as `admin.site`."""

    default = False
    default_site = "dashboard.sites.StaffAdminSite"
