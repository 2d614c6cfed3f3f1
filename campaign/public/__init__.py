"""Pages for anonymous visitors."""

from campaign.public import follow, improvements
from campaign.public.views import bp

__all__ = ["bp", "follow", "improvements"]
