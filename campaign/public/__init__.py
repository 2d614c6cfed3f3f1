"""Pages for anonymous visitors."""

from campaign.public import follow, improvements, reach
from campaign.public.views import bp

__all__ = ["bp", "follow", "improvements", "reach"]
