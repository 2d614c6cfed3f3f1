"""All tables and status enums.

Times are stored as naive UTC. A moment keeps only the hour it arrived (see privacy.coarse_hour).
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timezone

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.extensions import db
from campaign.privacy import new_public_id

# Search structures made by migrations outside the models: SQLite's FTS5 table (and its shadow
# tables) and PostgreSQL's trigram indexes. Autogenerate and the migration test skip them.
UNMANAGED_PREFIXES = ("moment_fts", "ix_moment_trgm_")


def managed_by_models(obj, name, type_, reflected, compare_to) -> bool:
    return not (name or "").startswith(UNMANAGED_PREFIXES)


def utcnow() -> datetime:
    """Now as naive UTC: the one clock of the app. A test or a walk-through may stop it at
    FROZEN_CLOCK (never in production, which refuses the setting)."""
    frozen = current_app.config.get("FROZEN_CLOCK") if has_app_context() else None
    if frozen:
        return datetime.fromisoformat(frozen).astimezone(timezone.utc).replace(tzinfo=None)
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


class HiddenReason(enum.StrEnum):
    SPAM = "spam"
    ABUSE = "abuse"
    IRRELEVANT = "irrelevant"
    PERSONAL_DATA = "personal_data"


class ClusterStatus(enum.StrEnum):
    """Where the fix for a group stands: 열림 → 개선 예정 → 개선 중 → 개선 완료, or 보류."""

    OPEN = "open"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ON_HOLD = "on_hold"


class Role(enum.StrEnum):
    """What a moderator account may do; each role includes the ones below it."""

    VIEWER = "viewer"  # reads dashboards and moments, changes nothing
    MODERATOR = "moderator"  # triages, tags, routes, writes fixes
    ADMIN = "admin"  # also manages accounts, campaigns, teams and rules

    @property
    def rank(self) -> int:
        return [Role.VIEWER, Role.MODERATOR, Role.ADMIN].index(self)


class Moderator(UserMixin, db.Model):
    __tablename__ = "moderator"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[Role] = mapped_column(_enum(Role, "moderator_role"), default=Role.MODERATOR)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # WCAG 2.1.4: single-key shortcuts can be switched off by the person using them.
    shortcuts: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on password change or deactivation, which ends every other session of the account.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Two-factor sign-in (TOTP, RFC 6238): the confirmed secret, one waiting for its first code
    # during enrolment, and the recovery codes as keyed hashes (each usable once).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_pending: Mapped[str | None] = mapped_column(String(64))
    recovery_hashes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The 30-second step of the last code accepted: a code is good once, never replayed.
    totp_last_step: Mapped[int | None] = mapped_column()

    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    team: Mapped[Team | None] = relationship()

    @property
    def two_factor(self) -> bool:
        return bool(self.totp_secret)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def can(self, role: Role) -> bool:
        return self.active and self.role.rank >= role.rank

    def __repr__(self) -> str:
        return f"<Moderator {self.id} {self.role}>"


class DeskSession(db.Model):
    """A signed-in desk session, kept on the server so that signing out, a password change or
    a deactivation ends it everywhere, even for a copy of its cookie. Only a hash of the
    cookie's token is stored."""

    __tablename__ = "desk_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    moderator_id: Mapped[int] = mapped_column(
        ForeignKey("moderator.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)


class Team(db.Model):
    """An owning team: every moment (and cluster) can be routed to one, so nothing falls between."""

    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


moment_tag = Table(
    "moment_tag",
    db.metadata,
    Column("moment_id", ForeignKey("moment.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(db.Model):
    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class UrgentRule(db.Model):
    """A word or phrase that marks a moment as urgent (fraud, lost money); editable by admins."""

    __tablename__ = "urgent_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Cluster(db.Model):
    """A group of similar moments. The machine makes and remakes groups; once a person renames,
    merges, splits, locks, tags or routes one, it is `decided` and re-clustering leaves it be."""

    __tablename__ = "cluster"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(120))  # a person's name for it; always wins
    # The machine's name: its most representative moment, shortened (keywords.summarise).
    summary: Mapped[str | None] = mapped_column(String(120))
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[ClusterStatus] = mapped_column(
        _enum(ClusterStatus, "cluster_status"), default=ClusterStatus.OPEN
    )
    decided: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set while merged into another cluster; unmerging clears it and takes its moments back.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("cluster.id", ondelete="SET NULL")
    )
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The escalation queue (clocks.py): how many hand-offs the cluster had when an admin last
    # cleared it by routing, so only later hand-offs count towards the next escalation.
    handoffs_cleared: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    # 듣고 있어요: a moderator may show an open cluster publicly under a title they write, with
    # a public word on why it waits (required for 보류). No moment text is ever shown there.
    public_title: Mapped[str | None] = mapped_column(String(120))
    public_note: Mapped[str | None] = mapped_column(String(300))
    listed: Mapped[bool] = mapped_column(Boolean, default=False)

    team: Mapped[Team | None] = relationship()

    @property
    def label(self) -> str:
        return self.name or self.summary or " · ".join(self.keywords[:3]) or f"묶음 {self.id}"


class FixState(enum.StrEnum):
    """Whether the public sees a fix: 초안 → 공개 → 공개 취소 (and back to 공개)."""

    DRAFT = "draft"
    PUBLISHED = "published"
    RETRACTED = "retracted"


class FixProgress(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Fix(db.Model):
    """An improvement made because of moments, told as what people can now do."""

    __tablename__ = "fix"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(
        String(120)
    )  # the new ability: "점검 시간에도 송금을 예약할 수 있어요"
    summary: Mapped[str] = mapped_column(String(300), default="")
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown subset, cleaned on rendering
    category: Mapped[str | None] = mapped_column(String(40))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    shipped_on: Mapped[date | None] = mapped_column(Date)
    progress: Mapped[FixProgress] = mapped_column(
        _enum(FixProgress, "fix_progress"), default=FixProgress.PLANNED
    )
    state: Mapped[FixState] = mapped_column(
        _enum(FixState, "fix_state"), default=FixState.DRAFT, index=True
    )
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship()
    team: Mapped[Team | None] = relationship()
    links: Mapped[list[FixCluster]] = relationship(
        cascade="all, delete-orphan", back_populates="fix"
    )
    moments: Mapped[list[Moment]] = relationship(secondary="fix_moment")
    notes: Mapped[list[FixNote]] = relationship(cascade="all, delete-orphan", order_by="FixNote.on")
    quotes: Mapped[list[FixQuote]] = relationship(
        cascade="all, delete-orphan", order_by="FixQuote.id"
    )

    @property
    def public(self) -> bool:
        return self.state is FixState.PUBLISHED


class FixCluster(db.Model):
    """A cluster a fix answers; remembers the cluster's status before publishing set it to done."""

    __tablename__ = "fix_cluster"

    fix_id: Mapped[int] = mapped_column(ForeignKey("fix.id", ondelete="CASCADE"), primary_key=True)
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    status_before: Mapped[ClusterStatus | None] = mapped_column(
        _enum(ClusterStatus, "fix_cluster_status_before")
    )

    fix: Mapped[Fix] = relationship(back_populates="links")
    cluster: Mapped[Cluster] = relationship()


fix_moment = Table(
    "fix_moment",
    db.metadata,
    Column("fix_id", ForeignKey("fix.id", ondelete="CASCADE"), primary_key=True),
    Column("moment_id", ForeignKey("moment.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class FixNote(db.Model):
    """A dated progress note shown on the public page."""

    __tablename__ = "fix_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    fix_id: Mapped[int] = mapped_column(ForeignKey("fix.id", ondelete="CASCADE"), index=True)
    on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(500))


class FixQuote(db.Model):
    """A moment quoted on a fix's page: its masked text, generalised further by a moderator.
    The moment itself is never changed by that edit."""

    __tablename__ = "fix_quote"

    id: Mapped[int] = mapped_column(primary_key=True)
    fix_id: Mapped[int] = mapped_column(ForeignKey("fix.id", ondelete="CASCADE"), index=True)
    moment_id: Mapped[str | None] = mapped_column(ForeignKey("moment.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(600))


class FixAnswer(db.Model):
    """ "해결됐나요?": what one receipt's holder said once a fix answering their moment (or one
    that shipped before it) was 개선 완료. One answer per moment; only the day is kept, and the
    optional note is masked like a moment."""

    __tablename__ = "fix_answer"

    moment_id: Mapped[str] = mapped_column(
        ForeignKey("moment.id", ondelete="CASCADE"), primary_key=True
    )
    fix_id: Mapped[int] = mapped_column(ForeignKey("fix.id", ondelete="CASCADE"), index=True)
    resolved: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(300))
    answered_on: Mapped[date] = mapped_column(Date)


class ClusterIndex(db.Model):
    """What re-clustering learnt about a campaign, so a moment can be placed and compared the
    moment it arrives: IDF weights per language, every moment's vector and each cluster's sum
    (an .npz archive; see clustering/index.py). Rebuilt by each re-clustering."""

    __tablename__ = "cluster_index"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True
    )
    built_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class JobRun(db.Model):
    """A long job a person asked for at the desk (re-clustering, a large export, a purge): what
    it is, how far it has got, and what came of it. The queue itself lives in Redis or SQLite
    (campaign/jobs.py); this row is what the desk shows and what makes a job run at most once."""

    __tablename__ = "job_run"

    id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_public_id)
    kind: Mapped[str] = mapped_column(String(20))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderator.id", ondelete="SET NULL")
    )
    state: Mapped[JobState] = mapped_column(_enum(JobState, "job_state"), default=JobState.QUEUED)
    # Arguments the job needs (ids, filters), never a moment's text.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    # What came of it, for the desk (counts, a file name), or why it failed (no text, no trace).
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    requested_by: Mapped[Moderator | None] = relationship()
    campaign: Mapped[Campaign | None] = relationship()


class AuditEvent(db.Model):
    """Append-only record of a moderator action: who, what, on what, when, why.

    Never holds a moment's text or masked content; `data` keeps only ids and before/after
    values (statuses, team and tag ids, span offsets) so an action can be undone and traced.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderator.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[str] = mapped_column(String(40))
    # Events written by one request share a batch, which is what "undo" reverses.
    batch: Mapped[str] = mapped_column(String(26), index=True)
    reason: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[Moderator | None] = relationship()

    __table_args__ = (Index("ix_audit_event_target", "target_type", "target_id"),)


class Campaign(db.Model):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    question: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    # The same texts in English, for English pages; "" until someone writes them (the Korean is
    # shown instead, marked lang="ko": i18n.pick).
    title_en: Mapped[str] = mapped_column(String(120), default="", server_default=text("''"))
    question_en: Mapped[str] = mapped_column(String(200), default="", server_default=text("''"))
    intro_en: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Clocks (clocks.py), in the campaign's local days: a moment's first triage, a cluster's
    # public answer, and how long a cluster may stay without an owning team before escalation.
    triage_days: Mapped[int] = mapped_column(default=3, server_default=text("3"))
    answer_days: Mapped[int] = mapped_column(default=30, server_default=text("30"))
    unowned_days: Mapped[int] = mapped_column(default=7, server_default=text("7"))

    moments: Mapped[list[Moment]] = relationship(back_populates="campaign", lazy="raise")

    def is_open_on(self, day: date) -> bool:
        return self.opens_on <= day and (self.closes_on is None or day <= self.closes_on)

    def __repr__(self) -> str:
        return f"<Campaign {self.slug}>"


class Source(db.Model):
    """A named way into a campaign (a branch's QR poster, an ATM screen, a text message): its
    link `/c/<slug>/s/<code>` tells which one a moment came through, and nothing about who told
    it. Retired, never deleted: the moments it brought keep their source (sources.py)."""

    __tablename__ = "source"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime)

    campaign: Mapped[Campaign] = relationship()

    __table_args__ = (
        UniqueConstraint("campaign_id", "code", name="uq_source_campaign_id_code"),
        UniqueConstraint("campaign_id", "name", name="uq_source_campaign_id_name"),
    )

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    def __repr__(self) -> str:
        return f"<Source {self.code}>"


ORIGIN_FORM, ORIGIN_IMPORT = "form", "import"  # moment.origin


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
    # How many spans of each personal-data type were masked (at intake or later by hand).
    masked: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # How many invisible or control characters intake dropped or replaced (intake.clean_text).
    cleaned: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    hidden_reason: Mapped[HiddenReason | None] = mapped_column(_enum(HiddenReason, "hidden_reason"))
    # The status to return to when a hidden moment is restored.
    status_before_hidden: Mapped[MomentStatus | None] = mapped_column(
        _enum(MomentStatus, "moment_status_before")
    )
    # Flags set at intake: mentions fraud or lost money; contains abusive language.
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    abusive: Mapped[bool] = mapped_column(Boolean, default=False)
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="SET NULL"), index=True
    )
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("cluster.id", ondelete="SET NULL"), index=True
    )
    # A person put this moment in its cluster (or took it out): re-clustering leaves it there.
    placed_by_human: Mapped[bool] = mapped_column(Boolean, default=False)
    # Its text as a vector, kept only from arrival until the next re-clustering folds it into
    # the campaign's ClusterIndex (see clustering/index.py).
    vector: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    # Its meaning as the sentence encoder read it on arrival (clustering/encoder.pack), kept for
    # good: re-clustering reads it rather than encoding every text again.
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    # Put in its nearest cluster though less alike than the cluster's own members; shown as
    # 느슨하게 묶임 so a person checks it, rather than leaving the moment alone.
    loosely_grouped: Mapped[bool] = mapped_column(Boolean, default=False)
    # The work that follows acceptance is done: searchable, encoded and placed in a cluster (or
    # found alike to none). Set once, by the settle job (campaign/arrival.py); until then the
    # thanks page and the receipt say the moment is still being compared, never a guessed count.
    settled: Mapped[bool] = mapped_column(Boolean, default=False)
    # How inconvenient it was, as the person answered "얼마나 불편했나요?" (1 to 5, words in
    # labels.SEVERITY_LABELS); None when they skipped the optional question.
    severity: Mapped[int | None] = mapped_column(SmallInteger)
    # Where it came from: "form" (a person told it here) or "import" (another channel heard it
    # first: a call centre's or chatbot's log, brought in by imports.py).
    origin: Mapped[str] = mapped_column(String(10), default=ORIGIN_FORM, server_default=ORIGIN_FORM)
    # The import that brought it (the audit event's batch), and a keyed digest of its campaign,
    # local day and masked text (privacy.content_digest), which makes importing the same line
    # twice a no-op. Both NULL for moments told on the form.
    import_batch: Mapped[str | None] = mapped_column(String(26))
    import_digest: Mapped[str | None] = mapped_column(String(64))
    # The source link it was told through (sources.py), else NULL: told on the plain form, or
    # imported. Only which poster or screen, never anything about the person. A source is
    # retired, never deleted (a campaign's deletion takes both), so no ON DELETE rule.
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"), index=True)

    campaign: Mapped[Campaign] = relationship(back_populates="moments")
    cluster: Mapped[Cluster | None] = relationship()
    team: Mapped[Team | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=moment_tag, order_by="Tag.name")
    source: Mapped[Source | None] = relationship()

    __table_args__ = (
        Index("ix_moment_campaign_received", "campaign_id", "received_hour"),
        Index("ix_moment_status", "status"),
        Index(
            "ix_moment_pending_vector",
            "campaign_id",
            sqlite_where=text("vector IS NOT NULL"),
            postgresql_where=text("vector IS NOT NULL"),
        ),
        Index(
            "ix_moment_unsettled",
            "campaign_id",
            sqlite_where=text("NOT settled"),
            postgresql_where=text("NOT settled"),
        ),
        # The desk's alert for urgent moments nobody has looked at (spikes.alerts): a few rows.
        Index(
            "ix_moment_urgent_waiting",
            "campaign_id",
            "received_hour",
            sqlite_where=text("urgent = 1 AND status = 'received'"),
            postgresql_where=text("urgent AND status = 'received'"),
        ),
        CheckConstraint("severity BETWEEN 1 AND 5", name="severity_range"),
        CheckConstraint("origin IN ('form', 'import')", name="origin_known"),
        Index(
            "ix_moment_import_digest",
            "campaign_id",
            "import_digest",
            sqlite_where=text("import_digest IS NOT NULL"),
            postgresql_where=text("import_digest IS NOT NULL"),
        ),
    )

    @property
    def imported(self) -> bool:
        return self.origin == ORIGIN_IMPORT

    def __repr__(self) -> str:
        return f"<Moment {self.id}>"


class ClusterHandoff(db.Model):
    """A cluster routed from one owning team to another (or from or to none), with the reason
    the person gave: the gray zone between teams, made visible (clocks.py)."""

    __tablename__ = "cluster_handoff"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), index=True
    )
    from_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    to_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(200))  # masked like every typed text
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("moderator.id", ondelete="SET NULL"))

    cluster: Mapped[Cluster] = relationship()
    from_team: Mapped[Team | None] = relationship(foreign_keys=[from_team_id])
    to_team: Mapped[Team | None] = relationship(foreign_keys=[to_team_id])
    by: Mapped[Moderator | None] = relationship()


class DeskNote(db.Model):
    """A moderator's internal note on a moment or a cluster (exactly one of the two). Never shown
    on a public page, in the API or in an export; masked like every typed text (notes.py)."""

    __tablename__ = "desk_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    moment_id: Mapped[str | None] = mapped_column(
        ForeignKey("moment.id", ondelete="CASCADE"), index=True
    )
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("moderator.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[Moderator | None] = relationship()

    __table_args__ = (
        CheckConstraint("(moment_id IS NULL) != (cluster_id IS NULL)", name="one_target"),
    )


class WebhookFormat(enum.StrEnum):
    JSON = "json"
    SLACK = "slack"


class WebhookEndpoint(db.Model):
    """Another tool told about what happens on the desk (campaign/webhooks.py): where, which
    events, in which body, signed with a secret the server made and showed once."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    # Event names (webhooks.EVENTS) this endpoint is told about.
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    format: Mapped[WebhookFormat] = mapped_column(
        _enum(WebhookFormat, "webhook_format"), default=WebhookFormat.JSON
    )
    # The HMAC-SHA256 key of X-Campaign-Signature; the server needs it to sign, so it is kept.
    secret: Mapped[str] = mapped_column(String(80))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderator.id", ondelete="SET NULL")
    )


class DeliveryState(enum.StrEnum):
    PENDING = "pending"  # waiting for its next attempt (next_attempt_at)
    SENDING = "sending"  # a worker holds it
    DELIVERED = "delivered"
    FAILED = "failed"  # every attempt failed


class WebhookDelivery(db.Model):
    """One event for one endpoint: its body, fixed when the event happened (so every retry
    sends and signs the same bytes), and where its attempts stand."""

    __tablename__ = "webhook_delivery"

    id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_public_id)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(30))
    event_id: Mapped[str] = mapped_column(String(26))
    # The exact request body, masked text only.
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[DeliveryState] = mapped_column(
        _enum(DeliveryState, "delivery_state"), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    endpoint: Mapped[WebhookEndpoint] = relationship()
    log: Mapped[list[WebhookAttempt]] = relationship(
        cascade="all, delete-orphan", order_by="WebhookAttempt.id"
    )

    __table_args__ = (Index("ix_webhook_delivery_due", "state", "next_attempt_at"),)


class WebhookAttempt(db.Model):
    """One try at a delivery: when, the status code or why there was none, how long it took."""

    __tablename__ = "webhook_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime)
    status_code: Mapped[int | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(String(200))
    duration_ms: Mapped[int] = mapped_column(default=0)


class DigestFrequency(enum.StrEnum):
    OFF = "off"
    DAILY = "daily"
    WEEKLY = "weekly"


class TeamDigest(db.Model):
    """How a team hears about its moments by e-mail (campaign/digests.py)."""

    __tablename__ = "team_digest"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), primary_key=True
    )
    frequency: Mapped[DigestFrequency] = mapped_column(
        _enum(DigestFrequency, "digest_frequency"), default=DigestFrequency.OFF
    )
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    team: Mapped[Team] = relationship()


class DigestRun(db.Model):
    """One team's digest for one period (a local day "2026-11-30" or ISO week "2026-W49"):
    made at most once, then sent (or failed, with why)."""

    __tablename__ = "digest_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(12))
    state: Mapped[DeliveryState] = mapped_column(
        _enum(DeliveryState, "digest_state"), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    # What went out (counts, how many addresses) or why it did not; never moment text.
    result: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = (UniqueConstraint("team_id", "period", name="uq_digest_run_team_period"),)


class SpikeAlert(db.Model):
    """One 급증 of a cluster, from the check that first saw it (spikes.detect_new) to the first
    check that no longer did: what makes each spike alert once. At most one is open (ended_at
    NULL) per cluster, which the partial unique index holds even for two workers at once."""

    __tablename__ = "spike_alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    cluster_id: Mapped[int] = mapped_column(ForeignKey("cluster.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    # What the check that raised it saw: moments in the window and the expected moments a day.
    moments: Mapped[int] = mapped_column()
    expected: Mapped[float] = mapped_column(Float)

    cluster: Mapped[Cluster] = relationship()

    __table_args__ = (
        Index(
            "ix_spike_alert_open",
            "cluster_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )


class OverdueAlert(db.Model):
    """A cluster's public-answer clock ran out, and the sweep told the webhooks so
    (clocks.newly_overdue): once per cluster and deadline. A later deadline (new targets, an
    earlier moment merged in) is a new clock and told again."""

    __tablename__ = "overdue_alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("cluster.id", ondelete="CASCADE"))
    deadline: Mapped[datetime] = mapped_column(DateTime)
    announced_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("cluster_id", "deadline", name="uq_overdue_alert_cluster_id_deadline"),
    )


class Follow(db.Model):
    """A private follow link for one moment ("소식 받기"): anyone holding its random token reads
    that moment's timeline as a page or an Atom feed. Only a keyed hash of the token is kept
    (privacy.follow_hash), never the receipt code and nothing about who asked or when; it goes
    with its moment (retention) or when the receipt's holder stops it (follows.stop)."""

    __tablename__ = "follow"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    moment_id: Mapped[str] = mapped_column(ForeignKey("moment.id", ondelete="CASCADE"), index=True)


class MeToo(db.Model):
    """나도 겪었어요: one anonymous tap on a public fix or a 듣고 있어요 entry (exactly one of the
    two). Only what was tapped and the campaign's local day are kept: no time, no text and
    nothing about who tapped (metoo.py)."""

    __tablename__ = "me_too"

    id: Mapped[int] = mapped_column(primary_key=True)
    fix_id: Mapped[int | None] = mapped_column(ForeignKey("fix.id", ondelete="CASCADE"), index=True)
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), index=True
    )
    on: Mapped[date] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint("(fix_id IS NULL) != (cluster_id IS NULL)", name="one_target"),
    )
