"""The moderators' desk (/admin): sign-in, inbox, triage, management, audit log."""

from campaign.admin import auth
from campaign.admin.blueprint import bp
from campaign.admin.views import clusters, dashboard, fixes, inbox, jobs, manage, sources

__all__ = ["auth", "bp", "clusters", "dashboard", "fixes", "inbox", "jobs", "manage", "sources"]
