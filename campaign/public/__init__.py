"""Pages for anonymous visitors."""

from campaign.public import improvements
from campaign.public.views import bp

__all__ = ["bp", "improvements"]
