"""Pages for anonymous visitors."""

from campaign.public import improvements, reach
from campaign.public.views import bp

__all__ = ["bp", "improvements", "reach"]
