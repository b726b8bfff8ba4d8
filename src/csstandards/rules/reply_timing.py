"""Timeliness of a reply (000 §2.1 及时性): late replies and the peak-period delay notice.

The due time comes from the SLA engine (:func:`csstandards.sla.review_reply_deadline`, which
knows the targets of 000 §2.1, peak windows and calendars).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

from ..models import Finding, Rating, Severity
from ..sla import ReviewReplyDeadline, default_policy, review_reply_deadline
from .base import Rule, bad, good, rule
from .context import ReplyContext
from .reply_common import positive_hits, rating_of

NEG = Rating.NEGATIVE
POS = Rating.POSITIVE
_CN = timezone(timedelta(hours=8))


def reply_deadline(ctx: ReplyContext) -> ReviewReplyDeadline | None:
    """The deadline of the reply from the SLA engine, or None without ``reviewed_at``."""
    if ctx.reviewed_at is None:
        return None

    def compute() -> ReviewReplyDeadline:
        assert ctx.reviewed_at is not None
        rating = rating_of(ctx) or Rating.NEUTRAL
        policy = ctx.standard.sla
        holidays = getattr(ctx.standard, "holidays", ())
        if holidays:  # the company's policy (or the default) with the extra schedules
            policy = (policy or default_policy()).with_holidays(*holidays)
        return review_reply_deadline(
            ctx.reviewed_at, rating=rating, urgent=ctx.urgent, policy=policy
        )

    result: ReviewReplyDeadline = ctx.cached("deadline", compute)
    return result


def _hours(td: timedelta) -> float:
    return round(td.total_seconds() / 3600, 2)


@rule(
    id="reply.late-reply",
    code="R121",
    family="reply",
    name_zh="回复超时",
    name_en="late reply",
    severity=Severity.WARNING,
    clause="000 §2.1",
    message_zh="回复晚于时限(差评12小时、好评/中评24小时、紧急3小时、高峰期48小时)",
    message_en="The reply came after the deadline (negative 12 h, others 24 h, urgent 3 h, peak 48 h)",
    suggestion_zh="及时回复;差评优先,2小时内回复情绪缓解率更高",
    suggestion_en="Reply sooner; negative reviews first",
    examples=[
        bad(
            "非常抱歉,已为您补发,明天送达。",
            review="少发一件",
            rating=NEG,
            reviewed_at=datetime(2026, 3, 2, 9, 0, tzinfo=_CN),
            replied_at=datetime(2026, 3, 4, 9, 0, tzinfo=_CN),
        ),
        bad(
            "谢谢您的认可,期待再次光临!",
            review="很好",
            rating=POS,
            reviewed_at=datetime(2026, 3, 2, 9, 0, tzinfo=_CN),
            replied_at=datetime(2026, 3, 3, 10, 0, tzinfo=_CN),
        ),
        good(
            "非常抱歉,已为您补发,明天送达。",
            review="少发一件",
            rating=NEG,
            reviewed_at=datetime(2026, 3, 2, 1, 0, tzinfo=_CN),
            replied_at=datetime(2026, 3, 2, 7, 0, tzinfo=_CN),
            note="凌晨1点的差评,早上7点回复",
        ),
        good("谢谢您的认可,期待再次光临!", review="很好", rating=POS, note="no timestamps"),
    ],
)
def late_reply(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    if ctx.replied_at is None:
        return
    dl = reply_deadline(ctx)
    if dl is None or ctx.replied_at <= dl.due:
        return
    assert ctx.reviewed_at is not None
    late_by = ctx.replied_at - dl.due
    yield r.finding(
        message_zh=f"回复超时:时限{_hours(dl.target):g}小时,晚了{_hours(late_by):g}小时",
        message_en=f"Late reply: target {_hours(dl.target):g} h, late by {_hours(late_by):g} h",
        data={
            "due": dl.due.isoformat(),
            "replied_at": ctx.replied_at.isoformat(),
            "target_hours": _hours(dl.target),
            "late_hours": _hours(late_by),
        },
    )


@rule(
    id="reply.missing-delay-notice",
    code="R122",
    family="reply",
    name_zh="高峰期未说明延迟",
    name_en="missing delay notice",
    severity=Severity.WARNING,
    clause="000 §2.1",
    message_zh="高峰期延长时限内的回复,需说明“近期咨询量较大,感谢您的耐心等待”",
    message_en="A reply using the peak-period extension must say volume is high and thank the "
    "customer for waiting",
    suggestion_zh="加一句:“近期咨询量较大,感谢您的耐心等待”",
    suggestion_en="Add: 'We have had many enquiries recently; thank you for your patience'",
    examples=[
        bad(
            "谢谢您的认可,期待再次光临!",
            review="很好",
            rating=POS,
            reviewed_at=datetime(2026, 11, 11, 10, 0, tzinfo=_CN),
            replied_at=datetime(2026, 11, 12, 20, 0, tzinfo=_CN),
        ),
        good(
            "近期咨询量较大,感谢您的耐心等待!谢谢您的认可,期待再次光临!",
            review="很好",
            rating=POS,
            reviewed_at=datetime(2026, 11, 11, 10, 0, tzinfo=_CN),
            replied_at=datetime(2026, 11, 12, 20, 0, tzinfo=_CN),
        ),
        good(
            "双十一订单太多,回复晚了,让您久等啦!谢谢认可,期待再见~",
            review="很好",
            rating=POS,
            reviewed_at=datetime(2026, 11, 11, 10, 0, tzinfo=_CN),
            replied_at=datetime(2026, 11, 12, 20, 0, tzinfo=_CN),
            note="the notice in other words",
        ),
        good(
            "谢谢您的认可,期待再次光临!",
            review="很好",
            rating=POS,
            reviewed_at=datetime(2026, 11, 11, 10, 0, tzinfo=_CN),
            replied_at=datetime(2026, 11, 11, 12, 0, tzinfo=_CN),
            note="replied within the normal 24 h: no notice needed",
        ),
    ],
)
def missing_delay_notice(ctx: ReplyContext, r: Rule) -> Iterator[Finding]:
    if ctx.replied_at is None or ctx.reviewed_at is None:
        return
    dl = reply_deadline(ctx)
    if dl is None or not dl.notice_required:
        return
    if ctx.replied_at - ctx.reviewed_at <= (dl.normal_target or dl.target):
        return
    if positive_hits(ctx, "delay_notice"):
        return
    yield r.finding(
        data={
            "peak_window": dl.peak_window,
            "waited_hours": _hours(ctx.replied_at - ctx.reviewed_at),
        }
    )
