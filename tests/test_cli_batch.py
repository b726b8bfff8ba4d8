"""The analyst commands: demo, score, classify, report (real tone and feedback modules)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csstandards.cli import main
from csstandards.report import CHART_IDS


def test_demo_summarises_the_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo.html"
    assert main(["demo", "--report", str(out)]) == 0
    text = capsys.readouterr().out
    assert "600 rows in, 597 scored, 3 failed" in text
    assert "reviews.jsonl:42: row 42: reply" in text  # bad rows named with file and line
    assert "Most frequent findings" in text and "SLA reply time" in text
    html = out.read_text(encoding="utf-8")
    assert all(f"id='{c}'" in html for c in CHART_IDS)


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    import csv

    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def test_score_csv_with_chinese_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "export.csv"
    _write_csv(
        src,
        [
            ["评价内容", "回复内容", "星级", "评价时间", "回复时间", "客服"],
            [
                "物流太慢了,等了一周",
                "物流属于第三方,我们无法控制。",
                "1",
                "2026年11月22日 10时30分",
                "2026/11/22 12:00:00",
                "kf1",
            ],
            [
                "衣服很舒服,做工精细",
                "谢谢您喜欢这件衣服的面料和做工!期待您再次光临。",
                "5",
                "2026-11-22 10:30",
                "1795325400",
                "kf2",
            ],
        ],
    )
    out = tmp_path / "scored.jsonl"
    code = main(["score", str(src), "-o", str(out), "--no-progress"])
    assert code == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 2
    assert "reply.blame-shifting" in rows[0]["rule_ids"]
    assert rows[0]["star_rating"] == "negative" and rows[0]["response_hours"] == 1.5
    assert rows[0]["score"] < rows[1]["score"]
    assert rows[1]["reviewed_at"] == "2026-11-22T10:30:00+08:00"
    assert "2 rows in, 2 scored, 0 failed" in capsys.readouterr().err
    # the threshold turns low scores into exit code 1
    assert main(["score", str(src), "-o", str(tmp_path / "o.csv"), "--fail-under", "99"]) == 1


def test_score_reports_bad_rows_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps(
            {"review": "还行", "reply": "谢谢您的评价,我们会把包装改得更结实。", "stars": 3},
            ensure_ascii=False,
        )
        + "\n"
        + json.dumps({"review": "差", "reply": "", "stars": 1}, ensure_ascii=False)
        + "\n{not json\n",
        encoding="utf-8",
    )
    errors = tmp_path / "bad.jsonl"
    code = main(["score", str(src), "-o", str(tmp_path / "o.jsonl"), "--errors", str(errors)])
    assert code == 1
    err = capsys.readouterr().err
    assert f"{src}:2: row 2: reply: the reply text is missing" in err
    assert f"{src}:3: row 3: invalid JSON" in err
    assert "3 rows in, 1 scored, 2 failed" in err
    assert [json.loads(x)["line"] for x in errors.read_text(encoding="utf-8").splitlines()] == [
        2,
        3,
    ]


def test_classify_command(tmp_path: Path) -> None:
    src = tmp_path / "fb.jsonl"
    src.write_text(
        "\n".join(
            json.dumps(r, ensure_ascii=False)
            for r in [
                {"text": "快递把箱子压坏了,里面的杯子全碎了!", "stars": 1, "channel": "评价平台"},
                {"text": "客服小姐姐很耐心,点赞", "stars": 5},
            ]
        ),
        encoding="utf-8",
    )
    out = tmp_path / "o.jsonl"
    assert main(["classify", str(src), "-o", str(out)]) == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["kind"] in ("complaint", "grievance") and rows[0]["text_rating"] == "negative"
    assert rows[0]["topics"] and rows[0]["priority"] in ("P1", "P2", "P3", "P4")
    assert rows[1]["kind"] == "praise"


def test_report_command_from_raw_and_scored(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps(
            {
                "review": "物流太慢",
                "reply": "这是供应商的问题,不归我们管。",
                "stars": 1,
                "reviewed_at": "2026-11-11 09:00",
                "replied_at": "2026-11-14 09:00",
                "agent": "a",
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    html = tmp_path / "r.html"
    assert main(["report", str(src), "-o", str(html), "--no-progress"]) == 0
    assert "reply.blame-shifting" in html.read_text(encoding="utf-8")
    scored = tmp_path / "s.jsonl"
    assert main(["score", str(src), "-o", str(scored)]) == 0
    html2 = tmp_path / "r2.html"
    assert main(["report", str(scored), "--scored", "-o", str(html2)]) == 0
    assert all(f"id='{c}'" in html2.read_text(encoding="utf-8") for c in CHART_IDS)


def test_input_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv: no such file" in capsys.readouterr().err
    assert main(["score", str(tmp_path / "x.xlsx")]) == 2
    (tmp_path / "ok.jsonl").write_text('{"reply": "好"}\n', encoding="utf-8")
    assert main(["score", str(tmp_path / "ok.jsonl"), "--columns", "nonsense"]) == 2
    assert main(["score", str(tmp_path / "ok.jsonl"), "--tz", "Mars/Base"]) == 2
    assert main(["score", str(tmp_path / "ok.jsonl"), "-o", str(tmp_path / "o.xml")]) == 2


@pytest.mark.parametrize("cmd", ["demo", "score", "classify", "report"])
def test_help(cmd: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([cmd, "--help"])
    assert exc.value.code == 0
    assert "usage: csstandards " + cmd in capsys.readouterr().out
