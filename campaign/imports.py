"""Importing what other channels already heard: a call centre's or a chatbot's log as CSV or
JSONL, every line told as a moment through the same steps as the public form.

A file is read whole (at most IMPORT_MAX_BYTES): UTF-8 with or without a BOM, else CP949 (which
covers EUC-KR, as Korean call-centre software writes it); a binary file, UTF-16 or a spreadsheet
is refused with a Korean message before any row is read. Columns (a CSV header, or a JSONL
object's keys) are `text` and `date` (required) and `category`, `channel`, in English or Korean
(내용/본문, 날짜/일자, 분야, 경로). A date is YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD or an ISO
date-time; one without an offset is read in the campaign's time zone, one without a time is
the start of that local day, and only the hour is kept (privacy.coarse_hour), like every moment.

Each text is cleaned by intake (submissions.cleaned_fields, length_ok), masked by
privacy.mask_pii as a text sent masked (submissions.SEND_MASKED: nobody is there to keep a span),
flagged for urgent phrases and stored by submissions.new_moment, marked `origin = "import"` with
the import's batch id; the worker settles it like any moment (`jobs.later("settle")`).

Duplicates: the same text on the same local day, within the file or already imported into the
campaign, is skipped. The test is a keyed digest (privacy.content_digest, under the pepper) of
the campaign, the day and the *masked* text, stored on the moment (`import_digest`). A digest of
the raw text would let anyone holding the pepper confirm a guessed phone number against a stored
masked body; the masked text is already stored, so its digest tells nothing more. The price: two
lines that differ only in the personal data masked out of them count as one.

Nothing here commits. `after_batch`, when given, is called after every IMPORT_BATCH_ROWS rows are
added and flushed: the command line commits there, one transaction per batch; the desk's
`change` commits once at the end.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from campaign import audit, jobs, privacy, submissions
from campaign.audit import AuditAction
from campaign.campaigns import local_today
from campaign.extensions import db
from campaign.i18n import _, _l
from campaign.intake import FIRST_DAY, LAST_DAY
from campaign.models import ORIGIN_IMPORT, Campaign, Moderator, Moment
from campaign.refusals import Refusal

# Header names as call centres and chatbots write them, compared without case, spaces or _.
COLUMNS = {
    "text": ("text", "body", "content", "message", "내용", "본문", "상담내용", "문의내용"),
    "date": ("date", "datetime", "createdat", "timestamp", "날짜", "일자", "일시", "접수일"),
    "category": ("category", "분야", "분류"),
    "channel": ("channel", "경로", "채널"),
}
_ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
EXAMPLES = 5  # masked examples a dry run shows
REFUSALS_SHOWN = 200  # refused lines listed by line number (all are counted)

_UTF16 = _l("UTF-16으로 저장된 파일이에요. UTF-8이나 CP949(EUC-KR)로 저장해서 올려 주세요.")
# File starts that are never a text file, with what to say about each.
_BINARY_STARTS = (
    (
        b"PK\x03\x04",
        _l("엑셀(.xlsx)이나 압축 파일은 읽지 못해요. CSV(UTF-8)로 저장해서 올려 주세요."),
    ),
    (b"\xd0\xcf\x11\xe0", _l("엑셀(.xls) 파일은 읽지 못해요. CSV(UTF-8)로 저장해서 올려 주세요.")),
    (b"%PDF", _l("PDF 파일은 읽지 못해요. CSV나 JSONL 파일을 올려 주세요.")),
    (b"\x1f\x8b", _l("압축 파일은 읽지 못해요. 압축을 풀어서 CSV나 JSONL 파일을 올려 주세요.")),
    (b"\xff\xfe", _UTF16),
    (b"\xfe\xff", _UTF16),
)
_TEXT_CONTROLS = bytes(b for b in range(32) if b not in b"\t\n\r")
_NOT_TEXT = _l("텍스트 파일이 아닌 것 같아요. CSV나 JSONL 파일을 올려 주세요.")

_WHEN = re.compile(
    r"(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?"
    r"(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)


class ImportRefused(Refusal):
    """The whole file cannot be read; the message (Korean) says why and what to do."""


@dataclass(frozen=True)
class Row:
    """One line of the file as read, before any checks; `problem` when it could not be read."""

    line: int
    text: object = None
    date: object = None
    category: object = None
    channel: object = None
    problem: str | None = None


@dataclass(frozen=True)
class Refused:
    line: int
    reason: str


@dataclass
class Report:
    """What an import did (or, in a dry run, would do). Never holds unmasked text."""

    batch: str
    dry_run: bool
    format: str = ""
    encoding: str = ""
    rows: int = 0
    stored: int = 0  # in a dry run: would be stored
    duplicates: int = 0
    refused_count: int = 0
    refused: list[Refused] = field(default_factory=list)  # the first REFUSALS_SHOWN
    masked: Counter = field(default_factory=Counter)  # spans masked, by personal-data type
    examples: list[str] = field(default_factory=list)  # masked texts that had something masked
    unknown_category: int = 0  # values left out: not one of the campaign's own
    unknown_channel: int = 0

    def refuse(self, line: int, reason: str) -> None:
        self.refused_count += 1
        if len(self.refused) < REFUSALS_SHOWN:
            self.refused.append(Refused(line, reason))

    @property
    def masked_described(self) -> list[str]:
        return privacy.describe_masked(dict(self.masked))

    def summary(self) -> dict:
        """Counts only, as the audit event keeps them."""
        return {
            "rows": self.rows,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "refused": self.refused_count,
            "masked": dict(self.masked),
            "format": self.format,
        }


# --- reading a file ------------------------------------------------------------------------------


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}".removesuffix(".0") + "MB"


def _too_long(count: int, most: int) -> str:
    return _(
        "내용이 너무 길어요(%(count)s자, %(most)s자까지)", count=f"{count:,}", most=f"{most:,}"
    )


def too_large(size: int) -> str | None:
    """The message for a file over IMPORT_MAX_BYTES, or None (views check before reading it)."""
    limit = current_app.config["IMPORT_MAX_BYTES"]
    if size <= limit:
        return None
    return _(
        "파일이 너무 커요(%(size)s). 한 번에 %(limit)s까지 올릴 수 있어요. "
        "파일을 나눠서 올려 주세요.",
        size=_megabytes(size),
        limit=_megabytes(limit),
    )


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read in ("UTF-8" or "CP949"), or ImportRefused."""
    message = too_large(len(data))
    if message:
        raise ImportRefused(message, field="file")
    if not data.strip():
        raise ImportRefused(_("파일이 비어 있어요. 내용이 있는 파일을 올려 주세요."), field="file")
    for start, said in _BINARY_STARTS:
        if data.startswith(start):
            raise ImportRefused(said, field="file")
    # A stray NUL or control is dropped like the form drops it; many are a binary file.
    head = data[:65536]
    if len(head) - len(head.translate(None, _TEXT_CONTROLS)) > len(head) // 100 + 4:
        raise ImportRefused(_NOT_TEXT, field="file")
    for codec, name in (("utf-8-sig", "UTF-8"), ("cp949", "CP949")):
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise ImportRefused(
        _("파일의 글자를 읽지 못했어요. UTF-8이나 CP949(EUC-KR)로 저장해서 올려 주세요."),
        field="file",
    )


def _column(name: object) -> str | None:
    key = re.sub(r"[\s_\-]", "", str(name or "").lstrip("\ufeff")).lower()
    return _ALIASES.get(key)


def _is_jsonl(text: str, filename: str) -> bool:
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix in ("jsonl", "ndjson", "json"):
        return True
    if suffix in ("csv", "tsv", "txt"):
        return False
    return text.lstrip().startswith("{")


def _csv_rows(text: str) -> Iterator[Row]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    limit = current_app.config["IMPORT_MAX_BYTES"]
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)  # a too-long text is refused as a row, not as the file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return iter(())
    except csv.Error as error:
        raise ImportRefused(
            _("첫 줄(열 이름)을 읽지 못했어요: %(error)s", error=error), field="file"
        ) from error
    positions = {}
    for i, name in enumerate(header):
        column = _column(name)
        if column and column not in positions:
            positions[column] = i
    missing = [name for name in ("text", "date") if name not in positions]
    if missing:
        names = {"text": _("text(내용)"), "date": _("date(날짜)")}
        raise ImportRefused(
            _(
                "%(names)s 열이 없어요. 첫 줄에 열 이름을 적어 주세요. "
                "예: text,date,category,channel 또는 내용,날짜,분야,경로",
                names=", ".join(names[m] for m in missing),
            ),
            field="file",
        )
    return _csv_body(reader, positions)


def _csv_body(reader, positions: dict[str, int]) -> Iterator[Row]:
    line = reader.line_num
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield Row(start, problem=_("CSV로 읽지 못했어요 (%(error)s)", error=error))
            return
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        yield Row(
            start,
            **{name: values[i] if i < len(values) else None for name, i in positions.items()},
        )


def _jsonl_rows(text: str) -> Iterator[Row]:
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than Python reads
            yield Row(number, problem=_("JSON으로 읽지 못했어요"))
            continue
        if not isinstance(value, dict):
            yield Row(number, problem=_("한 줄에 JSON 객체 하나({…})가 있어야 해요"))
            continue
        fields = {}
        for key, item in value.items():
            column = _column(key)
            if column and column not in fields:
                fields[column] = item
        yield Row(number, **fields)


def read_rows(data: bytes, filename: str = "") -> tuple[str, str, Iterator[Row]]:
    """(format, encoding, rows) of a file; ImportRefused when the file as a whole is unreadable
    (too large, binary, an unknown encoding, a CSV without a text or date column)."""
    text, encoding = decode(data)
    text = text.replace("\x00", "")  # as the form drops it (intake.without_nul)
    if _is_jsonl(text, filename):
        return "JSONL", encoding, _jsonl_rows(text)
    return "CSV", encoding, _csv_rows(text)


def parse_when(raw: object) -> datetime | None:
    """A date or date-time as call-centre logs write it, as naive UTC (a date alone: the start
    of that day in the campaign's time zone), or None when it cannot be read."""
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    match = _WHEN.fullmatch(raw.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        when = datetime.combine(
            date(int(year), int(month), int(day)),
            time(int(hour or 0), int(minute or 0), int(second or 0)),
        )
    except ValueError:
        return None
    if not FIRST_DAY <= when.date() <= LAST_DAY:
        return None
    if offset:
        try:
            when = datetime.fromisoformat(
                when.isoformat() + ("+00:00" if offset == "Z" else offset)
            )
        except ValueError:  # an offset no clock has (+99:00)
            return None
    else:
        when = when.replace(tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))
    return when.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _label(value: object) -> str | None:
    if value is None:
        return None
    return " ".join(str(value).split()) or None


# --- importing -----------------------------------------------------------------------------------


@dataclass
class _Ready:
    line: int
    digest: str
    moment_fields: dict


def import_moments(
    campaign: Campaign,
    data: bytes,
    *,
    filename: str = "",
    now: datetime,
    dry_run: bool,
    by: Moderator | None = None,
    after_batch: Callable[[], None] | None = None,
) -> Report:
    """Read `data` (a CSV or JSONL file) and store each acceptable line as an imported moment of
    `campaign`, or with `dry_run` only say what would be stored. Writes one audit event (with
    counts, never text) once every row is through. ImportRefused for an unreadable file."""
    report = Report(batch=audit.new_batch(), dry_run=dry_run)
    report.format, report.encoding, rows = read_rows(data, filename)
    config = current_app.config
    size = config["IMPORT_BATCH_ROWS"]
    urgent = submissions.urgent_matcher()
    today = local_today(now)
    seen: set[str] = set()
    pending: list[_Ready] = []
    if not dry_run:  # two imports at once (a double-click) run one after the other on PostgreSQL,
        # so the second finds the first's lines already stored
        db.session.execute(select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())
    for row in rows:
        report.rows += 1
        ready = _prepare(campaign, row, report, now=now, today=today)
        if ready is None:
            continue
        if ready.digest in seen:
            report.duplicates += 1
            continue
        seen.add(ready.digest)
        pending.append(ready)
        if len(pending) >= size:
            _store(campaign, pending, report, urgent=urgent, now=now, after_batch=after_batch)
            pending = []
    _store(campaign, pending, report, urgent=urgent, now=now, after_batch=None)
    audit.record(
        by,
        AuditAction.MOMENTS_IMPORT_CHECK if dry_run else AuditAction.MOMENTS_IMPORT,
        campaign,
        data=report.summary(),
        batch=report.batch,
    )
    db.session.flush()
    return report


def _prepare(
    campaign: Campaign, row: Row, report: Report, *, now: datetime, today: date
) -> _Ready | None:
    """The row cleaned and masked, or None after counting why it was refused."""
    if row.problem:
        report.refuse(row.line, row.problem)
        return None
    if row.text is not None and not isinstance(row.text, str):
        report.refuse(row.line, _("내용(text)이 글이 아니에요"))
        return None
    config = current_app.config
    raw = row.text or ""
    if len(raw) > config["BODY_MAX_CHARS"] * 4:  # never clean or mask 100,000 characters
        report.refuse(row.line, _too_long(len(raw), config["BODY_MAX_CHARS"]))
        return None
    body, _flags, cleaned = submissions.cleaned_fields(raw, None)
    if not body:
        report.refuse(row.line, _("내용(text)이 비어 있어요"))
        return None
    if not submissions.length_ok(body):
        n = submissions.count_chars(body)
        report.refuse(
            row.line,
            _(
                "내용이 너무 짧아요(%(count)s자, %(least)s자부터)",
                count=n,
                least=config["BODY_MIN_CHARS"],
            )
            if n < config["BODY_MIN_CHARS"]
            else _too_long(n, config["BODY_MAX_CHARS"]),
        )
        return None
    if row.date is None or (isinstance(row.date, str) and not row.date.strip()):
        report.refuse(row.line, _("날짜(date)가 비어 있어요"))
        return None
    when = parse_when(row.date)
    if when is None:
        report.refuse(
            row.line,
            _(
                "날짜를 읽지 못했어요(2026-03-05, 2026.03.05, 2026/03/05 또는 "
                "2026-03-05T14:20:00 꼴로 적어 주세요)"
            ),
        )
        return None
    day = local_today(when)
    if day > today:
        report.refuse(row.line, _("앞으로 올 날짜예요"))
        return None
    if not campaign.is_open_on(day):
        until = f"{campaign.closes_on:%Y-%m-%d}" if campaign.closes_on else _("지금")
        report.refuse(
            row.line,
            _(
                "캠페인 기간(%(opens)s~%(until)s) 밖의 날짜예요",
                opens=f"{campaign.opens_on:%Y-%m-%d}",
                until=until,
            ),
        )
        return None
    category, channel = _label(row.category), _label(row.channel)
    if category and category not in campaign.categories:
        report.unknown_category += 1
    if channel and channel not in campaign.channels:
        report.unknown_channel += 1
    masked = privacy.mask_pii(body, day)  # SEND_MASKED: nobody is here to keep a span
    return _Ready(
        row.line,
        privacy.content_digest("import", campaign.slug, day.isoformat(), masked.text),
        dict(
            body=masked.text,
            masked=masked.counts,
            cleaned=cleaned,
            category=category,
            channel=channel,
            now=min(when, now),
        ),
    )


def _store(
    campaign: Campaign,
    pending: list[_Ready],
    report: Report,
    *,
    urgent: Callable[[str], bool],
    now: datetime,
    after_batch: Callable[[], None] | None,
) -> None:
    """Skip what the campaign already holds; count the rest, and add it unless a dry run."""
    if not pending:
        return
    already = set(
        db.session.scalars(
            select(Moment.import_digest).where(
                Moment.campaign_id == campaign.id,
                Moment.import_digest.in_([r.digest for r in pending]),
            )
        )
    )
    for ready in pending:
        if ready.digest in already:
            report.duplicates += 1
            continue
        report.stored += 1
        fields = ready.moment_fields
        report.masked.update(fields["masked"])
        if fields["masked"] and len(report.examples) < EXAMPLES:
            report.examples.append(fields["body"])
        if report.dry_run:
            continue
        db.session.add(
            submissions.new_moment(
                campaign,
                suggestion=None,
                receipt_code=privacy.new_receipt_code(),  # nobody holds it: never shown
                urgent=urgent,
                origin=ORIGIN_IMPORT,
                import_batch=report.batch,
                import_digest=ready.digest,
                **fields,
            )
        )
    if report.dry_run:
        return
    db.session.flush()
    jobs.later(db.session, "settle", campaign.id)
    if after_batch is not None:
        after_batch()


def describe(report: Report, *, campaign: str) -> list[str]:
    """The report as Korean lines, for the terminal (masked examples only)."""
    verb = "저장할 줄" if report.dry_run else "저장한 줄"
    lines = [
        f"{'미리 보기' if report.dry_run else '가져오기'}: {campaign} ({report.format}, "
        f"{report.encoding})",
        f"읽은 줄 {report.rows:,} · {verb} {report.stored:,} · 중복이라 건너뛴 줄 "
        f"{report.duplicates:,} · 받지 않은 줄 {report.refused_count:,}",
    ]
    if report.masked:
        lines.append("가릴 개인정보: " + ", ".join(report.masked_described))
    if report.unknown_category or report.unknown_channel:
        lines.append(
            f"캠페인에 없는 분야 {report.unknown_category:,}줄, "
            f"경로 {report.unknown_channel:,}줄은 비워 두었어요"
        )
    lines += [f"  {r.line}번째 줄: {r.reason}" for r in report.refused]
    if report.refused_count > len(report.refused):
        lines.append(f"  … 그 밖에 {report.refused_count - len(report.refused):,}줄")
    lines += [f"  예: {example}" for example in report.examples]
    return lines
