"""``csstandards calendar``: holiday schedules (节假日安排) — show a year, import a new notice.

::

    csstandards calendar show 2027                         # holidays, 调休 days, source, estimated?
    csstandards calendar import notice.txt -o cn_2027.toml # the State Council notice → TOML

then list the file in ``[tool.csstandards] holidays = ["cn_2027.toml"]`` (pyproject.toml or
.csstandards.toml): every command and every ``Standard`` loaded from that configuration uses it.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from .errors import CalendarDataMissing, ConfigError, InputError

__all__ = ["add_config_option", "project_config", "register", "schedule_for_year"]


def add_config_option(p: argparse.ArgumentParser) -> None:
    """``--config FILE`` (default: the nearest .csstandards.toml / pyproject.toml upwards)."""
    p.add_argument(
        "--config",
        metavar="FILE",
        help="configuration file with [tool.csstandards] (default: search upwards from here)",
    )


def project_config(args: argparse.Namespace) -> Any:
    """The :class:`~csstandards.config.ProjectConfig` of ``--config`` or found from the cwd."""
    from .config import ProjectConfig, find_config, load_config

    path = getattr(args, "config", None)
    if path:
        return load_config(path)
    found = find_config(Path.cwd())
    return load_config(found) if found is not None else ProjectConfig()


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "calendar",
        help="show a year's public holidays, import a State Council holiday notice (节假日安排)",
        description=(
            "Public-holiday schedules of the business calendars. 'show YEAR' lists the holidays "
            "and make-up working days (调休上班) the library uses for YEAR and says whether they "
            "are official or an estimate; 'import NOTICE' reads the text of a 国务院办公厅关于"
            "YYYY年部分节假日安排的通知 and writes the schedule TOML to list under "
            "[tool.csstandards] holidays. Exit 0 on success, 2 on usage or input errors."
        ),
    )
    cmds = p.add_subparsers(dest="calendar_command", metavar="ACTION")
    show = cmds.add_parser("show", help="holidays, 调休 days, source and estimate flag of a year")
    show.add_argument("year", type=int, metavar="YEAR")
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_config_option(show)
    show.set_defaults(func=run_show)
    imp = cmds.add_parser("import", help="read a State Council notice, write the schedule TOML")
    imp.add_argument("notice", metavar="NOTICE", help="text of the notice (UTF-8; '-' = stdin)")
    imp.add_argument("-o", "--output", default="-", help="TOML file to write (default: stdout)")
    imp.add_argument("--year", type=int, help="the notice's year (default: from its title)")
    imp.add_argument("--force", action="store_true", help="overwrite an existing output file")
    imp.set_defaults(func=run_import)
    p.set_defaults(func=lambda args: _help(p))


def _help(p: argparse.ArgumentParser) -> int:
    p.print_help()
    return 2


def schedule_for_year(year: int, extra: tuple[Any, ...] = ()) -> Any:
    """The schedule the CN calendars use for ``year``: the last of ``extra`` that covers it,
    else the shipped official data, else the estimate (statutory days, no 调休); raises
    :class:`CalendarDataMissing` when there is none of these."""
    from .calendar import cn_schedule, estimated_cn_schedule

    for s in reversed(extra):
        if s.covers(year):
            return s
    try:
        return cn_schedule(year)
    except CalendarDataMissing:
        return estimated_cn_schedule(year)


def run_show(args: argparse.Namespace) -> int:
    cfg = project_config(args)
    extra = tuple(cfg.standard.holidays)
    year = int(args.year)
    sched = schedule_for_year(year, extra)
    hol = {d: n for d, n in sched.holidays.items()}
    work = {d: n for d, n in sched.workdays.items()}
    if args.json:
        print(
            json.dumps(
                {
                    "year": year,
                    "source": sched.source,
                    "estimated": sched.estimated,
                    "holidays": {d.isoformat(): n for d, n in sorted(hol.items())},
                    "workdays": {d.isoformat(): n for d, n in sorted(work.items())},
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    status = "ESTIMATE (估算: statutory days only, no 调休)" if sched.estimated else "official"
    print(f"{year}: {status}")
    print(f"source: {sched.source}")
    print(f"holidays (放假), {len(hol)} days:")
    for d, n in sorted(hol.items()):
        print(f"  {d.isoformat()} {_WD[d.weekday()]}  {n}")
    print(f"make-up working days (调休上班), {len(work)} days:")
    for d, n in sorted(work.items()):
        print(f"  {d.isoformat()} {_WD[d.weekday()]}  {n}")
    if sched.estimated:
        print(
            f"note: no official notice for {year} is loaded; when the State Council publishes "
            f"it, run `csstandards calendar import NOTICE.txt -o cn_{year}.toml` and add "
            f'holidays = ["cn_{year}.toml"] to [tool.csstandards]',
            file=sys.stderr,
        )
    return 0


_WD = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def run_import(args: argparse.Namespace) -> int:
    from .holiday_notice import parse_notice, schedule_to_toml

    if args.notice == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(args.notice).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise InputError(f"{args.notice}: cannot read the notice: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise InputError(f"{args.notice}: the notice is not UTF-8 text: {exc}") from exc
    notice = parse_notice(text, args.year)
    sched = notice.schedule()
    toml = schedule_to_toml(
        sched,
        comment=[
            f"Official mainland-China holiday schedule for {notice.year}, read by "
            "`csstandards calendar import` from",
            f"{notice.title or sched.source} ({args.notice}), {date.today().isoformat()}.",
            'Use it with [tool.csstandards] holidays = ["<this file>"] or '
            "HolidaySchedule.from_toml(path).",
        ],
    )
    if args.output == "-":
        sys.stdout.write(toml)
    else:
        out = Path(args.output)
        if out.exists() and not args.force:
            raise ConfigError(str(out), "", "exists already; pass --force to overwrite it")
        out.write_text(toml, encoding="utf-8")
    for it in notice.items:
        span = f"{it.holidays[0].isoformat()}–{it.holidays[-1].isoformat()}"
        work = ", ".join(d.isoformat() for d in it.workdays) or "none"
        print(f"{it.name}: {span} ({len(it.holidays)} days); 调休上班: {work}", file=sys.stderr)
    if args.output != "-":
        print(
            f'wrote {args.output}; add holidays = ["{args.output}"] to [tool.csstandards]',
            file=sys.stderr,
        )
    return 0
