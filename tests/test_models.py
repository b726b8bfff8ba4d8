from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from csstandards import (
    Channel,
    Evidence,
    Finding,
    InputError,
    Priority,
    Rating,
    Severity,
    Span,
)
from csstandards.models import Actor


@pytest.mark.parametrize(
    ("stars", "rating"),
    [(5, Rating.POSITIVE), (4, Rating.POSITIVE), (4.5, Rating.POSITIVE), (3, Rating.NEUTRAL),
     (3.5, Rating.NEUTRAL), (2, Rating.NEGATIVE), (1, Rating.NEGATIVE), (2.5, Rating.NEGATIVE)],
)  # fmt: skip
def test_rating_from_stars(stars: float, rating: Rating) -> None:
    assert Rating.from_stars(stars) is rating


@pytest.mark.parametrize("stars", [0, 5.5, -1, 6, True, "5", None])
def test_rating_from_stars_rejects(stars: object) -> None:
    with pytest.raises(InputError, match="stars"):
        Rating.from_stars(stars)  # type: ignore[arg-type]


def test_enums_have_chinese_and_english_labels() -> None:
    for enum in (Channel, Rating, Severity, Priority, Actor):
        for member in enum:
            assert member.label_zh and member.label_en
            assert member.label("en") == member.label_en
            assert str(member) == member.value
    assert Rating.NEGATIVE.label_zh == "差评"
    assert Channel.HOTLINE.label_zh == "客服热线"
    assert len(Channel) == 11


def test_severity_order_and_priority_rank() -> None:
    assert Severity.ERROR.at_least(Severity.WARNING)
    assert not Severity.INFO.at_least(Severity.WARNING)
    assert [p.rank for p in Priority] == [1, 2, 3, 4]


def test_span_validation_and_text() -> None:
    s = Span(start=2, end=4)
    assert s.of("物流太慢了") == "太慢"
    assert len(s) == 2
    assert s.overlaps(Span(start=3, end=9)) and not s.overlaps(Span(start=4, end=5))
    with pytest.raises(ValidationError):
        Span(start=3, end=1)
    with pytest.raises(ValidationError):
        Span(start=-1, end=1)


def test_models_are_frozen() -> None:
    s = Span(start=0, end=1)
    with pytest.raises(ValidationError):
        s.start = 3  # type: ignore[misc]


spans = st.builds(
    lambda a, b: Span(start=min(a, b), end=max(a, b)),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
)
findings = st.builds(
    Finding,
    rule_id=st.sampled_from(["reply.blame-shifting", "reply.jargon"]),
    code=st.sampled_from(["R103", "R108"]),
    severity=st.sampled_from(list(Severity)),
    message_zh=st.text(),
    message_en=st.text(),
    clause=st.text(max_size=10),
    suggestion_zh=st.text(max_size=20),
    spans=st.lists(spans, max_size=3).map(tuple),
    cue=st.none() | st.text(max_size=10),
    data=st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=3),
)


@given(findings)
def test_finding_json_round_trip(f: Finding) -> None:
    assert Finding.model_validate_json(f.model_dump_json()) == f


@given(st.text(), st.text(), st.lists(spans, max_size=3).map(tuple), st.none() | st.floats(-1, 1))
def test_evidence_json_round_trip(
    field: str, cue: str, sp: tuple[Span, ...], w: float | None
) -> None:
    e = Evidence(field=field, value="negative", cue=cue, spans=sp, weight=w)
    assert Evidence.model_validate_json(e.model_dump_json()) == e


def test_enum_json_uses_machine_values() -> None:
    f = Finding(rule_id="x.y", code="R1", severity=Severity.WARNING, message_zh="", message_en="")
    assert '"severity":"warning"' in f.model_dump_json()


def test_enums_with_the_same_class_name_keep_their_own_labels() -> None:
    from csstandards.models import LabelledEnum, _label

    def make(value: str, zh: str) -> type[LabelledEnum]:
        cls = LabelledEnum("Metric", {"A": value})  # type: ignore[call-overload]
        _label(cls, {value: (zh, value)})
        return cls  # type: ignore[no-any-return]

    first, second = make("first_response", "首次响应"), make("resolution", "解决")
    assert next(iter(first)).label_zh == "首次响应"
    assert next(iter(second)).label_zh == "解决"


def test_shared_spans_are_validated_once_and_equal_fresh_ones() -> None:
    from csstandards.models import span

    assert span(2, 5) == Span(start=2, end=5)
    assert span(2, 5) is span(2, 5)
    with pytest.raises(ValidationError):
        span(5, 2)
    with pytest.raises(ValidationError):
        span(-1, 2)
    # built without validation when the offsets are plain, ordered, non-negative ints: the
    # very fields, fields-set and JSON of a validated span
    for a, b in [(0, 0), (3, 9), (7, 1 << 40)]:
        got, want = span(a, b), Span(start=a, end=b)
        assert got.__dict__ == want.__dict__ and got.model_fields_set == want.model_fields_set
        assert got.model_dump_json() == want.model_dump_json() and hash(got) == hash(want)
    assert span(True, 2) == Span(start=True, end=2)  # not an int: validated


def test_trusted_builder_matches_validation_and_rejects_missing_or_unknown_fields() -> None:
    from csstandards.models import trusted_builder

    build = trusted_builder(Evidence)
    sp = (Span(start=0, end=2),)
    made = build(field="kind", value="praise", cue="好评", spans=sp, note="n")
    checked = Evidence(field="kind", value="praise", cue="好评", spans=sp, note="n")
    assert made == checked
    assert repr(made) == repr(checked)
    assert made.model_fields_set == checked.model_fields_set
    assert Evidence.model_validate_json(made.model_dump_json()) == made
    twin = build(field="kind", value="praise", cue="好评", spans=sp, note="n")
    changed = twin.model_copy(update={"weight": 1.0})
    assert changed.weight == 1.0 and "weight" in changed.model_fields_set
    assert "weight" not in made.model_fields_set  # instances share no mutable state
    with pytest.raises(TypeError, match="missing or unknown"):
        build(field="kind", value="praise")  # no cue
    with pytest.raises(TypeError, match="missing or unknown"):
        build(field="kind", value="praise", cue="x", colour="red")
    with pytest.raises(TypeError, match="not a plain model"):
        trusted_builder(Finding)  # data has a default factory
    with pytest.raises(TypeError, match="not a plain model"):
        trusted_builder(Span)  # its validator would be skipped


def test_trusted_builder_takes_a_default_factory_field_as_required() -> None:
    from csstandards.models import Severity, trusted_builder

    build = trusted_builder(Finding, required=["data"])
    kw: dict[str, object] = {
        "rule_id": "commitment.missing-scope",
        "code": "C105",
        "severity": Severity.WARNING,
        "message_zh": "缺适用时间",
        "message_en": "no scope",
        "spans": (Span(start=1, end=3),),
        "cue": "3分钟",
    }
    made = build(**kw, data={"target": "t"})
    checked = Finding(**kw, data={"target": "t"})  # type: ignore[arg-type]
    assert made == checked and made.model_fields_set == checked.model_fields_set
    assert made.model_dump_json() == checked.model_dump_json()
    with pytest.raises(TypeError, match="missing or unknown"):
        build(**kw)  # data is required: a default would be one dict shared by every finding
    with pytest.raises(TypeError, match="no fields"):
        trusted_builder(Finding, required=["colour"])
