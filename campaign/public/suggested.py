"""The campaign's fix profiles as the public pages ask for them: built once and kept
(`cache.remembered`, cleared when a fix, a cluster or a campaign changes), so each page or
request pays one encoding and a small matrix product (suggestions.py)."""

from __future__ import annotations

from campaign import suggestions
from campaign.models import Moment
from campaign.public.cache import remembered


def profiles(campaign_id: int) -> suggestions.Profiles:
    return remembered(("fix-profiles", campaign_id), lambda: suggestions.profiles_of(campaign_id))


def for_text(campaign_id: int, text: str) -> list[suggestions.Suggestion]:
    return suggestions.match(profiles(campaign_id), text)


def for_moment(moment: Moment, leave_out=frozenset()) -> list[suggestions.Suggestion]:
    return suggestions.for_moment(profiles(moment.campaign_id), moment, leave_out=leave_out)
