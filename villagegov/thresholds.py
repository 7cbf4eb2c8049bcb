"""Quorums and majorities: the one place that decides whether the law's fraction is met.

Integer arithmetic only. "以上" includes the number itself (Civil Code Art. 1259), so
"two-thirds or more" is ``count * 3 >= total * 2``; "过半数" is strictly more than half,
``count * 2 > total``. Each result carries its figures and explains them with the
citation, in the active language.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import get_language, gettext, ngettext

from villagegov.models import ALTERNATIVE_PURPOSES, Basis, BodyRule, Counted, Purpose


class ThresholdLike(Protocol):
    """What the arithmetic needs of a threshold: a model row or a plain (frozen) spec.

    Read-only members, so that a frozen dataclass satisfies the protocol too."""

    @property
    def purpose(self) -> str: ...
    @property
    def counted(self) -> str: ...
    @property
    def basis(self) -> str: ...
    @property
    def numerator(self) -> int: ...
    @property
    def denominator(self) -> int: ...
    @property
    def strict(self) -> bool: ...
    @property
    def citation_zh(self) -> str: ...
    @property
    def citation_en(self) -> str: ...


@dataclass(frozen=True)
class ThresholdSpec:
    purpose: str
    counted: str
    basis: str
    numerator: int
    denominator: int
    strict: bool
    citation_zh: str = ""
    citation_en: str = ""


def is_met(*, count: int, total: int, numerator: int, denominator: int, strict: bool) -> bool:
    if strict:
        return count * denominator > total * numerator
    return count * denominator >= total * numerator


def minimum_needed(*, total: int, numerator: int, denominator: int, strict: bool) -> int:
    """The smallest count that meets the fraction of `total`."""
    if strict:
        return total * numerator // denominator + 1
    return -(-total * numerator // denominator)


_CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(value: int) -> str:
    """Chinese numerals for the small numbers a fraction of the law uses (1–99)."""
    if not 0 < value < 100:
        return str(value)
    tens, ones = divmod(value, 10)
    if tens == 0:
        return _CHINESE_DIGITS[ones]
    prefix = "" if tens == 1 else _CHINESE_DIGITS[tens]
    return prefix + "十" + (_CHINESE_DIGITS[ones] if ones else "")


def fraction_words(*, numerator: int, denominator: int, strict: bool) -> str:
    """How the law says the fraction: 过半数, 三分之二以上; 'more than half', 'at least 2/3'."""
    chinese = (get_language() or "zh-hans").startswith("zh")
    if chinese:
        if strict and 2 * numerator == denominator:
            return "过半数"
        words = f"{chinese_number(denominator)}分之{chinese_number(numerator)}"
        return f"超过{words}" if strict else f"{words}以上"
    if 2 * numerator == denominator:
        return "more than half" if strict else "at least half"
    return f"more than {numerator}/{denominator}" if strict else f"at least {numerator}/{denominator}"


UNIT_OF_COUNTED = {
    Counted.HOUSEHOLDS_REPRESENTED: "household",
    Counted.YES_VOTES: "vote",
    Counted.CANDIDATE_VOTES: "vote",
}
UNIT_OF_BASIS = {
    Basis.HOUSEHOLDS: "household",
    Basis.GROUP_HOUSEHOLDS: "household",
    Basis.VOTES_CAST: "vote",
}


def _quantity(amount: int, unit: str) -> str:
    if unit == "household":
        return ngettext("%(n)d household", "%(n)d households", amount) % {"n": amount}
    if unit == "vote":
        return ngettext("%(n)d vote", "%(n)d votes", amount) % {"n": amount}
    return ngettext("%(n)d person", "%(n)d people", amount) % {"n": amount}


@dataclass(frozen=True)
class Figure:
    """One threshold applied to the counts at hand."""

    threshold: ThresholdLike
    count: int
    total: int
    needed: int
    met: bool

    def explain(self) -> str:
        t = self.threshold
        chinese = (get_language() or "zh-hans").startswith("zh")
        values = {
            "counted": Counted(t.counted).label,
            "count": _quantity(self.count, UNIT_OF_COUNTED.get(Counted(t.counted), "person")),
            "basis": Basis(t.basis).label,
            "total": _quantity(self.total, UNIT_OF_BASIS.get(Basis(t.basis), "person")),
            "fraction": fraction_words(numerator=t.numerator, denominator=t.denominator, strict=t.strict),
            "needed": self.needed,
            "citation": t.citation_zh if chinese else t.citation_en,
        }
        if self.met:
            text = gettext(
                "%(counted)s: %(count)s, meets %(fraction)s of %(basis)s (%(total)s), which needs %(needed)d"
            )
        else:
            text = gettext(
                "%(counted)s: %(count)s, short of %(fraction)s of %(basis)s (%(total)s), "
                "which needs %(needed)d"
            )
        explained = text % values
        return f"{explained} — {values['citation']}" if values["citation"] else explained


@dataclass(frozen=True)
class Outcome:
    purpose: str
    met: bool
    figures: tuple[Figure, ...]

    def explain(self) -> str:
        return gettext("; ").join(figure.explain() for figure in self.figures)


class MissingCount(ValueError):
    """A threshold needs a count or a total the caller did not give."""


def evaluate(
    thresholds: Iterable[ThresholdLike],
    *,
    purpose: str,
    counts: Mapping[str, int],
    totals: Mapping[str, int],
) -> Outcome:
    """Apply every threshold of `purpose`: alternatives ("or") for quorum and convening
    requests, all required otherwise. A purpose with no threshold is met (advisory bodies)."""
    figures = []
    for threshold in thresholds:
        if threshold.purpose != purpose:
            continue
        if threshold.counted not in counts:
            raise MissingCount(f"count of {threshold.counted!r} is needed")
        if threshold.basis not in totals:
            raise MissingCount(f"total of {threshold.basis!r} is needed")
        count, total = counts[threshold.counted], totals[threshold.basis]
        if count < 0 or total < 0:
            raise ValueError("counts and totals cannot be negative")
        numerator, denominator, strict = threshold.numerator, threshold.denominator, threshold.strict
        figures.append(
            Figure(
                threshold=threshold,
                count=count,
                total=total,
                needed=minimum_needed(
                    total=total, numerator=numerator, denominator=denominator, strict=strict
                ),
                # A fraction of nothing is met by nothing: no households on the register
                # cannot make a quorum "by households".
                met=total > 0
                and is_met(
                    count=count, total=total, numerator=numerator, denominator=denominator, strict=strict
                ),
            )
        )
    if not figures:
        return Outcome(purpose=purpose, met=True, figures=())
    combine = any if purpose in ALTERNATIVE_PURPOSES else all
    return Outcome(purpose=purpose, met=combine(f.met for f in figures), figures=tuple(figures))


def _thresholds_of(body_rule: BodyRule | None) -> list[ThresholdLike]:
    return list(body_rule.thresholds.all()) if body_rule is not None else []


def quorum_met(
    body_rule: BodyRule | None, *, counts: Mapping[str, int], totals: Mapping[str, int]
) -> Outcome:
    return evaluate(_thresholds_of(body_rule), purpose=Purpose.QUORUM, counts=counts, totals=totals)


def passes(body_rule: BodyRule | None, *, counts: Mapping[str, int], totals: Mapping[str, int]) -> Outcome:
    return evaluate(_thresholds_of(body_rule), purpose=Purpose.DECISION, counts=counts, totals=totals)
