"""`flask ...` commands. Each parses its options, calls the domain, and commits once."""

from __future__ import annotations


import click
from flask import Flask

from campaign import campaigns, demo
from campaign.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(create_campaign_command)


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when any campaign exists already.")
def demo_command(if_empty: bool) -> None:
    """Load the demo campaign with realistic Korean finance moments."""
    if if_empty and not demo.is_empty():
        click.echo("Demo data: the database already has campaigns; left as it is.")
        return
    try:
        campaign = demo.load_demo()
    except campaigns.CampaignError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Demo data: campaign '{campaign.slug}' with {len(demo.MOMENTS)} moments.")


def _split(value: str) -> list[str]:
    return [part for part in (p.strip() for p in value.split(",")) if part]


@click.command("create-campaign")
@click.option("--slug", required=True, help="URL name, e.g. finance-2026 (served at /c/<slug>/).")
@click.option("--title", required=True)
@click.option("--question", required=True, help="The one question the campaign asks.")
@click.option("--intro", default="")
@click.option("--categories", default="", help="Comma-separated, e.g. '송금·이체,카드,기타'.")
@click.option("--channels", default="", help="Comma-separated, e.g. '앱,웹,전화 상담'.")
@click.option("--opens", "opens_on", type=click.DateTime(["%Y-%m-%d"]), default=None, help="YYYY-MM-DD; default today.")
@click.option("--closes", "closes_on", type=click.DateTime(["%Y-%m-%d"]), default=None, help="YYYY-MM-DD; default open-ended.")
def create_campaign_command(slug, title, question, intro, categories, channels, opens_on, closes_on) -> None:
    """Create a campaign from the terminal."""
    try:
        campaign = campaigns.create_campaign(
            slug=slug, title=title, question=question, intro=intro,
            categories=_split(categories), channels=_split(channels),
            opens_on=opens_on.date() if opens_on else campaigns.local_today(),
            closes_on=closes_on.date() if closes_on else None,
        )
    except campaigns.CampaignError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created campaign '{campaign.slug}': /c/{campaign.slug}/")
