"""The results pages: the dashboard and its chart downloads."""

from lantoa.reports.views.dashboard import dashboard, dashboard_export

__all__ = ["dashboard", "dashboard_export"]
