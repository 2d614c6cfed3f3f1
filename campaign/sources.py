"""Sources: a campaign's named entry points (a branch's QR poster, an ATM screen, the app's
cancellation screen, a call centre's text message, a link for staff).

Each source has a name the desk reads, a short code its link carries (`/c/<slug>/s/<code>`: a
code an admin typed as a slug, or six random letters and digits nobody misreads), an optional
description, when it was made and, once retired, when. A source is never deleted: the moments
it brought keep it, and the dashboard keeps counting them.

A link never fails a person: an unknown or retired code still opens the campaign's form, and the
moment is stored without a source (`active_source` answers None). The code is all that is kept,
in a hidden field of the form and then on the moment: no cookie, nothing about the person.

The poster (`poster`) is the source's printable A4 page: the campaign's question in large
type, the QR code of its link (qr.py: drawn here, no third party), the link written out
and a line on anonymity. The desk renders it as a print page and as an SVG of 210 × 297 mm.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from campaign import audit, qr
from campaign.audit import AuditAction
from campaign.extensions import db
from campaign.i18n import _, _l, english, pick
from campaign.intake import clean_text
from campaign.models import Campaign, Moderator, Source
from campaign.refusals import Refusal

CODE_MAX, NAME_MAX, DESCRIPTION_MAX = 32, 60, 200
CODE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?")
# Random codes: no 0/o, 1/l/i, so a code read off a poster is typed right.
RANDOM_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
RANDOM_LENGTH = 6


class SourceError(Refusal):
    """A source could not be added or changed as asked; the message (in the reader's language)
    says why."""


def link_code(raw: str | None) -> str | None:
    """The code a link or the form's hidden field carries, as stored (lower case), or None when
    it cannot be a code (too long, other characters): such a link still opens the form."""
    code = (raw or "").strip().lower()
    return code if len(code) <= CODE_MAX and CODE.fullmatch(code) else None


def sources_of(campaign_id: int) -> list[Source]:
    """The campaign's sources, those in use first, each group oldest first."""
    rows = db.session.scalars(
        select(Source)
        .where(Source.campaign_id == campaign_id)
        .order_by(Source.retired_at.is_not(None), Source.created_at, Source.id)
    )
    return list(rows)


def active_source(campaign_id: int, raw_code: str | None) -> Source | None:
    """The campaign's source in use under this code, or None (no code, an unknown one, or a
    retired source: the moment is then told without one)."""
    code = link_code(raw_code)
    if code is None:
        return None
    return db.session.scalar(
        select(Source).where(
            Source.campaign_id == campaign_id, Source.code == code, Source.retired_at.is_(None)
        )
    )


def _clean_name(name: str | None) -> str:
    name = " ".join(clean_text(name or "")[0].split())
    if not name:
        raise SourceError(_("출처 이름을 적어 주세요. 예: 지점 QR, ATM 화면"), field="name")
    if len(name) > NAME_MAX:
        raise SourceError(
            _(
                "출처 이름은 %(most)s자까지 쓸 수 있어요. %(over)s자를 줄여 주세요.",
                most=NAME_MAX,
                over=len(name) - NAME_MAX,
            ),
            field="name",
        )
    return name


def _name_free(campaign_id: int, name: str, *, but: Source | None = None) -> None:
    clash = db.session.scalar(
        select(Source).where(Source.campaign_id == campaign_id, Source.name == name)
    )
    if clash is not None and clash is not but:
        raise SourceError(
            _("'%(name)s' 출처가 이미 있어요. 다른 이름을 써 주세요.", name=name), field="name"
        )


def _taken_codes(campaign_id: int) -> set[str]:
    return set(db.session.scalars(select(Source.code).where(Source.campaign_id == campaign_id)))


def new_code(taken: set[str]) -> str:
    """Six random letters and digits not yet used by the campaign."""
    while True:
        code = "".join(secrets.choice(RANDOM_ALPHABET) for _ in range(RANDOM_LENGTH))
        if code not in taken:
            return code


def add_source(
    campaign: Campaign,
    *,
    name: str,
    code: str | None = None,
    description: str | None = None,
    by: Moderator | None,
    now: datetime,
) -> Source:
    """A new source for `campaign`: `code` as typed (a slug), or a random one when left empty."""
    name = _clean_name(name)
    _name_free(campaign.id, name)
    description = " ".join(clean_text(description or "")[0].split())
    if len(description) > DESCRIPTION_MAX:
        raise SourceError(
            _(
                "설명은 %(most)s자까지 쓸 수 있어요. %(over)s자를 줄여 주세요.",
                most=DESCRIPTION_MAX,
                over=len(description) - DESCRIPTION_MAX,
            ),
            field="description",
        )
    taken = _taken_codes(campaign.id)
    typed = (code or "").strip()
    if typed:
        chosen = link_code(typed)
        if chosen is None:
            raise SourceError(
                _(
                    "링크 코드는 영문 소문자, 숫자, 하이픈(-)으로 %(most)s자까지 쓸 수 있어요. "
                    "예: branch-qr. 비워 두면 알아서 만들어요.",
                    most=CODE_MAX,
                ),
                field="code",
            )
        if chosen in taken:
            raise SourceError(
                _(
                    "'%(code)s' 코드는 이 캠페인에서 이미 쓰고 있어요. 그만 쓴 출처의 코드도 "
                    "다시 쓸 수 없어요.",
                    code=chosen,
                ),
                field="code",
            )
    else:
        chosen = new_code(taken)
    source = Source(
        campaign_id=campaign.id,
        code=chosen,
        name=name,
        description=description,
        created_at=now,
    )
    db.session.add(source)
    db.session.flush()
    audit.record(by, AuditAction.SOURCE_ADD, source, data={"code": chosen, "name": name})
    return source


def rename_source(source: Source, name: str, *, by: Moderator | None) -> None:
    """A new name for the desk; the code, and so every printed poster, stays."""
    name = _clean_name(name)
    _name_free(source.campaign_id, name, but=source)
    if name == source.name:
        return
    audit.record(by, AuditAction.SOURCE_RENAME, source, data={"from": source.name, "to": name})
    source.name = name


def retire_source(source: Source, *, by: Moderator | None, now: datetime) -> None:
    """Stop counting new moments under this source. Its link keeps opening the form (a poster
    may still hang somewhere), and moments come in without a source."""
    if source.retired_at is not None:
        raise SourceError(_("'%(name)s' 출처는 이미 그만 썼어요.", name=source.name))
    audit.record(by, AuditAction.SOURCE_RETIRE, source, data={"code": source.code})
    source.retired_at = now


# ---- the poster ----------------------------------------------------------------------------------


def _width(text: str) -> float:
    """How wide a text sets, in Hangul widths (Latin letters, digits and spaces are narrower)."""
    return sum(0.55 if ord(ch) < 0x1100 else 1.0 for ch in text)


def poster_lines(text: str, width: float = 11.0, most: int = 5) -> list[str]:
    """The question broken at spaces into lines of at most `width` Hangul widths (a word longer
    than a line gets a line of its own), at most `most` lines, the last cut with an ellipsis."""
    lines: list[str] = []
    for word in text.split():
        if lines and _width(lines[-1]) + 0.55 + _width(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > most:
        lines = lines[: most - 1] + [" ".join(lines[most - 1 :])]
        while _width(lines[-1]) > width - 1 and len(lines[-1]) > 1:
            lines[-1] = lines[-1][:-1]
        lines[-1] = lines[-1].rstrip() + "…"
    return lines


QUESTION_TOP, QUESTION_STEP, QR_MM = 50, 15, 80
SECOND_GAP, SECOND_STEP = 10, 8  # the question's other language: smaller, under it
ANONYMITY = _l("이름도 연락처도 묻지 않아요. 누가 썼는지 남기지 않고, 개인정보는 가려서 저장해요.")


@dataclass(frozen=True)
class Poster:
    """The poster speaks the language of the desk member who prints it; the campaign's question
    is printed large in that language when the campaign has it (else in Korean), and when the
    campaign wrote it in both, the other language's question stands smaller under it, so a
    branch's visitors read it in either."""

    source: Source
    campaign: Campaign
    link: str  # absolute, as printed under the QR code
    question: list[str]  # the campaign's question in poster lines
    qr: qr.Path
    anonymity: str = ANONYMITY
    lang: str = "ko"  # the language of `question`
    second: list[str] = field(default_factory=list)  # the question in the other language
    second_lang: str = ""

    @property
    def link_shown(self) -> str:
        """The link as printed: without its scheme, which nobody types."""
        return self.link.split("://", 1)[-1]

    @property
    def anonymity_lines(self) -> list[str]:
        return poster_lines(self.anonymity, width=30, most=3)

    # Where things sit on the SVG's 210 × 297 mm page (millimetres, text baselines).
    @property
    def second_top(self) -> int:
        return QUESTION_TOP + (len(self.question) - 1) * QUESTION_STEP + SECOND_GAP

    @property
    def question_end(self) -> int:
        if self.second:
            return self.second_top + (len(self.second) - 1) * SECOND_STEP
        return QUESTION_TOP + (len(self.question) - 1) * QUESTION_STEP

    @property
    def qr_top(self) -> int:
        return self.question_end + 17

    @property
    def link_mm(self) -> float:
        """The link's type size: 6.5 mm, smaller for a long link so it fits 180 mm."""
        return round(min(6.5, 180 / (0.6 * max(len(self.link_shown), 1))), 2)


def poster(source: Source, campaign: Campaign, *, link: str) -> Poster:
    """What a source's A4 poster shows (`link` is its absolute address), in the reader's
    language (see `Poster`)."""
    question, lang = pick(campaign.question, campaign.question_en)
    second, second_lang = "", ""
    if (campaign.question_en or "").strip():
        second, second_lang = (
            (campaign.question, "ko") if english() else (campaign.question_en, "en")
        )
    return Poster(
        source,
        campaign,
        link,
        poster_lines(question),
        qr.path(link),
        str(ANONYMITY),
        lang=lang,
        second=poster_lines(second, width=20, most=3) if second else [],
        second_lang=second_lang,
    )
