"""Eligibility from history: which criteria of a form a nominee meets, and why.

The rules are data (`EligibilityRule`, with validity dates): those of the proposed form in
force on the round's decision day (the close of its vote) and written for the nominee's
kind apply. Each rule names a criterion (`CriterionKind`); the function of that criterion
reads the nominee's record (`lantoa.awards.queries.history`) and says in words whether it
is met, with the facts. Rules of a form sharing a `group` are alternatives: one is enough.

The record is loaded once per kind of fact, so an evaluation costs a bounded number of
queries however many rules and years there are.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lantoa.awards.models import (
    AwardForm,
    CriterionKind,
    EligibilityRule,
    Nomination,
    NomineeKind,
    valid_on_q,
)
from lantoa.awards.queries.history import (
    CollectiveFacts,
    Facts,
    PersonFacts,
    decision_day,
    facts_for,
)
from lantoa.movements.models import RecognitionLevel
from lantoa.orgs.models import Organization, Person
from lantoa.programs.models import RatingLevel

__all__ = [
    "CHECKS",
    "Block",
    "CriterionResult",
    "Eligibility",
    "evaluate",
    "evaluate_for",
    "rules_for",
]

LEVEL_ORDER = {
    RatingLevel.FAIL: 0,
    RatingLevel.PASS: 1,
    RatingLevel.GOOD: 2,
    RatingLevel.EXCELLENT: 3,
}
RECOGNITION_ORDER = {
    RecognitionLevel.NONE: 0,
    RecognitionLevel.BASE: 1,
    RecognitionLevel.SECTOR: 2,
    RecognitionLevel.PROVINCE: 3,
    RecognitionLevel.NATIONAL: 4,
}


@dataclass(frozen=True)
class CriterionResult:
    """One rule checked against the record: met or not, and the reason with the facts."""

    rule: EligibilityRule
    met: bool
    reason: str

    @property
    def description(self) -> str:
        return self.rule.description

    @property
    def source(self) -> str:
        return self.rule.source

    @property
    def group(self) -> str:
        return self.rule.group


@dataclass
class Block:
    """A required rule on its own, or a group of alternatives (met when one is met)."""

    group: str
    results: list[CriterionResult] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return any(r.met for r in self.results)

    @property
    def is_group(self) -> bool:
        return bool(self.group)


class Eligibility(list):
    """The results, in the rules' order, with their verdict: `met` (None when no rule
    applies: the council judges from the record), `summary` in words, `missing` wordings,
    and `blocks` (required rules and groups of alternatives) for display."""

    def __init__(
        self,
        results: list[CriterionResult],
        *,
        form: AwardForm,
        kind: str,
        year: int,
        day: datetime.date,
        refusal: str = "",
    ) -> None:
        super().__init__(results)
        self.form = form
        self.kind = kind
        self.year = year
        self.day = day
        self.blocks = _blocks(results)
        self.missing = [_missing_wording(b) for b in self.blocks if not b.met]
        self.met: bool | None
        if refusal:
            self.met, self.summary = False, refusal
        elif not results:
            self.met, self.summary = None, _no_rules_summary(form, kind, day)
        else:
            self.met = not self.missing
            self.summary = self._verdict()

    def _verdict(self) -> str:
        names = {"form": self.form.name, "year": self.year}
        if self.missing:
            return _(
                "Does not meet the criteria of “%(form)s” for %(year)s. Missing: %(missing)s."
            ) % {
                **names,
                "missing": "; ".join(self.missing),
            }
        text = _("Meets the criteria of “%(form)s” for %(year)s.") % names
        which = [r.description for b in self.blocks if b.is_group for r in b.results if r.met]
        if which:
            text += " " + _("Of the alternatives, met: %(which)s.") % {"which": "; ".join(which)}
        return text


def _blocks(results: list[CriterionResult]) -> list[Block]:
    blocks: list[Block] = []
    groups: dict[str, Block] = {}
    for result in results:
        if not result.group:
            blocks.append(Block("", [result]))
        elif result.group in groups:
            groups[result.group].results.append(result)
        else:
            groups[result.group] = Block(result.group, [result])
            blocks.append(groups[result.group])
    return blocks


def _missing_wording(block: Block) -> str:
    if not block.is_group:
        return block.results[0].description
    options = " / ".join(r.description for r in block.results)
    return _("one of: %(options)s") % {"options": options}


def _no_rules_summary(form: AwardForm, kind: str, day: datetime.date) -> str:
    values = {"form": form.name, "day": _day(day)}
    if kind == NomineeKind.PERSON:
        return (
            _(
                "No criteria of “%(form)s” for individuals are recorded for %(day)s: "
                "the council judges from the record."
            )
            % values
        )
    return (
        _(
            "No criteria of “%(form)s” for collectives are recorded for %(day)s: "
            "the council judges from the record."
        )
        % values
    )


# --- words -------------------------------------------------------------------------------


def _day(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _span(years: list[int]) -> str:
    """2016, 2017, 2018, 2020 → "2016–2018, 2020"."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _years(facts: Facts, params: dict) -> list[int]:
    """The years a streak covers: the N years ending with the year of the round."""
    count = max(int(params.get("years", 1) or 1), 1)
    return list(range(facts.year - count + 1, facts.year + 1))


def _level_label(level: str) -> str:
    try:
        return str(RatingLevel(level).label)
    except ValueError:
        return level


def _rated(level: str, at_least: bool) -> str:
    if at_least:
        return _("“%(level)s” or better") % {"level": _level_label(level)}
    return f"“{_level_label(level)}”"


def _qualifies(got: str, level: str, at_least: bool) -> bool:
    if at_least:
        return LEVEL_ORDER.get(got, -1) >= LEVEL_ORDER.get(level, 99)
    return got == level


@dataclass
class Context:
    form_names: dict[str, str]

    def form(self, codes: list[str]) -> str:
        return " / ".join(f"“{self.form_names.get(c, c)}”" for c in codes)


def _codes(params: dict) -> list[str]:
    value = params.get("form") or []
    return [value] if isinstance(value, str) else list(value)


# --- criteria ----------------------------------------------------------------------------


def _individuals_only(rule: EligibilityRule) -> CriterionResult:
    return CriterionResult(rule, False, _("This criterion is checked for individuals only."))


def rating_streak(rule: EligibilityRule, facts: Facts, ctx: Context) -> CriterionResult:
    """Rated at a level (or better, with "at_least") in each of N years ending this one."""
    if not isinstance(facts, PersonFacts):
        return _individuals_only(rule)
    level = rule.params.get("level", RatingLevel.EXCELLENT)
    at_least = bool(rule.params.get("at_least"))
    years = _years(facts, rule.params)
    wanted = _rated(level, at_least)
    good = [y for y in years if _qualifies(facts.ratings.get(y, ""), level, at_least)]
    gaps = [y for y in years if y not in good]
    if len(years) == 1:
        return CriterionResult(rule, not gaps, _one_year_rating(facts, years[0], wanted, gaps))
    if not gaps:
        reason = _("Rated %(wanted)s %(count)s years running (%(span)s).") % {
            "wanted": wanted,
            "count": len(years),
            "span": _span(years),
        }
        return CriterionResult(rule, True, reason)
    if good:
        head = _("Rated %(wanted)s in %(count)s of the %(needed)s years needed (%(span)s)") % {
            "wanted": wanted,
            "count": len(good),
            "needed": len(years),
            "span": _span(good),
        }
    else:
        head = _("Not rated %(wanted)s in any of the %(needed)s years needed (%(span)s)") % {
            "wanted": wanted,
            "needed": len(years),
            "span": _span(years),
        }
    details = "; ".join(_year_gap(facts, y) for y in gaps)
    return CriterionResult(rule, False, f"{head}; {details}.")


def _year_gap(facts: PersonFacts, year: int) -> str:
    got = facts.ratings.get(year)
    if got:
        return _("%(year)s: rated “%(level)s”") % {"year": year, "level": _level_label(got)}
    return _("%(year)s: not rated yet") % {"year": year}


def _one_year_rating(facts: PersonFacts, year: int, wanted: str, gaps: list[int]) -> str:
    got = facts.ratings.get(year)
    if not gaps:
        return _("Rated “%(level)s” for %(year)s.") % {"level": _level_label(got), "year": year}
    if got:
        return _("Rated “%(level)s” for %(year)s, not %(wanted)s.") % {
            "level": _level_label(got),
            "year": year,
            "wanted": wanted,
        }
    return _("Not rated yet for %(year)s (no confirmed rating list).") % {"year": year}


def award_streak(rule: EligibilityRule, facts: Facts, ctx: Context) -> CriterionResult:
    """Received a form (issued, not revoked) for each of N years ending this one."""
    codes = _codes(rule.params)
    years = _years(facts, rule.params)
    found = {
        a.year: a
        for a in reversed(facts.awards)
        if a.form.code in codes and a.revoked_by_id is None and a.year in years
    }
    names = {"form": ctx.form(codes), "needed": len(years), "span": _span(years)}
    missing = [y for y in years if y not in found]
    if not missing:
        if len(years) == 1:
            award = found[years[0]]
            reason = _("Received %(form)s for %(year)s (decision %(decision)s of %(date)s).") % {
                **names,
                "year": years[0],
                "decision": award.decision.symbol,
                "date": _day(award.decision.date),
            }
        else:
            reason = _("Received %(form)s %(needed)s years running (%(span)s).") % names
        return CriterionResult(rule, True, reason)
    if len(years) == 1:
        reason = _("No %(form)s for %(year)s on record.") % {**names, "year": years[0]}
    elif found:
        reason = _(
            "Received %(form)s in %(count)s of the %(needed)s years needed (%(have)s); "
            "missing: %(missing)s."
        ) % {**names, "count": len(found), "have": _span(list(found)), "missing": _span(missing)}
    else:
        reason = _("No %(form)s on record for %(span)s.") % names
    return CriterionResult(rule, False, reason)


def _recognized_year(initiative) -> int:
    return initiative.recognized_on.year if initiative.recognized_on else initiative.year


def initiative(rule: EligibilityRule, facts: Facts, ctx: Context) -> CriterionResult:
    """An initiative or project recognized at a level or above, in the year or before (or
    within the last N years with "years")."""
    minimum = rule.params.get("min_level", RecognitionLevel.BASE)
    within = rule.params.get("years")
    lowest = RECOGNITION_ORDER.get(minimum, 1)

    def counts(item) -> bool:
        year = _recognized_year(item)
        recent = within is None or year > facts.year - int(within)
        level_ok = RECOGNITION_ORDER.get(item.level, 0) >= lowest
        return level_ok and year <= facts.year and recent

    found = [i for i in facts.initiatives if counts(i)]
    level = RecognitionLevel(minimum).label if minimum in RecognitionLevel.values else minimum
    if found:
        first = found[0]
        reason = _("“%(title)s”, recognized: %(level)s (%(year)s).") % {
            "title": first.title,
            "level": first.get_level_display(),
            "year": _recognized_year(first),
        }
        if len(found) > 1:
            reason += " " + _("%(count)s in all.") % {"count": len(found)}
        return CriterionResult(rule, True, reason)
    if not facts.initiatives:
        reason = _("No initiative or project on record up to %(year)s.") % {"year": facts.year}
    else:
        reason = _(
            "%(count)s initiatives or projects on record, none recognized at “%(level)s” "
            "or above by %(year)s."
        ) % {"count": len(facts.initiatives), "level": level, "year": facts.year}
    return CriterionResult(rule, False, reason)


def no_discipline(rule: EligibilityRule, facts: Facts, ctx: Context) -> CriterionResult:
    """No disciplinary measure in force on the day (NĐ 152/2025, Art. 4)."""
    if not isinstance(facts, PersonFacts):
        return CriterionResult(rule, True, _("Discipline is recorded for individuals only."))
    in_force = [d for d in facts.disciplines if d.in_force]
    if in_force:
        d = in_force[0]
        values = {"measure": d.measure, "date": _day(d.decided_on), "until": _day(d.in_force_until)}
        if d.in_force_until:
            reason = _("%(measure)s decided on %(date)s, in force until %(until)s.") % values
        else:
            reason = _("%(measure)s decided on %(date)s, in force with no end date.") % values
        return CriterionResult(rule, False, reason)
    if facts.disciplines:
        last = facts.disciplines[0]
        reason = _(
            "No discipline in force on %(day)s (the last one, %(measure)s of %(date)s, "
            "ended on %(until)s)."
        ) % {
            "day": _day(facts.day),
            "measure": last.measure,
            "date": _day(last.decided_on),
            "until": _day(last.in_force_until),
        }
    else:
        reason = _("No discipline on record on %(day)s.") % {"day": _day(facts.day)}
    return CriterionResult(rule, True, reason)


def good_deed(rule: EligibilityRule, facts: Facts, ctx: Context) -> CriterionResult:
    """At least `min_count` (1) good deeds on record in the N years (1) ending this one."""
    years = _years(facts, rule.params)
    needed = max(int(rule.params.get("min_count", 1) or 1), 1)
    deeds = sorted(
        (d for d in facts.good_deeds if d.date.year in years),
        key=lambda d: (d.date, d.pk),
        reverse=True,
    )
    values = {"span": _span(years), "count": len(deeds), "needed": needed}
    if len(deeds) >= needed:
        reason = _("%(count)s good deeds on record in %(span)s, the latest “%(title)s” (%(date)s).")
        values |= {"title": deeds[0].title, "date": _day(deeds[0].date)}
        return CriterionResult(rule, True, reason % values)
    reason = _("%(count)s good deeds on record in %(span)s; %(needed)s needed.") % values
    return CriterionResult(rule, False, reason)


def members_share(rule: EligibilityRule, facts: Facts, ctx: Context) -> CriterionResult:
    """A share (`min_percent`, `strictly_more`) or a number (`min_count`) of a collective's
    members holding a form for the year (`form`) or rated at a level (`level`, `at_least`).

    The members are those rated in the confirmed lists of the organization's subtree for
    the year; without any list, those now in the subtree."""
    if not isinstance(facts, CollectiveFacts):
        return CriterionResult(rule, False, _("This criterion is checked for collectives only."))
    rated = facts.member_ratings
    base = set(rated) or facts.present_members
    params = rule.params
    if params.get("level"):
        if not rated:
            reason = _("No confirmed rating list of %(year)s in the organization.") % {
                "year": facts.year
            }
            return CriterionResult(rule, False, reason)
        at_least = bool(params.get("at_least"))
        holders = {p for p, lv in rated.items() if _qualifies(lv, params["level"], at_least)}
        what = _("rated %(wanted)s") % {"wanted": _rated(params["level"], at_least)}
    else:
        codes = _codes(params)
        holders = set().union(*(facts.member_awards.get(c, set()) for c in codes)) & base
        what = _("awarded %(form)s") % {"form": ctx.form(codes)}
    met, needed = _share_met(len(holders), len(base), params)
    basis = _("rated members") if rated else _("members now in the organization")
    share = len(holders) * 100 / len(base) if base else 0
    reason = _(
        "%(count)s of %(total)s %(basis)s (%(share)s%%) %(what)s for %(year)s; %(needed)s needed."
    ) % {
        "count": len(holders),
        "total": len(base),
        "basis": basis,
        "share": number_format(round(share, 1), decimal_pos=0 if share == int(share) else 1),
        "what": what,
        "year": facts.year,
        "needed": needed,
    }
    return CriterionResult(rule, met, reason)


def _share_met(count: int, total: int, params: dict) -> tuple[bool, str]:
    if params.get("min_count") is not None:
        needed = int(params["min_count"])
        return count >= needed, _("at least %(count)s") % {"count": needed}
    percent = float(params.get("min_percent", 50))
    shown = number_format(percent, decimal_pos=0 if percent == int(percent) else 1)
    if total == 0:
        return False, _("at least %(percent)s%%") % {"percent": shown}
    share = count * 100 / total
    if params.get("strictly_more"):
        return share > percent, _("more than %(percent)s%%") % {"percent": shown}
    return share >= percent, _("at least %(percent)s%%") % {"percent": shown}


Check = Callable[[EligibilityRule, Facts, Context], CriterionResult]

CHECKS: dict[str, Check] = {
    CriterionKind.RATING_STREAK: rating_streak,
    CriterionKind.AWARD_STREAK: award_streak,
    CriterionKind.INITIATIVE: initiative,
    CriterionKind.NO_DISCIPLINE: no_discipline,
    CriterionKind.GOOD_DEED: good_deed,
    CriterionKind.MEMBERS_SHARE: members_share,
}


def _unknown(rule: EligibilityRule, facts: Facts, ctx: Context) -> CriterionResult:
    reason = _("The criterion “%(criterion)s” cannot be checked from the records.")
    return CriterionResult(rule, False, reason % {"criterion": rule.criterion})


# --- evaluation --------------------------------------------------------------------------


def rules_for(form: AwardForm, kind: str, day: datetime.date) -> list[EligibilityRule]:
    """The rules of a form for a kind of nominee in force on the day, in order."""
    return list(
        EligibilityRule.objects.filter(valid_on_q(day), award_form=form, applies_to=kind).order_by(
            "position", "id"
        )
    )


def _context(rules: list[EligibilityRule]) -> Context:
    codes = {c for rule in rules for c in _codes(rule.params or {})}
    names = (
        dict(AwardForm.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    )
    return Context(form_names=names)


def _refusal(form: AwardForm, kind: str, day: datetime.date) -> str:
    if not form.allows(kind):
        if kind == NomineeKind.PERSON:
            return _("“%(form)s” is given to collectives only.") % {"form": form.name}
        return _("“%(form)s” is given to individuals only.") % {"form": form.name}
    if (form.valid_from and day < form.valid_from) or (form.valid_to and day > form.valid_to):
        return _("“%(form)s” is not in the catalog on %(day)s.") % {
            "form": form.name,
            "day": _day(day),
        }
    return ""


def evaluate_for(
    nominee: Person | Organization,
    form: AwardForm,
    year: int,
    day: datetime.date,
    facts: Facts | None = None,
) -> Eligibility:
    """Check a person or an organization against the rules of `form` in force on `day`,
    for the record up to `year`."""
    kind = NomineeKind.PERSON if isinstance(nominee, Person) else NomineeKind.COLLECTIVE
    refusal = _refusal(form, kind, day)
    if refusal:
        return Eligibility([], form=form, kind=kind, year=year, day=day, refusal=refusal)
    rules = rules_for(form, kind, day)
    facts = facts or facts_for(nominee, year, day)
    ctx = _context(rules)
    results = [CHECKS.get(rule.criterion, _unknown)(rule, facts, ctx) for rule in rules]
    return Eligibility(results, form=form, kind=kind, year=year, day=day)


def evaluate(nomination: Nomination, facts: Facts | None = None) -> Eligibility:
    """The nomination's nominee against its proposed form, for the round's year, with the
    rules in force on the round's decision day (the close of its vote). Pass the `facts`
    of `nominee_record(nomination).facts` to reuse what the record page loaded."""
    round_ = nomination.round
    day = decision_day(nomination)
    facts = facts or facts_for(nomination.nominee, round_.year, day, nomination.pk)
    return evaluate_for(nomination.nominee, nomination.proposed_form, round_.year, day, facts)
