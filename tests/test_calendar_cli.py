"""`csstandards calendar`, the `holidays` setting, EstimatedCalendarWarning and the end-to-end
path of issue #18: a 2027 review scored in batch is estimated until the notice is imported."""

from __future__ import annotations

import json
import warnings
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from csstandards.calendar import HolidaySchedule, WorkCalendar
from csstandards.cli import main
from csstandards.config import config_from_mapping, load_config
from csstandards.errors import CalendarDataMissing, ConfigError, EstimatedCalendarWarning
from csstandards.models import Rating
from csstandards.report import build_report
from csstandards.sla import default_policy, review_reply_deadline
from csstandards.standard import Standard

DATA = Path(__file__).parent / "data"
EXAMPLE_2027 = DATA / "notice_2027_example.txt"
SH = ZoneInfo("Asia/Shanghai")

REVIEW_2027 = {
    "id": "R1",
    "channel": "review_platform",
    "stars": 2,
    "review": "发货太慢了,等了一周。",
    "reply": "非常抱歉让您久等了,我们已经催促仓库尽快发出,感谢您的耐心。",
    "reviewed_at": "2027-03-10 10:00",
    "replied_at": "2027-03-10 15:00",
}


def _score(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    out = tmp_path / "scored.jsonl"
    assert main(["score", "rows.jsonl", "--no-classify", "-o", str(out)]) == 0
    capsys.readouterr()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1
    row: dict[str, object] = rows[0]
    return row


def test_end_to_end_2027_is_estimated_until_the_notice_is_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rows.jsonl").write_text(
        json.dumps(REVIEW_2027, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    with pytest.warns(EstimatedCalendarWarning, match="2027"):
        before = _score(tmp_path, capsys)
    assert before["sla_estimated"] is True
    assert before["sla_met"] is True

    assert main(["calendar", "import", str(EXAMPLE_2027), "-o", "cn_2027.toml"]) == 0
    err = capsys.readouterr().err
    assert 'holidays = ["cn_2027.toml"]' in err
    (tmp_path / "pyproject.toml").write_text(
        '[tool.csstandards]\nholidays = ["cn_2027.toml"]\n', encoding="utf-8"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", EstimatedCalendarWarning)
        after = _score(tmp_path, capsys)
    assert after["sla_estimated"] is False
    assert after["sla_due"] == before["sla_due"]  # a weekday in March: same due time

    # the report says which years were estimated, and stops saying it once the notice is in
    html = build_report([before], source="x").to_html()
    assert "估算 Estimated" in html and "2027" in html.split("估算 Estimated", 1)[1][:200]
    assert "估算 Estimated" not in build_report([after], source="x").to_html()


def test_a_2027_holiday_changes_the_peak_window_once_the_notice_is_loaded() -> None:
    # 2027-02-12 (Friday) is a rest day only by the notice (春节 block 5–13 Feb); the estimate
    # has 春节 as 除夕–初三 (5–8 Feb) only
    at = datetime(2027, 2, 12, 10, 0, tzinfo=SH)
    with pytest.warns(EstimatedCalendarWarning):
        est = review_reply_deadline(at, rating=Rating.NEUTRAL)
    assert est.estimated and not est.in_peak_window and est.target == timedelta(hours=24)
    s = HolidaySchedule.from_notice(EXAMPLE_2027.read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", EstimatedCalendarWarning)
        off = review_reply_deadline(at, rating=Rating.NEUTRAL, policy=default_policy(holidays=[s]))
    assert not off.estimated and off.in_peak_window and off.target == timedelta(hours=48)
    assert "春节" in off.peak_window


def test_office_calendar_with_the_notice_in_the_policy() -> None:
    s = HolidaySchedule.from_notice(EXAMPLE_2027.read_text(encoding="utf-8"))
    pol = default_policy(holidays=[s])
    assert default_policy(holidays=[s]) is pol  # cached per schedule objects
    assert default_policy(holidays=()) is default_policy()
    office = next(
        r.target.calendar
        for m in pol.metrics
        for r in m.rules
        if r.target.calendar is not None and r.target.calendar.public_holidays == "cn"
    )
    assert office.day_info(date(2027, 2, 14)).open  # 调休上班 Sunday
    assert not office.day_info(date(2027, 2, 12)).open
    assert pol.calendar.public_holidays == "none"  # the 24×7 policy calendar is unchanged
    assert pol.calendar.schedules == ()


def test_estimated_calendar_warning_can_be_made_an_error() -> None:
    cal = WorkCalendar.china_office_hours(on_missing="estimate")
    t = datetime(2029, 3, 1, 10, 0, tzinfo=SH)
    with warnings.catch_warnings():
        warnings.simplefilter("error", EstimatedCalendarWarning)
        with pytest.raises(EstimatedCalendarWarning, match="2029"):
            cal.add(t, timedelta(hours=1))
    with pytest.warns(EstimatedCalendarWarning):
        assert cal.day_info(date(2029, 3, 1)).estimated
    assert issubclass(EstimatedCalendarWarning, UserWarning)
    with warnings.catch_warnings():  # an official year warns nothing
        warnings.simplefilter("error", EstimatedCalendarWarning)
        assert not WorkCalendar.china_office_hours().day_info(date(2026, 3, 2)).estimated


def test_the_explicit_horizon_stays() -> None:
    with pytest.raises(CalendarDataMissing):
        WorkCalendar.china_office_hours().day_info(date(2027, 3, 1))
    with pytest.raises(CalendarDataMissing):  # no lunar dates for an estimate either
        WorkCalendar.china_office_hours(on_missing="estimate").day_info(date(2099, 3, 2))


def test_calendar_show_official_estimated_and_from_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["calendar", "show", "2026"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2026: official")
    assert "2026-02-14 Sat  春节 调休上班" in out and "2026-02-15 Sun  春节" in out
    assert main(["calendar", "show", "2027", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["estimated"] is True and data["workdays"] == {}
    assert data["holidays"]["2027-02-06"] == "春节"
    assert main(["calendar", "import", str(EXAMPLE_2027), "-o", "cn_2027.toml"]) == 0
    (tmp_path / ".csstandards.toml").write_text('holidays = ["cn_2027.toml"]\n', "utf-8")
    capsys.readouterr()
    assert main(["calendar", "show", "2027", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["estimated"] is False and data["workdays"]["2027-02-14"] == "春节 调休上班"
    assert main(["calendar", "show", "2099"]) == 2
    assert "no official public-holiday schedule" in capsys.readouterr().err


def test_calendar_import_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_text(
        EXAMPLE_2027.read_text(encoding="utf-8").replace(
            "2月14日（周日）上班", "2月14日（周日）补班"
        ),
        encoding="utf-8",
    )
    assert main(["calendar", "import", str(bad), "-o", "x.toml"]) == 2
    err = capsys.readouterr().err
    assert "二、春节" in err and "补班" in err and not (tmp_path / "x.toml").exists()
    assert main(["calendar", "import", str(tmp_path / "missing.txt")]) == 2
    assert "cannot read the notice" in capsys.readouterr().err
    assert main(["calendar", "import", str(EXAMPLE_2027), "-o", "x.toml"]) == 0
    assert main(["calendar", "import", str(EXAMPLE_2027), "-o", "x.toml"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["calendar", "import", str(EXAMPLE_2027), "-o", "x.toml", "--force"]) == 0
    assert main(["calendar", "import", str(EXAMPLE_2027)]) == 0  # to stdout
    assert "[workdays]" in capsys.readouterr().out
    assert main(["calendar"]) == 2


def test_holidays_setting_loads_relative_to_the_config_file(tmp_path: Path) -> None:
    sub = tmp_path / "cal"
    sub.mkdir()
    (sub / "cn_2027.toml").write_text(
        "year = 2027\n[holidays]\n2027-01-01 = '元旦'\n[workdays]\n", encoding="utf-8"
    )
    cfg_file = tmp_path / ".csstandards.toml"
    cfg_file.write_text('holidays = ["cal/cn_2027.toml"]\n', encoding="utf-8")
    cfg = load_config(cfg_file)
    (s,) = cfg.standard.holidays
    assert s.years == (2027,) and s.holidays == {date(2027, 1, 1): "元旦"}
    # Standard round-trips through JSON with its schedules
    assert Standard.model_validate_json(cfg.standard.model_dump_json()) == cfg.standard


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("cn_2027.toml", "list of strings"),
        (["nope.toml"], "not found"),
        (["bad.toml"], "Saturday or Sunday"),
    ],
)
def test_holidays_setting_errors_name_the_key(tmp_path: Path, value: object, problem: str) -> None:
    (tmp_path / "bad.toml").write_text("year = 2027\n[workdays]\n2027-03-03 = 'x'\n", "utf-8")
    with pytest.raises(ConfigError) as info:
        config_from_mapping(
            {"holidays": value},
            source="pyproject.toml",
            prefix="tool.csstandards.",
            root=str(tmp_path),
        )
    assert "tool.csstandards.holidays" in str(info.value) and problem in str(info.value)
