"""Project configuration (项目配置): ``[tool.csstandards]`` in ``pyproject.toml`` or ``.csstandards.toml``.

::

    [tool.csstandards]            # in .csstandards.toml the same keys sit at the top level
    name = "acme"                 # name of the Standard
    brand_voice = "warm"          # 品牌语调
    fail_on = "warning"           # failing severity (info | warning | error)
    min_score = 70                # optional: minimum tone score for templates
    enable = ["R103", "R112"]     # optional allow-list of rules (ids, codes or short names)
    disable = ["reply.over-promise"]
    public_contacts = ["400-800-1234", "service@acme.cn"]   # the company's own contacts
    sla = "sla_policy.toml"       # the company's SLA policy (a file relative to this one, or a table)

    [tool.csstandards.suppress]   # runtime suppression (运行时豁免): rule = reason
    R116 = "improvements are announced in the weekly digest, not in replies"
    holidays = ["cn_2027.toml"]   # holiday schedules (节假日安排) beyond the shipped data,
                                  # written by `csstandards calendar import`; relative to this file

    [tool.csstandards.severity]   # severity overrides
    "reply.over-promise" = "error"

    [tool.csstandards.phrases]    # extra phrases for the shipped phrase lists
    blame_shifting = ["合作方的锅"]

    [tool.csstandards.classes]    # extra words for the word classes of cue patterns
    party = ["跑腿小哥"]

    [tool.csstandards.patterns]   # extra cue patterns for the cue lists (docs/extending.md)
    blame_shifting = ["{party}{那边|方面?}的{问题|原因}"]

Precedence: command-line options > the configuration file > the library defaults
(:func:`resolve`); :attr:`ProjectConfig.origins` records where each set key came from
(``csstandards config`` prints it).  Errors are :class:`~csstandards.errors.ConfigError` naming
the file and key.  Every key is listed in docs/index.md (generated from the models by
``scripts/gen_config_doc.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, ValidationError

from ._toml import load_toml
from .errors import ConfigError, CSStandardsError, LexiconError
from .models import FrozenModel, Severity
from .sla import SLAPolicy
from .standard import RuleSettings, Standard, Suppression

if TYPE_CHECKING:  # pragma: no cover
    from .calendar import HolidaySchedule

__all__ = [
    "CONFIG_FILE",
    "ConfigOverrides",
    "ProjectConfig",
    "config_from_mapping",
    "expand_selectors",
    "find_config",
    "load_config",
    "load_project_config",
    "resolve",
]

CONFIG_FILE = ".csstandards.toml"
PYPROJECT = "pyproject.toml"

# Names the linter itself reports (not registered rules): accepted in enable/disable/severity.
LINT_RULES = {
    "lint.suppression-without-reason": "L001",
    "lint.suppression-unknown-rule": "L002",
    "lint.unused-suppression": "L003",
    "lint.score-below-minimum": "L004",
}

_KNOWN_KEYS = {
    "name",
    "brand_voice",
    "fail_on",
    "min_score",
    "enable",
    "disable",
    "severity",
    "phrases",
    "suppress",
    "sla",
    "holidays",
}


class ProjectConfig(FrozenModel):
    """A resolved configuration: the :class:`Standard` plus lint and test settings."""

    standard: Standard = Standard()
    fail_on: Severity = Field(
        default=Severity.WARNING,
        description="failing severity of lint and the pytest plugin: info, warning or error",
    )
    min_score: float | None = Field(
        default=None, description="minimum tone score (0–100) a template must reach in lint"
    )
    source: str | None = None
    root: str | None = None
    lint_enabled: frozenset[str] | None = None
    lint_disabled: frozenset[str] = frozenset()
    lint_severity: dict[str, Severity] = Field(default_factory=dict)
    #: where each key set away from its default came from: key → "FILE (tool.csstandards.KEY)"
    #: or "command line (--OPTION)"; nested keys of ``reply``/``feedback`` as ``reply.min_score``
    origins: dict[str, str] = Field(default_factory=dict)

    def lint_rule_enabled(self, rule_id: str) -> bool:
        """Whether a linter meta-check (``lint.*``, ``L00x``) is on."""
        names = {rule_id, LINT_RULES.get(rule_id, ""), rule_id.split(".", 1)[-1]} - {""}
        if self.lint_enabled is not None and not names & self.lint_enabled:
            return False
        return not names & self.lint_disabled

    def lint_severity_for(self, rule_id: str, default: Severity) -> Severity:
        for key in (rule_id, LINT_RULES.get(rule_id, ""), rule_id.split(".", 1)[-1]):
            if key and key in self.lint_severity:
                return self.lint_severity[key]
        return default


class ConfigOverrides(FrozenModel):
    """Command-line overrides: they win over the file (``enable`` re-enables a disabled rule)."""

    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    severity: dict[str, Severity] = Field(default_factory=dict)
    brand_voice: str | None = None
    fail_on: Severity | None = None
    min_score: float | None = None
    #: ruff-style selection: codes, ids, short names or prefixes (``R1``, ``reply.``, ``ALL``)
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


def _all_rule_ids() -> dict[str, str]:
    """Rule id → code of every registered rule and linter check."""
    from .rules import get_registry

    ids = {r.id: r.code for r in get_registry().all()}
    ids.update(LINT_RULES)
    return ids


def expand_selectors(patterns: Iterable[str], option: str = "--select") -> frozenset[str]:
    """Rule ids named by ``patterns``: a code, id or short name, or a prefix of a code or id
    (``R1`` = R100–R199, ``reply`` / ``reply.`` = the reply family, ``L`` = the linter's own
    checks), or ``ALL``.  A pattern that names nothing is a :class:`ConfigError`."""
    ids = _all_rule_ids()
    known = _known_names()
    out: set[str] = set()
    for raw in patterns:
        pat = raw.strip()
        if not pat:
            raise ConfigError("command line", option, "empty rule selector")
        if pat.upper() == "ALL":
            out.update(ids)
            continue
        if pat in known:
            out.add(known[pat])
            continue
        up = pat.upper()
        hit = {
            rid
            for rid, code in ids.items()
            if code.upper().startswith(up) or rid.startswith(pat.rstrip(".") + ".")
        }
        if not hit:
            raise ConfigError(
                "command line", option, f"{pat!r} selects no rule (no code, id or prefix matches)"
            )
        out.update(hit)
    return frozenset(out)


def _known_names() -> dict[str, str]:
    from .rules import get_registry

    names = dict(get_registry().names)
    for rid, code in LINT_RULES.items():
        names[rid] = rid
        names[code] = rid
        names[rid.split(".", 1)[1]] = rid
    return names


def _is_lint(name: str, known: Mapping[str, str]) -> bool:
    return known.get(name, "").startswith("lint.")


def _str_list(value: Any, source: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ConfigError(source, key, f"must be a list of strings, got {value!r}")
    for v in value:
        if not isinstance(v, str) or not v.strip():
            raise ConfigError(source, key, f"must be a list of non-empty strings, got {v!r}")
    return tuple(v.strip() for v in value)


def _severity(value: Any, source: str, key: str) -> Severity:
    from .testing import coerce_severity

    try:
        return coerce_severity(value)
    except CSStandardsError as exc:
        raise ConfigError(source, key, str(exc)) from None


def _check_names(names: Iterable[str], known: Mapping[str, str], source: str, key: str) -> None:
    for n in names:
        if n not in known:
            close = sorted(k for k in known if n.split(".")[-1] in k)[:4]
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise ConfigError(source, key, f"unknown rule {n!r} (规则不存在){hint}")


def config_from_mapping(
    data: Mapping[str, Any], *, source: str = "<config>", prefix: str = "", root: str | None = None
) -> ProjectConfig:
    """Build a :class:`ProjectConfig` from the ``[tool.csstandards]`` table (already parsed).

    ``prefix`` is prepended to key names in error messages (``tool.csstandards.``).
    """
    if not isinstance(data, Mapping):
        raise ConfigError(source, prefix.rstrip("."), "must be a table")
    extra_fields = set(Standard.model_fields) - {
        "name",
        "rules",
        "phrases",
        "brand_voice",
        "suppress",
        "sla",
        "holidays",
    }
    for key in data:
        if key not in _KNOWN_KEYS and key not in extra_fields:
            raise ConfigError(
                source,
                f"{prefix}{key}",
                f"unknown key; known keys: {', '.join(sorted(_KNOWN_KEYS | extra_fields))}",
            )
    known = _known_names()
    std_kwargs: dict[str, Any] = {}
    if "name" in data:
        if not isinstance(data["name"], str) or not data["name"].strip():
            raise ConfigError(source, f"{prefix}name", "must be a non-empty string")
        std_kwargs["name"] = data["name"]
    if "brand_voice" in data:
        if not isinstance(data["brand_voice"], str) or not data["brand_voice"].strip():
            raise ConfigError(source, f"{prefix}brand_voice", "must be a non-empty string")
        std_kwargs["brand_voice"] = data["brand_voice"]
    enable = disable = None
    if "enable" in data:
        enable = _str_list(data["enable"], source, f"{prefix}enable")
        _check_names(enable, known, source, f"{prefix}enable")
    if "disable" in data:
        disable = _str_list(data["disable"], source, f"{prefix}disable")
        _check_names(disable, known, source, f"{prefix}disable")
    severity: dict[str, Severity] = {}
    if "severity" in data:
        table = data["severity"]
        if not isinstance(table, Mapping):
            raise ConfigError(source, f"{prefix}severity", "must be a table rule = level")
        for rname, level in table.items():
            _check_names([rname], known, source, f"{prefix}severity.{rname}")
            severity[rname] = _severity(level, source, f"{prefix}severity.{rname}")
    std_kwargs["rules"] = RuleSettings(
        enabled=frozenset(n for n in enable if not _is_lint(n, known))
        if enable is not None
        else None,
        disabled=frozenset(n for n in disable or () if not _is_lint(n, known)),
        severity={k: v for k, v in severity.items() if not _is_lint(k, known)},
    )
    if "phrases" in data:
        table = data["phrases"]
        if not isinstance(table, Mapping):
            raise ConfigError(source, f"{prefix}phrases", "must be a table list = [phrases]")
        phrases = {}
        for lname, items in table.items():
            phrases[lname] = _str_list(items, source, f"{prefix}phrases.{lname}")
        std_kwargs["phrases"] = phrases
    if "suppress" in data:
        std_kwargs["suppress"] = _suppressions(data["suppress"], known, source, f"{prefix}suppress")
    if "sla" in data:
        std_kwargs["sla"] = _sla_policy(data["sla"], source, f"{prefix}sla", root)
    if "holidays" in data:
        std_kwargs["holidays"] = _holidays(data["holidays"], source, f"{prefix}holidays", root)
    for key in extra_fields & set(data):
        std_kwargs[key] = data[key]
    try:
        standard = Standard(**std_kwargs)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err.get("loc", ()))
        raise ConfigError(source, f"{prefix}{loc}", err["msg"]) from None
    except LexiconError as exc:  # a word class or cue pattern that does not compile
        raise ConfigError(source, f"{prefix}{exc.key}", exc.problem) from None
    if standard.brand_voice is not None:
        _check_voice(standard.brand_voice, standard, source, f"{prefix}brand_voice")
    if standard.phrases:
        try:
            standard.lexicon()
        except CSStandardsError as exc:
            raise ConfigError(source, f"{prefix}phrases", str(exc)) from None
    origins: dict[str, str] = {}
    for key, value in data.items():
        origins[key] = f"{source} ({prefix}{key})"
        if key in ("reply", "feedback") and isinstance(value, Mapping):
            for sub in value:
                origins[f"{key}.{sub}"] = f"{source} ({prefix}{key}.{sub})"
    kwargs: dict[str, Any] = {
        "standard": standard,
        "source": source,
        "root": root,
        "origins": origins,
    }
    if "fail_on" in data:
        kwargs["fail_on"] = _severity(data["fail_on"], source, f"{prefix}fail_on")
    if "min_score" in data:
        ms = data["min_score"]
        if isinstance(ms, bool) or not isinstance(ms, (int, float)) or not 0 <= ms <= 100:
            raise ConfigError(source, f"{prefix}min_score", f"must be a number 0–100, got {ms!r}")
        kwargs["min_score"] = float(ms)
    if enable is not None:
        kwargs["lint_enabled"] = frozenset(enable)
    kwargs["lint_disabled"] = frozenset(n for n in disable or () if _is_lint(n, known))
    kwargs["lint_severity"] = {k: v for k, v in severity.items() if _is_lint(k, known)}
    return ProjectConfig(**kwargs)


def _suppressions(
    value: Any, known: Mapping[str, str], source: str, key: str
) -> dict[str, Suppression]:
    """``[tool.csstandards.suppress]``: rule = "reason" (the reason is required)."""
    if not isinstance(value, Mapping):
        raise ConfigError(source, key, 'must be a table rule = "reason"')
    out: dict[str, Suppression] = {}
    for rname, reason in value.items():
        _check_names([rname], known, source, f"{key}.{rname}")
        if _is_lint(rname, known):
            raise ConfigError(
                source, f"{key}.{rname}", "linter checks cannot be suppressed at run time"
            )
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(
                source,
                f"{key}.{rname}",
                f"a suppression needs a reason (豁免理由) as a non-empty string, got {reason!r}",
            )
        out[rname] = Suppression(reason=reason, setting=f"{source} ({key}.{rname})")
    return out


def _sla_policy(value: Any, source: str, key: str, root: str | None) -> SLAPolicy:
    """``sla``: a policy file (relative to the configuration file) or an inline policy table."""
    from .sla import SLAPolicy, policy_from_mapping

    try:
        if isinstance(value, str) and value.strip():
            path = Path(value)
            if not path.is_absolute():
                path = (Path(root) if root else Path.cwd()) / path
            if not path.is_file():
                raise ConfigError(source, key, f"SLA policy file {value!r} not found ({path})")
            return SLAPolicy.from_toml(path)
        if isinstance(value, Mapping):
            return policy_from_mapping(value, source=f"{source} ({key})")
    except ConfigError:
        raise
    except CSStandardsError as exc:
        raise ConfigError(source, key, str(exc)) from None
    raise ConfigError(source, key, f"must be a policy file name or a policy table, got {value!r}")


def _holidays(value: Any, source: str, key: str, root: str | None) -> tuple[HolidaySchedule, ...]:
    """Load the schedule files listed under ``holidays`` (paths relative to the config file)."""
    from .calendar import HolidaySchedule

    base = Path(root) if root else Path.cwd()
    out = []
    for name in _str_list(value, source, key):
        path = Path(name)
        if not path.is_absolute():
            path = base / path
        if not path.is_file():
            raise ConfigError(
                source, key, f"holiday schedule {name!r} not found (looked at {path})"
            )
        try:
            out.append(HolidaySchedule.from_toml(path))
        except CSStandardsError as exc:
            raise ConfigError(source, key, f"holiday schedule {name!r}: {exc}") from None
    return tuple(out)


def load_config(path: str | Path) -> ProjectConfig:
    """Load a ``.csstandards.toml`` or the ``[tool.csstandards]`` table of a ``pyproject.toml``."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(str(p), "", "configuration file not found")
    try:
        data = load_toml(p)
    except CSStandardsError as exc:
        raise ConfigError(str(p), "", str(exc)) from None
    root = str(p.resolve().parent)
    if p.name == PYPROJECT:
        table = data.get("tool", {}).get("csstandards")
        if table is None:
            return ProjectConfig(source=str(p), root=root)
        return config_from_mapping(table, source=str(p), prefix="tool.csstandards.", root=root)
    return config_from_mapping(data, source=str(p), root=root)


def find_config(start: str | Path = ".") -> Path | None:
    """The nearest ``.csstandards.toml`` (preferred) or ``pyproject.toml`` with
    ``[tool.csstandards]``, looking in ``start`` and its parents."""
    here = Path(start).resolve()
    if here.is_file():
        here = here.parent
    for d in (here, *here.parents):
        own = d / CONFIG_FILE
        if own.is_file():
            return own
        py = d / PYPROJECT
        if py.is_file():
            try:
                data = load_toml(py)
            except CSStandardsError as exc:
                raise ConfigError(str(py), "", str(exc)) from None
            if isinstance(data.get("tool"), dict) and "csstandards" in data["tool"]:
                return py
    return None


def load_project_config(start: str | Path = ".") -> ProjectConfig:
    """The configuration found from ``start`` upwards, or the defaults when there is none."""
    found = find_config(start)
    return load_config(found) if found is not None else ProjectConfig()


def resolve(file_config: ProjectConfig | None, overrides: ConfigOverrides | None) -> ProjectConfig:
    """Apply command-line ``overrides`` on top of ``file_config`` (or the defaults)."""
    cfg = file_config or ProjectConfig()
    if overrides is None:
        return cfg
    known = _known_names()
    src = "command line"
    _check_names(overrides.enable, known, src, "--enable")
    _check_names(overrides.disable, known, src, "--disable")
    _check_names(overrides.severity, known, src, "--severity")
    rules = cfg.standard.rules
    enable = set(overrides.enable)
    disable = set(overrides.disable) | expand_selectors(overrides.ignore, "--ignore")
    enabled = rules.enabled
    lint_enabled = cfg.lint_enabled
    if overrides.select is not None:  # replaces the allow-list of the file
        chosen = expand_selectors(overrides.select, "--select")
        enabled = frozenset(n for n in chosen if not _is_lint(n, known))
        lint_enabled = chosen
    if overrides.extend_select:
        more = expand_selectors(overrides.extend_select, "--extend-select")
        enable |= more  # and re-enables what the file disables, like --enable
        if enabled is not None:
            enabled = enabled | frozenset(n for n in more if not _is_lint(n, known))
        if lint_enabled is not None:
            lint_enabled = lint_enabled | more
    if enabled is not None and enable:
        enabled = enabled | frozenset(n for n in enable if not _is_lint(n, known))
    new_rules = RuleSettings(
        enabled=enabled,
        disabled=frozenset(_drop(rules.disabled, enable, known))
        | frozenset(n for n in disable if not _is_lint(n, known)),
        severity={
            **rules.severity,
            **{k: v for k, v in overrides.severity.items() if not _is_lint(k, known)},
        },
    )
    std_update: dict[str, Any] = {"rules": new_rules}
    if overrides.brand_voice is not None:
        _check_voice(overrides.brand_voice, cfg.standard, src, "--brand-voice")
        std_update["brand_voice"] = overrides.brand_voice
    if lint_enabled is not None and enable:
        lint_enabled = lint_enabled | frozenset(n for n in enable if _is_lint(n, known))
    update: dict[str, Any] = {
        "standard": cfg.standard.model_copy(update=std_update),
        "lint_enabled": lint_enabled,
        "lint_disabled": frozenset(_drop(cfg.lint_disabled, enable, known))
        | frozenset(n for n in disable if _is_lint(n, known)),
        "lint_severity": {
            **cfg.lint_severity,
            **{k: v for k, v in overrides.severity.items() if _is_lint(k, known)},
        },
    }
    if overrides.fail_on is not None:
        update["fail_on"] = overrides.fail_on
    if overrides.min_score is not None:
        update["min_score"] = overrides.min_score
    origins = dict(cfg.origins)
    for key, option, given in (
        ("enable", "--enable", overrides.enable),
        ("enable", "--select", overrides.select is not None),
        ("enable", "--extend-select", overrides.extend_select),
        ("disable", "--ignore", overrides.ignore),
        ("disable", "--enable", len(_drop(rules.disabled, enable, known)) != len(rules.disabled)),
        ("disable", "--disable", overrides.disable),
        ("severity", "--severity", overrides.severity),
        ("brand_voice", "--brand-voice", overrides.brand_voice),
        ("fail_on", "--fail-on", overrides.fail_on),
        ("min_score", "--min-score", overrides.min_score),
    ):
        if given:
            before = origins.get(key)
            here = f"command line ({option})"
            origins[key] = here if before is None or before == here else f"{here} over {before}"
    update["origins"] = origins
    return cfg.model_copy(update=update)


def _check_voice(voice: str, standard: Standard, source: str, key: str) -> None:
    """Reject a brand voice the tone engine does not know (when it is installed)."""
    try:
        from .rules.reply_voice import voice_profiles
    except ImportError:  # pragma: no cover - the tone engine is part of the package
        return
    known = voice_profiles(standard)
    if voice not in known:
        raise ConfigError(
            source,
            key,
            f"unknown brand voice (品牌调性) {voice!r}; known: {', '.join(sorted(known))}",
        )


def _drop(names: Iterable[str], enable: set[str], known: Mapping[str, str]) -> list[str]:
    """``names`` minus those that ``enable`` re-enables (compared by rule id)."""
    on = {known.get(n, n) for n in enable}
    return [n for n in names if known.get(n, n) not in on]
