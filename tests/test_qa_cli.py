"""csstandards qa / qa agree, the streaming row contract, the report section, the demo."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from csstandards.cli import main
from csstandards.qa import QA_COLUMNS, default_scorecard, score_transcripts
from csstandards.report.qa import QASection

SAMPLE = Path(str(resources.files("csstandards") / "data" / "sample" / "transcripts.jsonl"))


def test_sample_transcripts_vary_channels_and_agents() -> None:
    rows = [json.loads(x) for x in SAMPLE.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 100
    assert len({r["channel"] for r in rows}) >= 4
    assert len({r["team"] for r in rows}) >= 3
    scored = score_transcripts(SAMPLE).to_list()
    assert all(r["error"] is None for r in scored)
    by_agent: dict[str, list[float]] = {}
    for r in scored:
        by_agent.setdefault(r["agent"], []).append(r["score"])
    means = sorted(sum(v) / len(v) for v in by_agent.values())
    assert means[0] < 70 < means[-1]  # both bad and good agents


def test_sample_file_is_reproducible() -> None:
    import subprocess
    import sys

    script = Path(__file__).resolve().parent.parent / "scripts" / "gen_sample_transcripts.py"
    if not script.exists():  # pragma: no cover - installed without the repository
        pytest.skip("scripts/ not available")
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True)
    assert done.returncode == 0, done.stderr


def write_input(tmp_path: Path) -> Path:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()[:6]
    bad = json.dumps(
        {"id": "BAD", "messages": [{"role": "主管", "text": "x", "time": "2026-03-02 10:00"}]},
        ensure_ascii=False,
    )
    p = tmp_path / "t.jsonl"
    p.write_text("\n".join([*lines[:3], bad, *lines[3:]]) + "\n", encoding="utf-8")
    return p


def test_qa_command_streams_rows_and_reports_a_bad_conversation(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = write_input(tmp_path)
    out = tmp_path / "results.jsonl"
    errors = tmp_path / "errors.jsonl"
    html = tmp_path / "qa.html"
    code = main(
        [
            "qa",
            str(src),
            "-o",
            str(out),
            "--errors",
            str(errors),
            "--report",
            str(html),
            "--workers",
            "2",
        ]
    )
    assert code == 1  # one conversation failed
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 7 and [r["row"] for r in rows] == list(range(1, 8))
    assert all(list(r) == list(QA_COLUMNS) for r in rows)
    bad = rows[3]
    assert bad["id"] == "BAD" and bad["error"]["field"] == "messages[0].role"
    assert all(r["error"] is None for r in rows if r is not bad)
    sc = default_scorecard()
    assert {r["scorecard_hash"] for r in rows} == {sc.hash}
    err = [json.loads(x) for x in errors.read_text(encoding="utf-8").splitlines()]
    assert len(err) == 1 and err[0]["row"] == 4 and err[0]["source"] == str(src)
    stderr = capsys.readouterr().err
    assert "row 4" in stderr and "7 conversations read, 6 checked, 1 failed" in stderr
    page = html.read_text(encoding="utf-8")
    assert "会话质检" in page and "<mark class='cs-mark'" in page


def test_workers_give_the_same_rows_in_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = write_input(tmp_path)
    one = score_transcripts(src).to_list()
    two = score_transcripts(src, workers=2, chunk_size=2).to_list()
    assert one == two


def test_qa_with_scorecard_and_fail_under(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    card = tmp_path / "qa.toml"
    card.write_text(
        'name = "strict"\npass_mark = 99\n[[sections]]\nid = "a"\nname = "态度"\n'
        '[[sections.items]]\nid = "all"\nname = "所有对话规则"\nrules = ["applies:chat-turn",'
        ' "family:consultation"]\ndeduct = 1\n',
        encoding="utf-8",
    )
    src = tmp_path / "one.jsonl"
    src.write_text(SAMPLE.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    code = main(["qa", str(src), "--scorecard", str(card), "-o", str(out), "--fail-under", "101"])
    assert code == 1
    row = json.loads(out.read_text(encoding="utf-8"))
    assert row["scorecard"] == "strict" and row["score"] == 100 - row["n_findings"]
    assert main(["qa", str(src), "--scorecard", str(tmp_path / "missing.toml")]) == 2
    assert "no such scorecard" in capsys.readouterr().err


def test_qa_agree_command(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "t.jsonl"
    src.write_text("\n".join(SAMPLE.read_text(encoding="utf-8").splitlines()[:20]) + "\n")
    auto = tmp_path / "auto.jsonl"
    assert main(["qa", str(src), "-o", str(auto)]) == 0
    rows = [json.loads(x) for x in auto.read_text(encoding="utf-8").splitlines()]
    human = tmp_path / "human.csv"
    lines = ["id,attitude.blame,resolution.closing,score"]
    for r in rows:  # the reviewers agree except that they never flag a missing invitation
        blame = r["items"].get("attitude.blame", 0)
        lines.append(f"{r['id']},{blame},0,{r['score'] + r['items'].get('resolution.closing', 0)}")
    human.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["qa", "agree", str(auto), str(human)]) == 0
    out = capsys.readouterr().out
    assert "20 conversations compared" in out and "attitude.blame" in out
    assert main(["qa", "agree", str(auto), str(human), "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    items = {it["item"]: it for it in rep["items"]}
    assert items["attitude.blame"]["agreement"] == 1.0
    closing_hits = sum(1 for r in rows if "resolution.closing" in r["items"])
    assert items["resolution.closing"]["agree"] == 20 - closing_hits
    assert main(["qa", "agree", str(auto)]) == 2


def test_qa_usage_errors(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["qa", "a.jsonl", "b.jsonl"]) == 2
    assert main(["qa", "/nonexistent/t.jsonl"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_report_section_refuses_mixed_scorecards_and_hooks_into_the_report() -> None:
    rows = score_transcripts(SAMPLE).to_list()[:30]
    sec = QASection.from_rows(rows)
    assert sec.n == 30 and sec.by_agent and sec.by_team and sec.findings
    assert sec.by_agent == sorted(sec.by_agent, key=lambda s: (s.pass_rate, s.mean, s.group))
    assert len(sec.worst) == 5 and sec.worst[0]["score"] == min(r["score"] for r in rows)
    html = sec.to_html()
    assert "By agent 按客服" in html and "By team 按班组" in html and "qa-flag" in html
    mixed = [*rows[:2], dict(rows[2], scorecard_hash="ffff")]
    from csstandards.errors import InputError

    with pytest.raises(InputError, match="not comparable"):
        QASection.from_rows(mixed)
    from csstandards.batch import aggregate
    from csstandards.report import Report

    page = Report(aggregate([]), qa=sec).to_html()
    assert "Conversation QA 会话质检" in page and ".qa-conv" in page
    assert "会话质检" not in Report(aggregate([])).to_html()


def test_report_escapes_transcript_text() -> None:
    row = {
        "id": "<i>",
        "score": 10.0,
        "passed": False,
        "agent": "A<1>",
        "team": None,
        "fatal_items": [],
        "findings": [{"rule_id": "reply.x", "code": "R1", "turn": 0, "spans": [[0, 3]]}],
        "turns": [{"turn": 0, "role": "agent", "text": "<b>hi</b>"}],
        "scorecard_hash": "h",
        "error": None,
    }
    html = QASection.from_rows([row]).body_html()
    assert "<b>hi" not in html and "title='R1'>&lt;b&gt;</mark>hi&lt;/b&gt;" in html
    assert "A&lt;1&gt;" in html


def test_demo_scores_the_sample_transcripts(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Conversation QA 会话质检" in out and "120 conversations checked, 0 failed" in out


def test_frames() -> None:
    pytest.importorskip("pandas")
    from csstandards.qa.frames import FINDING_COLUMNS, qa_frames, rows_to_frames

    conv, finds = qa_frames(SAMPLE)
    assert len(conv) == 120 and conv["id"].is_unique
    item_cols = [c for c in conv.columns if c.startswith("item:")]
    assert len(item_cols) == len(default_scorecard().items())
    assert list(finds.columns) == list(FINDING_COLUMNS)
    assert len(finds) == int(conv["n_findings"].sum())
    per_agent = conv.groupby("agent")["passed"].mean()
    assert per_agent.min() < per_agent.max()
    again = rows_to_frames(score_transcripts(SAMPLE))
    assert list(again.conversations["score"]) == list(conv["score"])


def test_flat_csv_input_with_a_role_mapping(tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "turns.csv"
    src.write_text(
        "会话ID,序号,角色,内容,时间,客服工号,渠道,班组\n"
        "S1,1,用户,在吗?快递到哪了,2026-11-02 10:00:00,,微信,一组\n"
        'S1,2,小蜜,"已收到您的问题,马上为您解答。",2026-11-02 10:00:02,,微信,一组\n'
        'S1,3,坐席,"物流属于第三方,我们无法控制。",2026-11-02 10:00:09,A7,微信,一组\n',
        encoding="utf-8",
    )
    out = tmp_path / "r.jsonl"
    assert main(["qa", str(src), "-o", str(out)]) == 1  # 小蜜 is not a known role
    assert json.loads(out.read_text(encoding="utf-8"))["error"]["field"] == "role"
    assert main(["qa", str(src), "-o", str(out), "--role", "小蜜=bot"]) == 0
    row = json.loads(out.read_text(encoding="utf-8"))
    assert (row["id"], row["channel"], row["agent"], row["team"]) == ("S1", "im", "A7", "一组")
    assert "reply.blame-shifting" in row["rule_ids"]
    assert [t["role"] for t in row["turns"]] == ["customer", "bot", "agent"]
    assert main(["qa", str(src), "--role", "小蜜"]) == 2
