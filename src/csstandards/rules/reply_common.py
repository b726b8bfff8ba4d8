"""Shared facts for the reply rules (no rules here): placeholders, live cue hits, blame
sentences, concrete times, the review's key points and whether the reply addresses them.

Every helper memoises its result on the :class:`ReplyContext`, so one check computes each fact
once however many rules ask.  Nothing here segments text: rules work on phrase hits and a few
regular expressions over the normalised text, which keeps a check cheaper than segmentation.
"""

from __future__ import annotations

import importlib
import itertools
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import add
from typing import Any

from .._intervals import RangeIndex, merge_intervals, uncovered
from ..judge.scope import scope_of
from ..lexicon import LexiconHit, load_file, phrase_lists
from ..models import Rating
from ..text.phrases import PhraseMatcher
from .context import ReplyContext

__all__ = [
    "FirstCharScan",
    "Issue",
    "Point",
    "addressed_issues",
    "blame_hits",
    "complaint_start",
    "content_residual",
    "cue_hits",
    "excluded",
    "find_placeholder_ranges",
    "has_concrete_time",
    "has_review",
    "is_consultation",
    "live_hits",
    "missed_points",
    "positive_hits",
    "rating_of",
    "review_issues",
    "review_points",
    "time_placeholder",
]

# -- placeholders ------------------------------------------------------------------------

_PLACEHOLDER = re.compile(
    r"\{\{[^{}\n]{1,40}\}\}"  # {{order_id}}
    r"|\$\{[^{}\n]{1,40}\}"  # ${eta}
    r"|\{[^{}\n]{1,40}\}"  # {name}
    r"|【[^【】\n]{1,20}】"  # 【客户名】
    r"|%\([a-z_]{1,30}\)s"  # %(name)s
)
_TIME_NAME = re.compile(
    r"eta|time|date|day|hour|minute|deadline|due|when|时间|日期|时效|天数|送达|到账|预计|时限|期限|小时|几点|时段"
)


def find_placeholder_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """``[start, end)`` ranges of template placeholders in a *normalised* text."""
    if "{" not in text and "【" not in text and "%(" not in text:
        return ()
    return tuple((m.start(), m.end()) for m in _PLACEHOLDER.finditer(text))


def time_placeholder(name: str) -> bool:
    """Whether a placeholder (``{eta}``, ``【送达时间】``) stands for a time."""
    return bool(_TIME_NAME.search(name.lower()))


# -- hits ----------------------------------------------------------------------------------


def excluded(ctx: ReplyContext, start: int, end: int) -> bool:
    """Whether normalised ``[start, end)`` of the reply is quoted or inside a placeholder: cues
    there are not the reply's own words."""
    return ctx.reply.in_quote(start, end) or ctx.in_placeholder(start, end)


class FirstCharScan:
    """``pattern.finditer`` that tries ``pattern`` only where a character of ``first`` stands.

    The engine otherwise tries every alternative of a long pattern at every position of the
    text; a character class finds the few places a match can begin far faster.  ``first``
    must hold every character a match of ``pattern`` can begin with (a superset is safe, only
    slower): a test derives those characters from the parsed pattern, another compares the
    matches with ``finditer``.  Patterns here never match the empty string."""

    __slots__ = ("after_miss", "first", "pattern")

    def __init__(
        self, pattern: re.Pattern[str], first: str, after_miss: re.Pattern[str] | None = None
    ) -> None:
        self.pattern = pattern
        self.first = re.compile(f"[{first}]")
        # tried instead of ``pattern`` at the position right after one where it failed
        # (must match exactly what ``pattern`` matches there)
        self.after_miss = after_miss or pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        search, match, miss_match = self.first.search, self.pattern.match, self.after_miss.match
        pos, n = 0, len(text)
        missed = -2  # the last position where no match started
        while pos < n:
            f = search(text, pos)
            if f is None:
                return
            i = f.start()
            m = (miss_match if missed == i - 1 else match)(text, i)
            if m is None:
                pos = i + 1
                missed = i
            else:
                yield m
                pos = max(m.end(), i + 1)


#: the scope of a list that declares none (lexicon ``scope``): the reply's own words only
_DEFAULT_SCOPE: tuple[str, ...] = ("quotation", "placeholder", "negation")


def cue_hits(ctx: ReplyContext, list_name: str) -> list[tuple[int, int, str]]:
    """Every cue of ``list_name`` in the reply, scope not applied: its phrase hits and the
    matches of its patterns (lexicon ``patterns``, :mod:`csstandards.judge.patterns`), minus
    those inside a match of its ``exceptions``; ordered by (start, -end)."""

    def compute() -> list[tuple[int, int, str]]:
        a = ctx.reply
        text = a.text
        out = [(h.start, h.end, h.phrase) for h in a.hits.get(list_name, ())]
        if list_name not in phrase_lists():
            return out
        std = ctx.standard  # the shipped patterns plus the company's (Standard.patterns)
        pats = std.cue_patterns(list_name)
        if pats:
            out += [(s, e, text[s:e]) for s, e, _ in pats.finditer(text)]
            out.sort(key=lambda t: (t[0], -t[1]))
        excs = std.cue_patterns(list_name, "exceptions") if out else None
        if excs:
            exc = [(s, e) for s, e, _ in excs.finditer(text)]
            if exc:
                out = [t for t in out if not any(s <= t[0] and t[1] <= e for s, e in exc)]
        return out

    return ctx.cached(f"cues:{list_name}", compute)


def live_hits(
    ctx: ReplyContext, list_name: str, *, negatable: bool = True
) -> list[tuple[int, int, str]]:
    """Cues of ``list_name`` (:func:`cue_hits`) that are the reply's own act: outside the
    list's scope (:func:`csstandards.judge.scope.scope_of`; a list that declares none is
    read outside quotations, placeholders and, when ``negatable``, negation), and not inside
    a longer live cue of the same list."""

    def compute() -> list[tuple[int, int, str]]:
        a = ctx.reply
        out: list[tuple[int, int, str]] = []
        hits = cue_hits(ctx, list_name)
        if not hits:
            return out
        spec = phrase_lists().get(list_name)
        scopes: tuple[str, ...] = spec.scope if spec is not None and spec.scope else _DEFAULT_SCOPE
        if not negatable:
            scopes = tuple(sc for sc in scopes if sc != "negation")
        placeholders = ctx.placeholder_index()
        # Hits come ordered by (start, -end): every live hit so far starts at or before this
        # one, so "inside a longer live hit" is "the furthest live end reaches past it", and
        # none can lie inside this one (it would share the start and be longer).
        reach = -1
        for st, en, phrase in hits:
            if scope_of(a, st, en, scopes, placeholders=placeholders) is not None:
                continue
            if out and reach >= en:
                continue  # inside a longer live hit
            out.append((st, en, phrase))
            reach = max(reach, en)
        return out

    return ctx.cached(f"live:{list_name}:{negatable}", compute)


def _sentence_of(ctx: ReplyContext, pos: int) -> tuple[int, int]:
    s = ctx.reply.sentence_at(pos)  # bisect: sentences are sorted and disjoint
    return (s.start, s.end) if s is not None else (pos, pos)


def defensive_spans(ctx: ReplyContext) -> list[tuple[int, int, str]]:
    """Live defensive cues: phrases and patterns of ``defensive`` (对立化, blaming the
    customer: 可能是您自己操作不当)."""
    return live_hits(ctx, "defensive")


def blame_hits(ctx: ReplyContext) -> list[tuple[int, int, str]]:
    """Blame-shifting cues (推诿) that count: live, and not in a sentence that takes
    responsibility (这不是快递的问题,是我们打包的疏漏)."""

    def compute() -> list[tuple[int, int, str]]:
        owned = ctx.reply.hits_of("takes_responsibility")
        out = []
        for start, end, phrase in live_hits(ctx, "blame_shifting"):
            ss, se = _sentence_of(ctx, start)
            if any(ss <= h.start < se for h in owned):
                continue
            out.append((start, end, phrase))
        return out

    return ctx.cached("blame", compute)


def blamed_sentences(ctx: ReplyContext) -> tuple[tuple[int, int], ...]:
    """Whole sentences carrying a blame-shifting cue (voice features skip them)."""
    return ctx.cached(
        "blamed", lambda: tuple(sorted({_sentence_of(ctx, s) for s, _, _ in blame_hits(ctx)}))
    )


def blamed_spans(ctx: ReplyContext) -> tuple[tuple[int, int], ...]:
    """What an excuse covers: from the clause of the first blame-shifting cue of a sentence to
    the end of that sentence (物流属于第三方,我们无法控制,请耐心等待).  Nothing in it counts as
    good practice; what precedes it in the sentence (非常抱歉,…) still does."""

    def compute() -> tuple[tuple[int, int], ...]:
        a = ctx.reply
        first: dict[tuple[int, int], int] = {}
        for s, _, _ in blame_hits(ctx):
            sent = _sentence_of(ctx, s)
            clause = a.clause_at(s)
            start = clause.start if clause is not None else s
            first[sent] = min(first.get(sent, start), start)
        return tuple(sorted((start, sent[1]) for sent, start in first.items()))

    return ctx.cached("blamed_spans", compute)


def positive_hits(ctx: ReplyContext, *lists: str) -> list[LexiconHit]:
    """Hits of good-practice lists (empathy, solution …) that count: not quoted, not in a
    placeholder, not in a blame-shifting sentence, not part of a refusal (不能退款)."""

    def compute() -> list[LexiconHit]:
        a = ctx.reply
        out: list[LexiconHit] = []
        hits = a.hits_of(*lists)
        for name in lists:  # and the matches of the lists' cue patterns (下次带上阿姨一起来)
            pats = ctx.standard.cue_patterns(name) if name in phrase_lists() else None
            if pats:
                found = [LexiconHit(name, a.text[s:e], s, e) for s, e, _ in pats.finditer(a.text)]
                if found:
                    hits = sorted([*hits, *found], key=lambda h: (h.start, -h.end))
        if not hits:
            return out
        blamed = blamed_spans(ctx)
        refusals = cue_hits(ctx, "refusal")
        for h in hits:
            if excluded(ctx, h.start, h.end):
                continue
            if blamed and any(s <= h.start < e for s, e in blamed):
                continue
            if refusals and any(rs < h.end and h.start <= re_ for rs, re_, _ in refusals):
                continue  # part of a refusal, or what it refuses (无法提供补偿)
            out.append(h)
        return out

    return ctx.cached("pos:" + ",".join(lists), compute)


_ACTION = ("已", "会", "将", "正在", "马上", "立即", "立刻", "为您", "给您", "帮您", "替您", "可以",
           "安排", "直接", "这就", "现在", "处理")  # fmt: skip


def plan_hits(ctx: ReplyContext) -> list[LexiconHit]:
    """Solution cues that state a plan for this customer: an action phrase (已为您补发), or a
    remedy word (退款, 补发) in a sentence that acts on it (会/已/安排 …) or gives a time.
    A remedy merely named as the topic (退款流程需要时间) is not a plan."""

    def compute() -> list[LexiconHit]:
        a = ctx.reply
        times = time_spans(ctx)
        # a remedy named while sending the customer to the manual (…请参考说明书的故障排查表)
        # is not a plan
        deflect = [a.clause_at(s) for s, _, _ in live_hits(ctx, "deflect_to_manual")]
        out = []
        for h in positive_hits(ctx, "solution"):
            if deflect and a.clause_at(h.start) in deflect:
                continue
            ss, se = _sentence_of(ctx, h.start)
            sent = a.text[ss:se]
            if (
                "您" in h.phrase
                or any(m in sent for m in _ACTION)
                or any(ss <= t < se for t, _ in times)
            ):
                out.append(h)
        return out

    return ctx.cached("plan", compute)


# -- concrete time -----------------------------------------------------------------------

_TIME = re.compile(
    r"今天|今日|今晚|今早|今明两天|明天|明日|明早|明晚|后天|当天|当日|即日|月底|月初|本月|下个月|下月"
    r"|本周[一二三四五六日天]?|这周[一二三四五六日天]?|下周[一二三四五六日天]?|周[一二三四五六日天](?!到)"
    r"|星期[一二三四五六日天]|上午|中午|下午|傍晚|晚上|凌晨"
    r"|(?:\d+(?:\.\d+)?|[一二两三四五六七八九十半]+)\s*(?:个)?半?\s*"
    r"(?:小时|钟头|分钟|工作日|个工作日|天|日|周|星期|礼拜|月)(?:内|之内|以内|左右|前|后)?"
    r"|\d{1,2}[:点时](?:\d{1,2}分?|半)?"
    r"|\d{1,2}月\d{1,2}[日号]?|\d{1,2}[日号](?:前|之前|以前)"
)
#: a counted span (一个星期, 3天, 两个小时), as opposed to a named day (今天, 周五)
_COUNTED = re.compile(r"[\d一二两三四五六七八九十半]")
#: _TIME where the position before was tried and failed: a count cannot start inside a run
#: of digits or numerals whose earlier offset failed (from inside the run it could only end
#: where it ended from there), so the lookbehinds skip the rescans of a long run that make
#: it quadratic (issue #17) and change no match.  After a match the plain pattern is tried:
#: a match may end inside a run (周三|三天, 1:23|4天).
_TIME_AFTER_MISS = re.compile(
    _TIME.pattern.replace(
        r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十半]+)",
        r"(?:(?<!\d)\d+(?:\.\d+)?|(?<![一二两三四五六七八九十半])[一二两三四五六七八九十半]+)",
    )
)
_TIME_SCAN = FirstCharScan(
    _TIME,
    r"今明后当即月本下这周星上中傍晚凌一二两三四五六七八九十半\d",
    after_miss=_TIME_AFTER_MISS,
)


def time_spans(ctx: ReplyContext) -> list[tuple[int, int]]:
    """Concrete times in the reply (今天, 24小时内, 下午5点前, 3个工作日 …) that count."""

    def compute() -> list[tuple[int, int]]:
        a = ctx.reply
        blamed = RangeIndex(blamed_spans(ctx))
        review = _Substrings(ctx.review.text if ctx.review is not None else "")
        complained: dict[str, bool] = {}  # per distinct time phrase: is it the review's wait?
        out = []
        for m in _TIME_SCAN.finditer(a.text):
            s, e = m.start(), m.end()
            if a.in_quote(s, e) or blamed.covers(s):
                continue
            if s > 0 and a.text[s - 1] == "了":
                continue  # the wait the customer complains of (让您白等了一个星期), not a date
            g = m.group()
            waited = complained.get(g)
            if waited is None:
                waited = complained[g] = bool(_COUNTED.search(g)) and g in review
            if waited:
                continue
            out.append((s, e))
        for h in positive_hits(ctx, "eta_immediate"):
            out.append((h.start, h.end))
        for s, e in ctx.placeholders:
            if time_placeholder(a.text[s:e]):
                out.append((s, e))
        return sorted(out)

    return ctx.cached("times", compute)


def has_concrete_time(ctx: ReplyContext) -> bool:
    return bool(time_spans(ctx))


# -- residual content (what is left once boilerplate is removed) ---------------------------

_STOP_CHARS = frozenset(
    "的了是在有和与也都就还很太吧吗呢啊哦啦呀哈您你我们它他她这那个把被让给为对"
)


#: stop characters become breaks, so that the runs left are content characters only
_STOP_BREAKS = {ord(c): " " for c in _STOP_CHARS}
#: a content character is CJK, a-z or 0-9 (the text is normalised: no upper case)
_CONTENT_RUN = re.compile(r"[\u4e00-\u9fffa-z0-9]+")


def _content_runs(ctx: ReplyContext) -> list[tuple[int, int]]:
    """``[start, end)`` runs of the reply's content characters (stop characters excluded)."""
    memo = ctx.memo
    runs: list[tuple[int, int]] | None = memo.get("content_runs")
    if runs is None:
        text = ctx.reply.text.translate(_STOP_BREAKS)
        runs = memo["content_runs"] = [m.span() for m in _CONTENT_RUN.finditer(text)]
    return runs


def content_residual(ctx: ReplyContext, lists: Iterable[str]) -> tuple[int, int]:
    """``(content, residual)``: content characters of the reply (outside blame sentences) and
    how many of them no hit of ``lists`` covers (stop characters do not count)."""
    runs = _content_runs(ctx)
    if not runs:
        return 0, 0
    blamed = blamed_sentences(ctx)
    content = uncovered(runs, *merge_intervals(blamed)) if blamed else sum(e - s for s, e in runs)
    cover = [*blamed, *ctx.placeholders]
    cover.extend((h.start, h.end) for h in ctx.reply.hits_of(*lists))
    return content, uncovered(runs, *merge_intervals(cover))


# -- rating and the review's key points ------------------------------------------------------


def assessment(ctx: ReplyContext) -> Any:
    """The feedback classifier's assessment of the review (lazy; None when unavailable)."""
    if ctx.assessment is not None:
        return ctx.assessment
    if ctx.review is None:
        return None
    return ctx.cached("assessment", lambda: _ask_classifier(ctx, "classify_feedback", None))


def _ask_classifier(ctx: ReplyContext, name: str, default: Any) -> Any:
    """``csstandards.feedback.<name>(review, standard=…)``, or ``default`` when the classifier
    is not installed or fails: it is an optional seam, and a reply check must not fail
    because of it."""
    fn = _feedback_attr(name)
    review = ctx.review
    if fn is None or review is None:
        return default
    from ..errors import CSStandardsError

    # the text itself when the analysis used the standard's lexicon: the classifier then
    # scans it once with its own combined matcher instead of reading the full lexicon's hits
    # and scanning the taxonomy again (same result, about 10 % cheaper)
    arg = review.original if review.lexicon is ctx.standard.lexicon() else review
    try:
        return fn(arg, standard=ctx.standard)
    except (CSStandardsError, ValueError, TypeError):
        return default


def _feedback_attr(name: str) -> Any:
    """``csstandards.feedback.<name>`` when the classifier is installed, else None."""
    try:
        mod = importlib.import_module("csstandards.feedback")
    except ImportError:
        return None
    return getattr(mod, name, None)


_QUESTION = re.compile(
    r"[??]\s*$|[吗么嘛呢]\W*$|多久|多长时间|什么时候|怎么(?:开|用|办|买|找|退|换|弄|安装|设置|操作|查|申请|联系|选)"
    r"|如何|能不能|可不可以|可以.{0,8}吗|会不会|有没有|是否|哪里|哪儿|几天|多少钱|多少"
    r"|咋|啥|怎么才能|想(?:查|问|了解|知道|咨询)"
)
_REQUEST = re.compile(r"^(?:你好|您好|在吗|亲)?\W*(?:我想|我要|想要|请问|帮我|能否|麻烦)")
_COMPLAINT = re.compile(
    r"怎么还|为什么还|怎么这么|为什么这么|凭什么|到底|太差|太慢|太烂|垃圾|投诉|骗|差评|坏了|破了|"
    r"没人|不理|敷衍|失望|生气|气人|恶心|退钱|赔"
)


def is_consultation(ctx: ReplyContext) -> bool:
    """The customer message is a question or a request (咨询, 001), not a review (评价, 000):
    no rating was given and it asks (多久? 能不能…? 我想退款) without complaining."""
    if ctx.rating is not None or ctx.assessment is not None or ctx.review is None:
        return False

    def compute() -> bool:
        assert ctx.review is not None
        text = ctx.review.text
        if _COMPLAINT.search(text):
            return False
        return bool(_QUESTION.search(text) or _REQUEST.search(text))

    return ctx.cached("consultation", compute)


def rating_of(ctx: ReplyContext) -> Rating | None:
    """The review's rating: given, else the classifier's, else unknown.  A consultation (a
    question or request, not a review) has no rating: the review-reply structure of 000 §2.3
    does not apply to answering a question."""
    if ctx.rating is not None:
        return ctx.rating
    if is_consultation(ctx):
        return None
    fa = assessment(ctx)
    r = getattr(fa, "rating", None)
    return r if isinstance(r, Rating) else None


@dataclass(frozen=True)
class Issue:
    """A point the review makes: a label, the phrases that count as naming it, its cue."""

    label: str
    phrases: frozenset[str]
    cue: str
    start: int = 0
    end: int = 0
    problem: bool = False


@lru_cache(maxsize=1)
def _topic_table() -> tuple[dict[str, frozenset[str]], PhraseMatcher[str]]:
    data = load_file("reply_tables.toml").get("topics", {})
    groups = {k: frozenset(v) for k, v in data.items()}
    return groups, PhraseMatcher(((p, k) for k, ps in groups.items() for p in ps))


_PROBLEM_TOPICS = frozenset({"damage", "wrong_item", "quality", "broken", "slow", "taste"})


@lru_cache(maxsize=1)
def _generic_bigrams() -> frozenset[str]:
    return frozenset(load_file("reply_tables.toml").get("echo", {}).get("generic", ()))


#: function characters: a bigram containing one is a cross-word accident (量很, 好很), not a detail
_BIGRAM_STOP = frozenset(
    "很也都了的是就还太真挺蛮超么吗呢啊吧呀哦啦着过得地和与及或而但又在有我你您他她它们这那个些"
)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


#: function characters become breaks, so that the CJK runs left hold only detail bigrams
_BIGRAM_BREAKS = {ord(c): " " for c in _BIGRAM_STOP}


def _review_run_bigrams(ctx: ReplyContext) -> frozenset[str]:
    """Every CJK bigram of the review that contains no function character."""
    memo = ctx.memo
    got: frozenset[str] | None = memo.get("review_run_bigrams")
    if got is None:
        out: set[str] = set()
        if ctx.review is not None:
            for m in _CJK_RUN.finditer(ctx.review.text.translate(_BIGRAM_BREAKS)):
                run = m.group()  # every overlapping bigram of each run
                out.update(map(add, run, run[1:]))
        got = memo["review_run_bigrams"] = frozenset(out)
    return got


def review_bigrams(ctx: ReplyContext, *, praise: bool = True) -> frozenset[str]:
    """Specific CJK bigrams of the review: function words removed, and with ``praise`` also
    generic praise (满意, 推荐, 质量 …), which says nothing specific in a 好评 but can be the
    very point of a complaint (老是推荐我不喜欢的东西)."""
    key = "review_bigrams:praise" if praise else "review_bigrams:any"
    memo = ctx.memo
    got: frozenset[str] | None = memo.get(key)
    if got is None:
        generic = _generic_bigrams() if praise else _common_bigrams()
        got = memo[key] = _review_run_bigrams(ctx) - generic
    return got


@lru_cache(maxsize=1)
def _common_bigrams() -> frozenset[str]:
    data = load_file("reply_tables.toml").get("issues", {})
    return frozenset(str(p) for p in data.get("common_bigrams", ()))


@lru_cache(maxsize=1)
def _boilerplate_chars() -> frozenset[str]:
    """Characters of the shipped boilerplate, thanks, invitation and filler phrases."""
    from ..lexicon import phrase_lists

    lists = phrase_lists()
    names = ("template_boilerplate", "thanks", "invitation", "reply_filler", "acknowledgement")
    return frozenset(c for n in names if n in lists for p in lists[n].phrases for c in p)


def review_detail_chars(ctx: ReplyContext) -> frozenset[str]:
    """Characters of the review's details (for echo through shared morphemes: 粽子/鲜肉粽)."""

    def compute() -> frozenset[str]:
        if ctx.review is None:
            return frozenset()
        generic = {c for b in _generic_bigrams() for c in b} | _boilerplate_chars()
        return frozenset(
            c
            for c in ctx.review.text
            if "\u4e00" <= c <= "\u9fff" and c not in _BIGRAM_STOP and c not in generic
        )

    return ctx.cached("detail_chars", compute)


def review_issues(ctx: ReplyContext) -> list[Issue]:
    """The review's key points: the shipped topic groups found in the review, else its own
    specific wording, else the feedback classifier's key issues (with their synonym groups).

    The classifier is consulted only when the cheap view finds nothing, or (see
    :func:`addressed_issues`) to give a reply the benefit of its wider synonym groups.
    """

    def compute() -> list[Issue]:
        if ctx.review is None:
            # an assessment given without its text: its key issues are all we know
            return classifier_issues(ctx) if ctx.assessment is not None else []
        out: list[Issue] = []
        groups, matcher = _topic_table()
        seen: set[str] = set()
        for start, end, phrase, topics in matcher.scan(ctx.review.text):
            for topic in topics:
                if topic not in seen:
                    seen.add(topic)
                    out.append(
                        Issue(
                            topic,
                            groups[topic],
                            phrase,
                            start,
                            end,
                            problem=topic in _PROBLEM_TOPICS,
                        )
                    )
        if out:
            return out
        details = review_bigrams(ctx)
        if len(details) >= 2:
            # no known topic: the review's own specific wording is the point to address
            return [Issue("detail", details, "、".join(sorted(details)[:3]), problem=True)]
        return classifier_issues(ctx)

    return ctx.cached("issues", compute)


def classifier_issues(ctx: ReplyContext) -> list[Issue]:
    """Key issues of the feedback classifier, each with its topic synonym group."""

    def compute() -> list[Issue]:
        out: list[Issue] = []
        for ki in _key_issues(ctx):
            if getattr(ki, "polarity", "negative") == "positive":
                continue  # a praised point (物流快) is for R118's echo, not a problem to answer
            phrases = set(_group_phrases(getattr(ki, "group", None)))
            cue = str(getattr(ki, "cue", "") or "")
            if cue:
                phrases.add(cue)
            label = str(getattr(ki, "label", "") or getattr(ki, "topic", "") or cue)
            if phrases:
                out.append(Issue(label, frozenset(phrases), cue, problem=True))
        return out

    return ctx.cached("classifier_issues", compute)


def _key_issues(ctx: ReplyContext) -> Any:
    """The classifier's key issues of the review: from its assessment when one is at hand
    (given, or already made for the rating), else from the cheaper key-issues-only pass."""
    fa = ctx.assessment if ctx.assessment is not None else ctx.memo.get("assessment")
    if fa is not None or ctx.review is None:
        return getattr(fa, "key_issues", None) or ()
    return ctx.cached("key_issues", lambda: _ask_classifier(ctx, "find_key_issues", ()))


@lru_cache(maxsize=1)
def _ignored_group_phrases() -> frozenset[str]:
    data = load_file("reply_tables.toml").get("issues", {})
    return frozenset(str(p) for p in data.get("ignore_group_phrases", ()))


def _group_phrases(group: Any) -> tuple[str, ...]:
    return _phrases_of_group(group) if isinstance(group, str) and group else ()


@lru_cache(maxsize=4096)
def _phrases_of_group(group: str) -> tuple[str, ...]:
    """The shipped taxonomy's phrases for a synonym group (static data: cached per group)."""
    taxonomy = _feedback_attr("default_taxonomy")
    if taxonomy is None:
        return ()
    try:
        ignore = _ignored_group_phrases()
        return tuple(
            str(p) for p in taxonomy().group_phrases(group) if str(p) and str(p) not in ignore
        )
    except Exception:
        return ()


def _reply_visible_text(ctx: ReplyContext, strict: bool = False) -> str:
    """The reply's normalised text with excuses, placeholders and boilerplate (我们会不断提升服务
    质量 names no point of the review) blanked out; ``strict`` also blanks sentences that argue
    with the customer (对立化)."""

    def compute() -> str:
        text = ctx.reply.text
        cut = list(blamed_spans(ctx)) + list(ctx.placeholders)
        cut += [(h.start, h.end) for h in ctx.reply.hits_of("template_boilerplate")]
        if strict:
            cut += [_sentence_of(ctx, s) for s, _, _ in defensive_spans(ctx)]
        if not cut:
            return text
        chars = list(text)
        for s, e in cut:
            chars[s:e] = " " * (e - s)
        return "".join(chars)

    return ctx.cached(f"visible:{strict}", compute)


_REMEDY = (
    "补发", "退款", "换货", "换新", "维修", "重新发", "重发", "退货", "赔", "返修", "核实",
    "查询", "上门", "排查", "帮您查", "为您查",
)  # fmt: skip


def addressed_issues(ctx: ReplyContext, *, strict: bool = False) -> tuple[list[Issue], list[Issue]]:
    """``(addressed, missed)`` key points of the review: a point is addressed when the reply
    names it or a synonym (快递/物流/配送), or, for a product problem, offers a remedy.

    A mention inside an excuse (物流属于第三方) never addresses a point; with ``strict``
    neither does one inside a sentence that argues with the customer (是您自己没看说明).
    """

    def compute() -> tuple[list[Issue], list[Issue]]:
        issues = _complaint_issues(ctx)
        text = _reply_visible_text(ctx, strict)
        remedy = any(r in h.phrase for h in positive_hits(ctx, "solution") for r in _REMEDY)
        problem_remedied = remedy and any(i.problem for i in issues)
        if issues and not problem_remedied and not _any_addressed(ctx, issues, text):
            # before calling a point ignored, let the classifier's synonym groups have a say
            extra = [i for i in classifier_issues(ctx) if i not in issues]
            issues = issues + extra
        done: list[Issue] = []
        missed: list[Issue] = []
        echoed = _any_in(_complaint_bigrams(ctx), text)
        found = _Substrings(text)  # a long review's many issues: lookups, not searches
        for issue in issues:
            if echoed or any(p in found for p in issue.phrases) or (issue.problem and remedy):
                done.append(issue)
            else:
                missed.append(issue)
        return done, missed

    return ctx.cached(f"addressed:{strict}", compute)


#: a turn from praise to complaint: 房间挺干净,就是空调噪音大
_CONTRAST = re.compile(r"但是|就是|不过|可是|只是|然而|但")
_PRAISE_LISTS = ("fb_pos", "fb_pos_strong", "fb_pos_weak")
_COMPLAINT_LISTS = ("fb_neg", "fb_neg_strong", "fb_neg_weak")


def complaint_start(ctx: ReplyContext) -> int:
    """Where the review turns from praise to its complaint (after its first contrast marker,
    when text follows it); 0 when it does not turn."""

    def compute() -> int:
        review = ctx.review
        if review is None:
            return 0
        text = review.text
        m = _CONTRAST.search(text)
        if m is None or m.start() == 0 or m.end() >= len(text):
            return 0
        # a turn only when what precedes it is praise: 设施有点旧,但是很干净 turns the other
        # way, and in 质量太差了,就是照着PPT念 就是 explains rather than turns
        head = m.start()
        pos = any(h.start < head for n in _PRAISE_LISTS for h in review.hits.get(n, ()))
        neg = any(h.start < head for n in _COMPLAINT_LISTS for h in review.hits.get(n, ()))
        return m.end() if pos and not neg else 0

    return ctx.cached("complaint_start", compute)


def _complaint_issues(ctx: ReplyContext) -> list[Issue]:
    """The review's points a reply must address: in a review that turns from praise to a
    complaint, the topics named before the turn are the praise (服务态度好,但是停车场太难找)
    and answering them does not answer the complaint."""
    issues = review_issues(ctx)
    p = complaint_start(ctx)
    if not p or not any(i.start >= p for i in issues if i.label != "detail"):
        return issues
    return [i for i in issues if i.label == "detail" or i.start >= p]


def _complaint_bigrams(ctx: ReplyContext) -> frozenset[str]:
    """:func:`review_bigrams` (complaint filter) of the complaint part of the review."""

    def compute() -> frozenset[str]:
        p = complaint_start(ctx)
        bigrams = review_bigrams(ctx, praise=False)
        if not p or ctx.review is None:
            return bigrams
        tail = _grams(ctx.review.text[p:])
        return frozenset(b for b in bigrams if b in tail)  # a set lookup, not a search

    return ctx.cached("complaint_bigrams", compute)


# -- the points of a multi-point review (R102) ------------------------------------------------
#: where one point of a review ends: a sentence end, or an enumerator (1. 2) 3、 ① 第二,)
_POINT_BREAK = re.compile(
    r"[;。!?\n]+"
    r"|(?:^|(?<=[,:;。!?\s]))(?:\d{1,2}|[一二三四五六七八九十])[.、)](?!\d)"
    r"|[①②③④⑤⑥⑦⑧⑨⑩]"
)
#: the points a reply is checked against (a longer review is judged on its first points)
MAX_POINTS = 64
_CLAUSE_BREAK = re.compile(r"[,。!?;:\n]+")
_LATIN_WORD = re.compile(r"[a-z]{3,}")


@dataclass(frozen=True)
class Point:
    """One point of the review (a sentence or an enumerated item of its complaint part): its
    text, where it is, and what shows that a reply talks about it — its detail bigrams and
    characters (feelings and discourse words taken out), topic groups, and Latin words."""

    text: str
    start: int
    end: int
    bigrams: frozenset[str]
    chars: frozenset[str]
    topics: frozenset[str]
    latin: frozenset[str]


@lru_cache(maxsize=1)
def _point_tables() -> tuple[tuple[str, ...], frozenset[str]]:
    data = load_file("reply_tables.toml").get("issues", {})
    feelings = tuple(str(n) for n in data.get("point_feeling_lists", ()))
    discourse = frozenset(str(w) for w in data.get("discourse_words", ()))
    return feelings, discourse | _common_bigrams() | _generic_bigrams()


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    return frozenset(c for w in _point_tables()[1] for c in w)


def review_points(ctx: ReplyContext) -> list[Point]:
    """The points of the review's complaint part (after a turn from praise, in a review that
    turns), one per sentence or enumerated item, at most :data:`MAX_POINTS`.  A segment that
    says nothing but feelings (真的很失望) or is a heading (三点意见:) is no point."""

    def compute() -> list[Point]:
        review = ctx.review
        if review is None:
            return []
        text = review.text
        start = complaint_start(ctx)
        feelings, common = _point_tables()
        common_chars = _common_chars()
        _, matcher = _topic_table()
        # feelings say how, not what: blanked once over the whole review (not per segment)
        masked = list(text)
        for n in feelings:
            for h in review.hits.get(n, ()):
                masked[h.start : h.end] = " " * (h.end - h.start)
        blanked = "".join(masked)
        # topic phrases found in one scan, each filed under the segment it starts in
        topic_hits = [(st, ts) for st, _, _, ts in matcher.scan(text)]
        topic_starts = [st for st, _ in topic_hits]
        cuts = [0, *(m.end() for m in _POINT_BREAK.finditer(text)), len(text)]
        out: list[Point] = []
        for s, e in itertools.pairwise(cuts):
            if e <= start or len(out) >= MAX_POINTS:
                continue
            s = max(s, start)
            body = _POINT_BREAK.sub("", text[s:e]).strip(" ,")
            if not body or body.endswith(":") or text[s:e].rstrip().endswith("?"):
                # a heading (床垫:) introduces points; a question or retort about them (那我
                # 花三千多买个有坏点的?) reacts to one: neither is a point of its own
                continue
            content = blanked[s:e]
            bigrams: set[str] = set()
            for m in _CJK_RUN.finditer(content.translate(_BIGRAM_BREAKS)):
                run = m.group()
                bigrams.update(map(add, run, run[1:]))
            bigrams -= common
            # detail characters: not a function character, not one of a common word (坨 and
            # 汤 of 面全坨了,汤也洒了)
            chars = frozenset(
                c
                for c in content
                if "\u4e00" <= c <= "\u9fff" and c not in _BIGRAM_STOP and c not in common_chars
            )
            lo, hi = bisect_left(topic_starts, s), bisect_left(topic_starts, e)
            topics = frozenset(t for _, ts in topic_hits[lo:hi] for t in ts)
            latin = frozenset(_LATIN_WORD.findall(content))
            if not bigrams and not topics and not latin:
                continue
            out.append(Point(body, s, e, frozenset(bigrams), chars, topics, latin))
        return out

    return ctx.cached("points", compute)


def missed_points(ctx: ReplyContext) -> tuple[list[Point], list[Point]]:
    """``(addressed, missed)`` points of the review: a point is addressed when the reply
    shares one of its detail bigrams, a word of one of its topic groups (快递/物流/配送), one of
    its Latin words, or two of its detail characters in one clause (面全坨了 / 面都泡坨了).
    What the reply says inside a placeholder, boilerplate or an excuse (物流慢是快递公司的问
    题: blaming a third party is no answer, and so adding an excuse never lifts R102) does not
    count; a point named inside an argument with the customer (跑绒是正常现象) is addressed,
    badly — R104 carries that fault (docs/tone.md, "Points of a review")."""

    def compute() -> tuple[list[Point], list[Point]]:
        points = review_points(ctx)
        if not points:
            return [], []
        text = _reply_visible_text(ctx)
        grams = _grams(text)
        found = _Substrings(text)
        groups, _ = _topic_table()
        low = text.lower()
        clause_chars = [frozenset(c) for c in _CLAUSE_BREAK.split(text) if c]
        done: list[Point] = []
        missed: list[Point] = []
        for p in points:
            need = min(2, len(p.chars))
            ok = (
                any(b in grams for b in p.bigrams)
                or any(w in found for t in p.topics for w in groups[t])
                or any(w in low for w in p.latin)
                or (need > 0 and any(len(p.chars & cc) >= need for cc in clause_chars))
            )
            (done if ok else missed).append(p)
        return done, missed

    return ctx.cached("missed_points", compute)


def _grams(text: str) -> frozenset[str]:
    """Every bigram of ``text`` (so "is bigram b in text" is a set lookup: testing each of a
    long review's bigrams by substring search would cost O(bigrams × text), issue #17)."""
    return frozenset(map(add, text, text[1:]))


class _Substrings:
    """``p in _Substrings(text)`` is ``p in text``, answered from the set of ``text``'s
    substrings of ``len(p)`` (built once per length up to 8, O(len(text)) each), so testing
    thousands of phrases against a long text stays linear (issue #17)."""

    __slots__ = ("_by_len", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._by_len: dict[int, frozenset[str]] = {}

    def __contains__(self, p: object) -> bool:
        if not isinstance(p, str):
            return False
        k = len(p)
        if k == 0 or k > 8:
            return p in self._text
        got = self._by_len.get(k)
        if got is None:
            t = self._text
            got = self._by_len[k] = frozenset(t[i : i + k] for i in range(len(t) - k + 1))
        return p in got


def _any_in(items: Iterable[str], text: str) -> bool:
    """``any(x in text for x in items)`` for bigrams and single characters, in
    O(len(text) + len(items)); other lengths are searched."""
    grams: frozenset[str] | None = None
    chars: frozenset[str] | None = None
    for x in items:
        if len(x) == 2:
            if grams is None:
                grams = _grams(text)
            if x in grams:
                return True
        elif len(x) == 1:
            if chars is None:
                chars = frozenset(text)
            if x in chars:
                return True
        elif x in text:
            return True
    return False


def _any_addressed(ctx: ReplyContext, issues: list[Issue], text: str) -> bool:
    if _any_in(_complaint_bigrams(ctx), text):
        return True
    found = _Substrings(text)
    return any(any(p in found for p in i.phrases) for i in issues)


def echoes_review(ctx: ReplyContext) -> bool:
    """Whether the reply repeats a specific detail of the review (shared bigram or topic)."""

    def compute() -> bool:
        text = _reply_visible_text(ctx)
        bigrams = review_bigrams(ctx)
        if _any_in(bigrams, text):
            return True
        # compounds share morphemes (粽子 / 鲜肉粽, 矮 / 加高款): a detail character in common
        # counts (characters of generic praise and of boilerplate replies never do)
        if _any_in(review_detail_chars(ctx), text):
            return True
        found = _Substrings(text)
        return any(any(p in found for p in i.phrases) for i in review_issues(ctx))

    return ctx.cached("echo", compute)


def has_review(ctx: ReplyContext) -> bool:
    """Whether a review (text or classifier assessment) is known."""
    return ctx.review is not None or ctx.assessment is not None


def review_is_specific(ctx: ReplyContext) -> bool:
    """Whether the review says something specific (a non-generic topic or detail)."""
    return len(review_bigrams(ctx)) >= 2 or any(
        i.label != "detail" and not _generic_phrase(i.cue) for i in review_issues(ctx)
    )


def _generic_phrase(phrase: str) -> bool:
    """Whether a cue says nothing specific: each of its bigrams is generic praise or an
    accident across words (质量很好, 很满意)."""
    generic = _generic_bigrams()
    grams = [phrase[i : i + 2] for i in range(len(phrase) - 1)] or [phrase]
    return all(g in generic or not _BIGRAM_STOP.isdisjoint(g) for g in grams)
