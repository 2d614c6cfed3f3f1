"""`flask ...` commands. Each parses its options, calls the domain, and commits once."""

from __future__ import annotations

import json
import secrets
import sys
from contextlib import contextmanager

import click
from flask import Flask, current_app
from sqlalchemy import select

from campaign import accounts, campaigns, demo, imports, privacy, retention
from campaign.extensions import db
from campaign.models import Role, utcnow


@contextmanager
def _committed(*refusals: type[Exception]):
    """Commit what the block did, or roll back and exit with the refusal's message."""
    try:
        yield
    except refusals as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()


def register(app: Flask) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(create_campaign_command)
    app.cli.add_command(mask_pii_command)
    app.cli.add_command(purge_command)
    app.cli.add_command(create_moderator_command)
    app.cli.add_command(cluster_file_command)
    app.cli.add_command(recluster_command)
    app.cli.add_command(demo_login_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(import_moments_command)


@click.command("worker")
@click.option("--threads", default=1, show_default=True, help="Jobs run at once in this process.")
@click.option(
    "--nice",
    default=10,
    show_default=True,
    help="Lower the worker's CPU priority so accepting moments always comes first.",
)
def worker_command(threads: int, nice: int) -> None:
    """Run background jobs: settling new moments, re-clustering, exports, purges."""
    import logging
    import os

    from campaign.clustering import features

    if nice:
        os.nice(nice)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    features.warm()
    queue = current_app.extensions["jobs"]
    if current_app.config["JOBS_IMMEDIATE"]:
        raise click.ClickException(
            "JOBS_IMMEDIATE runs jobs inside requests; there is nothing to work on."
        )
    queue.huey.create_consumer(
        workers=threads, worker_type="thread", periodic=True, check_worker_health=True
    ).run()


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when any campaign exists already.")
def demo_command(if_empty: bool) -> None:
    """Load the demo campaign with realistic Korean finance moments."""
    if if_empty and not demo.is_empty():
        click.echo("Demo data: the database already has campaigns; left as it is.")
        return
    with _committed(campaigns.CampaignError):
        campaign = demo.load_demo(thresholds=current_app.config["CLUSTER_THRESHOLDS"])
    told = len(demo.MOMENTS) + len(demo.TIMED) + len(demo.ENGLISH)
    click.echo(
        f"Demo data: campaign '{campaign.slug}' with {told} moments, {demo.CALL_LINES} "
        f"imported call-centre lines (the worker groups them) and {len(demo.SOURCES)} sources."
    )


def _split(value: str) -> list[str]:
    return [part for part in (p.strip() for p in value.split(",")) if part]


@click.command("create-campaign")
@click.option("--slug", required=True, help="URL name, e.g. finance-2026 (served at /c/<slug>/).")
@click.option("--title", required=True)
@click.option("--question", required=True, help="The one question the campaign asks.")
@click.option("--intro", default="")
@click.option("--categories", default="", help="Comma-separated, e.g. '송금·이체,카드,기타'.")
@click.option("--channels", default="", help="Comma-separated, e.g. '앱,웹,전화 상담'.")
@click.option(
    "--opens",
    "opens_on",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="YYYY-MM-DD; default today.",
)
@click.option(
    "--closes",
    "closes_on",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="YYYY-MM-DD; default open-ended.",
)
def create_campaign_command(
    slug, title, question, intro, categories, channels, opens_on, closes_on
) -> None:
    """Create a campaign from the terminal."""
    with _committed(campaigns.CampaignError):
        campaign = campaigns.create_campaign(
            slug=slug,
            title=title,
            question=question,
            intro=intro,
            categories=_split(categories),
            channels=_split(channels),
            opens_on=opens_on.date() if opens_on else campaigns.local_today(),
            closes_on=closes_on.date() if closes_on else None,
        )
    click.echo(f"Created campaign '{campaign.slug}': /c/{campaign.slug}/")


@click.command("mask-pii")
def mask_pii_command() -> None:
    """Mask personal data in UTF-8 lines from stdin; write one JSON object per line.

    {"text": masked text, "spans": [{"start", "end", "type"}]}, offsets into the input line.
    """
    today = campaigns.local_today()
    out = sys.stdout.buffer
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        masked = privacy.mask_pii(line, today)
        record = {
            "text": masked.text,
            "spans": [{"start": s.start, "end": s.end, "type": s.type} for s in masked.spans],
        }
        out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
    out.flush()


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
def purge_command(dry_run: bool) -> None:
    """Delete moments older than CAMPAIGN_RETENTION_DAYS, and scrub them from the database files."""
    days = current_app.config["RETENTION_DAYS"]
    if days <= 0:
        click.echo("Retention is off (CAMPAIGN_RETENTION_DAYS=0): nothing deleted.")
        return
    now = utcnow()
    if dry_run:
        click.echo(
            f"{retention.count_expired(now=now, retention_days=days)} moments are older than "
            f"{days} days."
        )
        return
    deleted = retention.purge_expired(now=now, retention_days=days)
    db.session.commit()
    retention.scrub_free_space(db.engine)
    click.echo(f"Deleted {deleted} moments older than {days} days.")


@click.command("create-moderator")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.ADMIN.value,
    show_default=True,
)
@click.password_option(prompt="Password (12+ characters)")
def create_moderator_command(email: str, name: str, role: str, password: str) -> None:
    """Create a moderator account (the first admin, typically)."""
    with _committed(accounts.AccountError):
        moderator = accounts.create_moderator(
            email=email, name=name, password=password, role=Role(role)
        )
    click.echo(f"Created {moderator.role.value} {moderator.email}. Sign in at /admin/login")


@click.command("demo-login")
def demo_login_command() -> None:
    """Give the demo moderator a fresh random password and print the login (development only)."""
    if current_app.config["ENV"] == "production":
        raise click.ClickException(
            "demo-login is for development only; use create-moderator in production."
        )
    password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
    moderator = accounts.find_by_email(demo.MODERATOR_EMAIL)
    if moderator is None:
        moderator = accounts.create_moderator(
            email=demo.MODERATOR_EMAIL, name="데모 관리자", password=password, role=Role.ADMIN
        )
    else:
        accounts.set_password(moderator, password, by=None)
        moderator.active = True
    db.session.commit()
    click.echo(
        f"Demo moderator login: {demo.MODERATOR_EMAIL} / {password}  (sign in at /admin/login)"
    )


@click.command("cluster-file")
@click.argument("source", type=click.File("rb"))
@click.argument("target", type=click.File("wb"))
def cluster_file_command(source, target) -> None:
    """Cluster {"id", "text"} JSON lines from SOURCE into {"id", "cluster"} lines in TARGET.

    Uses the product's default pipeline and settings; a text with no similar one gets -1.
    """
    from campaign.clustering import encoder, engine

    records = [json.loads(line) for line in source if line.strip()]
    texts = [str(r.get("text") or "") for r in records]
    if encoder.available():
        # Encoding is the long part (about 8 ms a text on two cores): show it.
        with click.progressbar(
            length=len(texts), label="문장 읽는 중", file=sys.stderr, show_eta=True, show_pos=True
        ) as bar:
            embedding = engine.embed(texts, progress=bar.update)
    else:
        click.echo("문장 인코더를 쓸 수 없어 글자 모양으로만 묶어요.", err=True)
        embedding = engine.embed(texts)
    labels = engine.cluster_embedded(embedding, current_app.config["CLUSTER_THRESHOLDS"])
    for record, label in zip(records, labels.tolist(), strict=False):
        target.write(
            json.dumps({"id": record.get("id"), "cluster": label}, ensure_ascii=False).encode(
                "utf-8"
            )
            + b"\n"
        )
    click.echo(
        f"{len(records)} texts, {max(labels.tolist(), default=-1) + 1} groups, "
        f"{labels.tolist().count(-1)} alone.",
        err=True,
    )


@click.command("recluster")
@click.option(
    "--campaign", "slug", default=None, help="Only this campaign (default: every campaign)."
)
def recluster_command(slug: str | None) -> None:
    """Regroup moments nobody has decided on; human decisions stay as they are."""
    from campaign.clustering import recluster
    from campaign.models import Campaign

    chosen = [campaigns.find_campaign(slug)] if slug else list(db.session.scalars(select(Campaign)))
    if slug and chosen[0] is None:
        raise click.ClickException(f"no campaign with slug {slug!r}")
    for campaign in chosen:
        with _committed():
            result = recluster.run(campaign, thresholds=current_app.config["CLUSTER_THRESHOLDS"])
        click.echo(
            f"{campaign.slug}: {result.groups} groups, {result.clustered} moments grouped, "
            f"{result.unclustered} waiting, {result.kept} kept as people decided."
        )


@click.command("import-moments")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--campaign", "slug", default=None, help="Campaign slug (default: the latest).")
@click.option("--dry-run", is_flag=True, help="Only say what would be stored and masked.")
def import_moments_command(path: str, slug: str | None, dry_run: bool) -> None:
    """Import a call centre's or chatbot's log (CSV or JSONL: text, date, category, channel)."""
    import os

    campaign = campaigns.find_campaign(slug) if slug else campaigns.chosen_or_latest(None)
    if campaign is None:
        raise click.ClickException(f"캠페인을 찾지 못했어요: {slug or '(캠페인 없음)'}")
    message = imports.too_large(os.path.getsize(path))
    if message:
        raise click.ClickException(message)
    with open(path, "rb") as file:
        data = file.read()
    with _committed(imports.ImportRefused):
        report = imports.import_moments(
            campaign,
            data,
            filename=os.path.basename(path),
            now=utcnow(),
            dry_run=dry_run,
            after_batch=db.session.commit,  # one transaction per IMPORT_BATCH_ROWS rows
        )
    for line in imports.describe(report, campaign=campaign.slug):
        click.echo(line)
