"""Feedback-case rules (反馈处理闭环, family ``feedback-case``, codes W12x): time limits from
the SLA policy, progress cadence, thanks for suggestions and recurrence (002 二(二),
003 二(三)–(四))."""

from __future__ import annotations

from collections.abc import Iterator

from ..models import Finding, Severity
from ..sla import Metric
from ..text.analysis import analyze
from ..workflow.case import THANKS_KINDS, CaseStage, ResultCommunicated
from ..workflow.case_checks import CaseContext, detect_recurrence, next_progress_due
from .base import REGISTRY, Family, Rule, bad, good, rule

REGISTRY.register_family(
    Family(
        name="feedback-case",
        description="Checks of a feedback case log (002 二(二), 003 二(三)–(四)).",
        make_context=lambda ex, std: _make(ex, std),
    )
)


def _make(example: object, standard: object) -> CaseContext:
    from ..workflow.case_checks import make_case_context

    return make_case_context(example, standard)


def _h(seconds: float) -> str:
    return f"{seconds / 3600:.1f}小时" if seconds >= 3600 else f"{seconds / 60:.0f}分钟"


_FULL = [
    ["recorded", 0],
    ["acknowledged", 0.1],
    ["assessed", 0.5],
    ["assigned", 1],
    ["work_started", 2],
    ["resolved", 20],
    ["result_communicated", 21],
    ["closed", 22],
]


@rule(
    id="case.ack-late",
    code="W121",
    family="feedback-case",
    name_zh="受理确认不及时",
    name_en="late acknowledgement",
    severity=Severity.WARNING,
    clause="003 二(三)",
    message_zh="没有及时告知客户已收到反馈、正在处理(快速响应不等于立即解决)",
    message_en="The customer was not told in time that the feedback was received and is being "
    "handled",
    suggestion_zh="先回复:“已收到您的反馈,我们正在积极处理,会尽快告诉您进展”",
    suggestion_en="Reply first: 'We received your feedback and are on it; we will update you'",
    examples=[
        bad("", review="杯子收到就裂了", log=[["recorded", 0], ["assessed", 0.1]], now_h=2),
        bad("", review="杯子收到就裂了", log=[["recorded", 0], ["acknowledged", 1]]),
        good("", review="杯子收到就裂了", log=_FULL),
    ],
)
def ack_late(ctx: CaseContext, r: Rule) -> Iterator[Finding]:
    for clock in ctx.clocks().of(Metric.ACKNOWLEDGEMENT):
        if clock.breached:
            secs = clock.elapsed.total_seconds()
            yield r.finding(
                message_zh=f"受理确认用时{_h(secs)},超过时限{_h(clock.target.total_seconds())}"
                + ("(仍未告知客户)" if clock.stopped_at is None else ""),
                message_en=f"acknowledged after {secs / 60:.0f} min, target "
                f"{clock.target.total_seconds() / 60:.0f} min",
                data={"cycle": clock.cycle, "rule": clock.rule, "elapsed_s": secs},
            )


@rule(
    id="case.step-overdue",
    code="W122",
    family="feedback-case",
    name_zh="环节超时",
    name_en="step over its time limit",
    severity=Severity.WARNING,
    clause="002 二(二)3",
    message_zh="反馈在某个处理环节停留超过时限",
    message_en="The case stayed in a step longer than its time limit",
    suggestion_zh="按时限推进:分类评估、分派、开始处理各有时限,超时请升级",
    suggestion_en="Move the case on within each step's limit, or escalate",
    examples=[
        bad(
            "",
            review="杯子收到就裂了",
            log=[["recorded", 0], ["acknowledged", 0.1], ["assessed", 5]],
        ),
        good("", review="杯子收到就裂了", log=_FULL),
    ],
)
def step_overdue(ctx: CaseContext, r: Rule) -> Iterator[Finding]:
    for clock in ctx.clocks().of(Metric.STAGE):
        if not clock.breached or clock.stage is None:
            continue
        stage = CaseStage(clock.stage)
        secs = clock.elapsed.total_seconds()
        yield r.finding(
            message_zh=f"“{stage.label_zh}”环节用时{_h(secs)},超过时限{_h(clock.target.total_seconds())}",
            message_en=f"step '{stage.label_en}' took {secs / 3600:.1f} h, limit "
            f"{clock.target.total_seconds() / 3600:.1f} h",
            data={"stage": stage.value, "rule": clock.rule, "elapsed_s": secs},
        )


@rule(
    id="case.resolution-late",
    code="W123",
    family="feedback-case",
    name_zh="处理结果反馈超时",
    name_en="result communicated late",
    severity=Severity.ERROR,
    clause="002 二(二)3-4",
    message_zh="处理结果没有在时限内告知客户",
    message_en="The result was not communicated to the customer within the limit",
    suggestion_zh="在时限内告知处理结果;无法按时解决的,说明原因和预计完成时间",
    suggestion_en="Communicate the result in time; if it cannot be solved, say why and when",
    examples=[
        bad(
            "已为您补发。",
            review="少发了一件",
            priority="P1",
            log=[*_FULL[:5], ["resolved", 30], ["result_communicated", 30]],
        ),
        good("已为您补发。", review="少发了一件", priority="P1", log=_FULL),
    ],
)
def resolution_late(ctx: CaseContext, r: Rule) -> Iterator[Finding]:
    for clock in ctx.clocks().of(Metric.RESOLUTION):
        if clock.breached:
            yield r.finding(
                data={
                    "cycle": clock.cycle,
                    "rule": clock.rule,
                    "elapsed_s": clock.elapsed.total_seconds(),
                    "due": clock.due.isoformat() if clock.due else None,
                }
            )


@rule(
    id="case.progress-overdue",
    code="W124",
    family="feedback-case",
    name_zh="未定期通报进展",
    name_en="progress update overdue",
    severity=Severity.WARNING,
    clause="003 二(三)",
    message_zh="复杂问题处理中,没有按时向客户通报进展和预计完成时间",
    message_en="A complex case owes the customer a progress update with the expected completion",
    suggestion_zh="定期通报:“目前已完成初步排查,预计周五前给您解决方案”",
    suggestion_en="Report progress: 'Initial checks are done; a solution is expected by Friday'",
    examples=[
        bad("", review="APP一直闪退", complex=True, log=_FULL[:5], now_h=40),
        good(
            "",
            review="APP一直闪退",
            complex=True,
            log=[*_FULL[:5], ["progress_updated", 20]],
            now_h=40,
        ),
        good("", review="APP一直闪退", log=_FULL[:5], now_h=40),
    ],
)
def progress_overdue(ctx: CaseContext, r: Rule) -> Iterator[Finding]:
    due = next_progress_due(ctx.case, ctx.policy)
    at = ctx.judged_at
    if due is not None and at is not None and at > due:
        yield r.finding(
            data={
                "due": due.isoformat(),
                "every_h": ctx.policy.progress_every.total_seconds() / 3600,
            }
        )


@rule(
    id="case.suggestion-not-thanked",
    code="W125",
    family="feedback-case",
    name_zh="建议未致谢",
    name_en="suggestion not thanked",
    severity=Severity.WARNING,
    clause="002 二(二)4",
    message_zh="对建议或表扬的回复没有向客户表示感谢",
    message_en="The reply to a suggestion or praise does not thank the customer",
    suggestion_zh="例如:“非常感谢您提出宝贵的建议,我们已转给产品团队评估”",
    suggestion_en="E.g. 'Thank you for the valuable suggestion; we passed it to the product team'",
    examples=[
        bad(
            "已转交产品部门评估。",
            review="建议增加夜间配送",
            kind="suggestion",
            log=[["recorded", 0], ["assessed", 0.2], ["result_communicated", 1]],
        ),
        good(
            "非常感谢您的建议,已转交产品部门评估。",
            review="建议增加夜间配送",
            kind="suggestion",
            log=[["recorded", 0], ["assessed", 0.2], ["result_communicated", 1]],
        ),
    ],
)
def suggestion_not_thanked(ctx: CaseContext, r: Rule) -> Iterator[Finding]:
    st = ctx.case.state
    a = st.assessment
    if a is None or a.kind not in THANKS_KINDS or st.communicated_at is None:
        return
    lex = ctx.standard.lexicon()
    msgs = [
        (i, ev)
        for i, ev in enumerate(ctx.case.events)
        if isinstance(ev, ResultCommunicated) and ev.at >= st.communicated_at
    ]
    for _i, ev in msgs:
        if ev.thanked or (ev.thanked is None and analyze(ev.text, lex).has("wf_thanks")):
            return
    yield r.finding(data={"event": msgs[0][0] if msgs else None, "kind": a.kind})


@rule(
    id="case.recurring",
    code="W126",
    family="feedback-case",
    name_zh="问题复发",
    name_en="recurring problem",
    severity=Severity.ERROR,
    clause="002 二(二)6",
    message_zh="同一客户或同一产品在闭环后短期内再次反馈同类问题,闭环没有真正完成",
    message_en="The same customer or product raised the same topic soon after closure: the loop "
    "did not really close",
    suggestion_zh="追溯上次的根因与改进措施,跟踪改进效果,防止再次发生",
    suggestion_en="Revisit the earlier root cause and improvement; track its effect",
    examples=[
        bad(
            "",
            review="又是快递送错",
            log=[["recorded", 0], ["assessed", 0.2]],
            history=[{"log": _FULL, "start_h": -240}],
        ),
        good(
            "",
            review="又是快递送错",
            log=[["recorded", 0], ["assessed", 0.2]],
            history=[{"log": _FULL, "start_h": -2400}],
        ),
        good(
            "",
            review="又是快递送错",
            log=[["recorded", 0], ["assessed", 0.2]],
            history=[{"log": _FULL, "start_h": -240, "topics": ["price"]}],
        ),
    ],
)
def recurring(ctx: CaseContext, r: Rule) -> Iterator[Finding]:
    for rec in detect_recurrence(ctx.case, ctx.history, window=ctx.policy.recurrence_window):
        days = rec.after.total_seconds() / 86400
        yield r.finding(
            message_zh=f"与工单{rec.case_id}(闭环后{days:.0f}天)同类问题("
            + "、".join(rec.topics)
            + ")再次出现",
            message_en=f"repeats case {rec.case_id} ({days:.0f} days after its closure) on "
            + ", ".join(rec.topics),
            data={
                "case": rec.case_id,
                "by": list(rec.by),
                "topics": list(rec.topics),
                "days": days,
            },
        )
