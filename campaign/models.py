"""All tables and status enums.

Times are stored as naive UTC. A moment keeps only the hour it arrived (see privacy.coarse_hour).
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timezone

from sqlalchemy import JSON, Date, DateTime, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.extensions import db
from campaign.privacy import new_public_id


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """Store an enum by value as a portable VARCHAR with a named CHECK constraint."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class MomentStatus(enum.StrEnum):
    RECEIVED = "received"
    IN_REVIEW = "in_review"
    GROUPED = "grouped"
    HIDDEN = "hidden"


class Campaign(db.Model):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    question: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    moments: Mapped[list[Moment]] = relationship(back_populates="campaign", lazy="raise")

    def is_open_on(self, day: date) -> bool:
        return self.opens_on <= day and (self.closes_on is None or day <= self.closes_on)

    def __repr__(self) -> str:
        return f"<Campaign {self.slug}>"


class Moment(db.Model):
    """One person's inconvenient moment, already masked. Nothing here identifies its sender."""

    __tablename__ = "moment"

    id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_public_id)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[MomentStatus] = mapped_column(
        _enum(MomentStatus, "moment_status"), default=MomentStatus.RECEIVED
    )
    # Keyed hash of the receipt code; the code itself is shown once and never stored.
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Arrival time truncated to the hour.
    received_hour: Mapped[datetime] = mapped_column(DateTime)
    # How many spans of each personal-data type were masked at intake, e.g. {"PHONE": 1}.
    masked: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)

    campaign: Mapped[Campaign] = relationship(back_populates="moments")

    __table_args__ = (Index("ix_moment_campaign_received", "campaign_id", "received_hour"),)

    def __repr__(self) -> str:
        return f"<Moment {self.id}>"
