"""나도 겪었어요: people who never write say, with one anonymous tap, that they met the same
problem: on a public fix's page and on each 듣고 있어요 entry.

A tap is a moment without text. Only what was tapped (a fix or a cluster) and the campaign's
local day are kept (`MeToo`): no time, no address, no cookie beyond the session in which the
view remembers what this browser already tapped (one tap per item per session). Taps are counted
apart from written moments everywhere: the desk's fix and cluster pages show them beside the
written count, and the dashboard's figures stay written moments only.

Public counts follow the public minimum group (`privacy.public_count`): a tap carries no text
and no time, but "2명이 나도 겪었다고 했어요" beside a narrow problem on a small campaign still
tells a team who tapped, and 듣고 있어요 already hides its written counts below the group.
Nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from campaign import privacy
from campaign.extensions import db
from campaign.i18n import _l
from campaign.loop import is_listed
from campaign.models import Campaign, Cluster, Fix, FixState, MeToo
from campaign.refusals import Refusal

CLOSED = _l("이 캠페인은 이야기를 더 이상 받지 않아서 함께 셀 수 없어요. 마음 써 주셔서 고마워요.")


class MeTooError(Refusal):
    """A tap that cannot be counted; the message is in the language of the person who tapped."""


class NotShown(LookupError):
    """A tap on something the public does not see (the view answers 404, as for an unknown id)."""


@dataclass(frozen=True)
class Tapped:
    """What a tap counted on, for the view to answer with (plain values)."""

    key: str  # "f12" or "c5": what the session remembers
    campaign_slug: str
    fix_slug: str | None = None
    cluster_id: int | None = None


def key(*, fix_id: int | None = None, cluster_id: int | None = None) -> str:
    return f"f{fix_id}" if fix_id is not None else f"c{cluster_id}"


def target(
    *, fix_id: int | None = None, cluster_id: int | None = None, campaign_slug: str | None = None
) -> Fix | Cluster | None:
    """The public fix or listed cluster a tap names, or None (the view answers 404). A draft or
    retracted fix, a cluster not on 듣고 있어요, and one of another campaign than the page the tap
    came from (`campaign_slug`, when it names one) answer exactly like an id that was never
    made: a tap tells nothing about what is not public."""
    if fix_id is not None:
        item = db.session.get(Fix, fix_id)
    elif cluster_id is not None:
        item = db.session.get(Cluster, cluster_id)
    else:
        return None
    if item is None or not _shown(item):
        return None
    if campaign_slug and db.session.get(Campaign, item.campaign_id).slug != campaign_slug:
        return None
    return item


def _shown(item: Fix | Cluster) -> bool:
    if isinstance(item, Fix):
        return item.state is FixState.PUBLISHED
    return is_listed(item)


def tap(item: Fix | Cluster, *, today: date) -> Tapped:
    """Count one 나도 겪었어요 on a public fix or a listed cluster (from `target`) of an open
    campaign. A campaign that closed is said kindly (`CLOSED`): its fixes and 듣고 있어요 stay
    public and its landing page says it closed, so saying so tells nothing new."""
    if not _shown(item):
        raise NotShown(key(fix_id=item.id) if isinstance(item, Fix) else key(cluster_id=item.id))
    campaign = db.session.get(Campaign, item.campaign_id)
    if not campaign.is_open_on(today):
        raise MeTooError(CLOSED)
    is_fix = isinstance(item, Fix)
    db.session.add(
        MeToo(fix_id=item.id if is_fix else None, cluster_id=None if is_fix else item.id, on=today)
    )
    db.session.flush()
    return describe(item)


def describe(item: Fix | Cluster) -> Tapped:
    """Where a tap on `item` belongs: its session key and the page that shows it."""
    slug = db.session.get(Campaign, item.campaign_id).slug
    if isinstance(item, Fix):
        return Tapped(key(fix_id=item.id), slug, fix_slug=item.slug)
    return Tapped(key(cluster_id=item.id), slug, cluster_id=item.id)


def fix_counts(fix_ids) -> dict[int, int]:
    """Taps per fix (every tap, for the desk)."""
    return _counts(MeToo.fix_id, fix_ids)


def cluster_counts(cluster_ids) -> dict[int, int]:
    """Taps per cluster (every tap, for the desk)."""
    return _counts(MeToo.cluster_id, cluster_ids)


def _counts(column, ids) -> dict[int, int]:
    wanted = [int(i) for i in ids]
    if not wanted:
        return {}
    rows = db.session.execute(
        select(column, func.count()).where(column.in_(wanted)).group_by(column)
    )
    return {item: n for item, n in rows}


def public(counts: dict[int, int], *, min_group: int) -> dict[int, int | None]:
    """The same counts as the public may see them: None below the minimum group."""
    return {item: privacy.public_count(n, min_group) for item, n in counts.items()}
