"""The collective's members (成员) and their shares (股份): admitting a member confirmed by the
成员大会, changing shares (the history is never edited), a member leaving, the collective's
settings, and importing the whole register from a spreadsheet.

A membership owns its COLLECTIVE_MEMBER role term: it starts and ends with it, in the same
transaction, so that the roll of the 成员大会 is always the register."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assets.imports import ImportRefused, ImportRow, row_error
from assets.models import Collective, JoinReason, LeaveReason, Membership, ShareChange
from assets.selectors.members import MAX_MEMBER_NUMBER, confirming_resolutions, last_share_change
from assets.values import CENT, ZERO, digits, not_after_today, refuse_unless
from consultations.models import Resolution
from supervision.services import TOO_LONG
from villagegov.formats import local_date
from villagegov.models import Person, Role, RoleAssignment, User, Village
from villagegov.permissions import Action
from villagegov.services.audit import audit_record, audited_update, snapshot
from villagegov.services.text import clean_text

NOTE_MAX_LENGTH = 300
REASON_MAX_LENGTH = 300
NAME_MAX_LENGTH = 200
# Membership.shares has 10 digits, 2 after the point.
MAX_SHARES = Decimal("99999999.99")
MEMBERSHIP_FIELDS = [
    "id",
    "village_id",
    "person_id",
    "number",
    "role_term_id",
    "shares",
    "joined_on",
    "join_reason",
    "left_on",
    "leave_reason",
    "confirmed_by_id",
    "note",
]
COLLECTIVE_FIELDS = ["name", "reserve_rate", "vouchers_need_review"]


def _refuse_unless_manager(actor: User, village: Village) -> None:
    refuse_unless(
        actor,
        Action.MANAGE_MEMBERS,
        village,
        _("Only the village committee or the head of the collective manages its members and settings."),
    )


def shares_problem(shares: Decimal, *, zero_allowed: bool) -> str | None:
    """What is wrong with `shares` as a number of shares, or None."""
    if not shares.is_finite():
        return _("Give the shares as a number, such as 1 or 1.5.")
    if shares < 0:
        return _("The shares cannot be negative.")
    if shares == 0 and not zero_allowed:
        return _("The shares must be more than 0.")
    # Compared before any rounding: a huge exponent ("1e30") cannot be quantized.
    if shares > MAX_SHARES:
        return _("That is more shares than the register can hold.")
    if shares != shares.quantize(CENT):
        return _("Shares are counted to two decimal places at most.")
    return None


def _check_shares(shares: Decimal, *, zero_allowed: bool) -> Decimal:
    problem = shares_problem(shares, zero_allowed=zero_allowed)
    if problem:
        raise ValidationError(problem)
    return shares.quantize(CENT)


def _check_resolution(village: Village, resolution: Resolution) -> None:
    if not confirming_resolutions(village).filter(pk=resolution.pk).exists():
        raise ValidationError(
            _(
                "Choose a published resolution of this village's members' assembly (成员大会) or members' "
                "representatives (成员代表大会) from a vote that passed."
            )
        )


def _locked_collective(village: Village) -> Collective:
    """The village's collective (every village has one from its creation), locked: member numbers
    are given one admission at a time."""
    collective = Collective.objects.select_for_update().filter(village=village).first()
    if collective is None:
        raise ValidationError(
            _("This village has no collective economic organisation set up. Ask the site administrator.")
        )
    return collective


def _next_number(village: Village) -> int:
    highest = Membership.objects.filter(village=village).aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


def _check_person(village: Village, person: Person, joined_on: date) -> None:
    if person.village_id != village.pk or person.left_on is not None:
        raise ValidationError(
            _("Only a person on this village's roster who has not left can become a member.")
        )
    if Membership.objects.filter(person=person, left_on__isnull=True).exists():
        raise ValidationError(_("%(name)s is already a member.") % {"name": person.name})
    earlier = Membership.objects.filter(person=person, left_on__gt=joined_on).order_by("-left_on").first()
    if earlier is not None and earlier.left_on is not None:
        raise ValidationError(
            _("%(name)s was a member until %(date)s; the new membership must start on that day or later.")
            % {"name": person.name, "date": local_date(earlier.left_on)}
        )


@transaction.atomic
def membership_admit(
    *,
    actor: User,
    village: Village,
    person: Person,
    shares: Decimal,
    joined_on: date,
    join_reason: str,
    resolution: Resolution | None,
    note: str = "",
) -> Membership:
    """Admit `person` (on the roster, not a member now) as a member holding `shares` from
    `joined_on`, as confirmed by `resolution` of the 成员大会 or 成员代表大会: the next member number,
    the COLLECTIVE_MEMBER role term, and the first line of the share history (0 → shares)."""
    _refuse_unless_manager(actor, village)
    _locked_collective(village)
    # Locked after the collective: two admissions of the same person wait for each other.
    person = Person.objects.select_for_update().get(pk=person.pk)
    _check_person(village, person, joined_on)
    not_after_today(joined_on, what=_("The admission"))
    shares = _check_shares(shares, zero_allowed=False)
    if join_reason not in JoinReason.values:
        raise ValidationError(_("Choose the reason for joining."))
    if resolution is None:
        raise ValidationError(
            _("Choose the resolution of the members' assembly that confirmed the membership.")
        )
    _check_resolution(village, resolution)
    note = clean_text(note, max_length=NOTE_MAX_LENGTH, empty=None, too_long=str(TOO_LONG))
    now = timezone.now()
    term = RoleAssignment.objects.create(person=person, role=Role.COLLECTIVE_MEMBER, starts_on=joined_on)
    audit_record(actor=actor, village=village, action="role.assign", target=term, after=snapshot(term))
    membership = Membership.objects.create(
        village=village,
        person=person,
        number=_next_number(village),
        role_term=term,
        shares=shares,
        joined_on=joined_on,
        join_reason=join_reason,
        confirmed_by=resolution,
        note=note,
        recorded_by=actor,
        recorded_at=now,
    )
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Joined the collective")
    change = ShareChange.objects.create(
        membership=membership,
        effective_on=joined_on,
        shares_before=ZERO,
        shares_after=shares,
        reason=reason,
        resolution=resolution,
        recorded_by=actor,
        recorded_at=now,
    )
    audit_record(
        actor=actor,
        village=village,
        action="membership.admit",
        target=membership,
        after={**snapshot(membership, MEMBERSHIP_FIELDS), "share_change_id": change.pk},
    )
    return membership


def _locked_open(membership: Membership) -> Membership:
    locked = Membership.objects.select_for_update().select_related("village", "person").get(pk=membership.pk)
    if locked.left_on is not None:
        raise ValidationError(
            _("This membership ended on %(date)s; it cannot be changed.")
            % {"date": local_date(locked.left_on)}
        )
    return locked


@transaction.atomic
def membership_shares_change(
    *,
    actor: User,
    membership: Membership,
    shares: Decimal,
    effective_on: date,
    reason: str,
    resolution: Resolution | None = None,
) -> ShareChange:
    """Change an open membership's shares from `effective_on` (not before its last change, not
    after today), for `reason`: a new line of the history, which is never edited."""
    _refuse_unless_manager(actor, membership.village)
    locked = _locked_open(membership)
    village = locked.village
    shares = _check_shares(shares, zero_allowed=True)
    if shares == locked.shares:
        raise ValidationError(
            _("The member already holds %(shares)s shares. Give the new number of shares.")
            % {"shares": locked.shares}
        )
    last = last_share_change(locked)
    earliest = last.effective_on if last is not None else locked.joined_on
    if effective_on < earliest:
        raise ValidationError(
            _("The change cannot take effect before %(date)s, the day of the last change.")
            % {"date": local_date(earliest)}
        )
    not_after_today(effective_on, what=_("The change of shares"))
    reason = clean_text(
        reason, max_length=REASON_MAX_LENGTH, empty=_("Say why the shares change."), too_long=str(TOO_LONG)
    )
    if resolution is not None:
        _check_resolution(village, resolution)
    change = ShareChange.objects.create(
        membership=locked,
        effective_on=effective_on,
        shares_before=locked.shares,
        shares_after=shares,
        reason=reason,
        resolution=resolution,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audited_update(
        locked,
        actor=actor,
        village=village,
        action="membership.change_shares",
        changes={"shares": shares},
        fields=MEMBERSHIP_FIELDS,
    )
    audit_record(
        actor=actor, village=village, action="share_change.record", target=change, after=snapshot(change)
    )
    membership.shares = shares
    return change


@transaction.atomic
def membership_end(
    *, actor: User, membership: Membership, left_on: date, leave_reason: str, note: str = ""
) -> Membership:
    """End an open membership on `left_on` (not before joining, not after today) for `leave_reason`;
    its COLLECTIVE_MEMBER role term ends the same day."""
    _refuse_unless_manager(actor, membership.village)
    locked = _locked_open(membership)
    village = locked.village
    if left_on < locked.joined_on:
        raise ValidationError(
            _("The member cannot leave before joining (%(date)s).") % {"date": local_date(locked.joined_on)}
        )
    not_after_today(left_on, what=_("The member's leaving"))
    if leave_reason not in LeaveReason.values:
        raise ValidationError(_("Choose the reason for leaving."))
    note = clean_text(note, max_length=NOTE_MAX_LENGTH, empty=None, too_long=str(TOO_LONG))
    changes: dict[str, object] = {"left_on": left_on, "leave_reason": leave_reason}
    if note:
        changes["note"] = note
    audited_update(
        locked,
        actor=actor,
        village=village,
        action="membership.end",
        changes=changes,
        fields=MEMBERSHIP_FIELDS,
    )
    term = RoleAssignment.objects.select_for_update().get(pk=locked.role_term_id)
    audited_update(term, actor=actor, village=village, action="role.end", changes={"ends_on": left_on})
    return locked


@transaction.atomic
def collective_update(
    *, actor: User, collective: Collective, name: str, reserve_rate: Decimal, vouchers_need_review: bool
) -> Collective:
    """Change the collective's name and the settings of its charter."""
    locked = Collective.objects.select_for_update().select_related("village").get(pk=collective.pk)
    _refuse_unless_manager(actor, locked.village)
    name = clean_text(
        name,
        max_length=NAME_MAX_LENGTH,
        empty=_("Give the collective's registered name."),
        too_long=str(TOO_LONG),
    )
    if not reserve_rate.is_finite() or not Decimal(0) <= reserve_rate <= Decimal(100):
        raise ValidationError(_("The reserve rate is a percentage from 0 to 100."))
    if reserve_rate != reserve_rate.quantize(CENT):
        raise ValidationError(_("Give the reserve rate to two decimal places at most."))
    changes = {"name": name, "reserve_rate": reserve_rate, "vouchers_need_review": vouchers_need_review}
    if all(getattr(locked, field) == value for field, value in changes.items()):
        return locked
    return audited_update(
        locked,
        actor=actor,
        village=locked.village,
        action="collective.update",
        changes=changes,
        fields=COLLECTIVE_FIELDS,
    )


# --- Importing the register -------------------------------------------------------------------

IMPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("成员编号", "number", "编号"),
    "name": ("姓名", "name"),
    "birth_date": ("出生日期", "birth_date", "birth date"),
    "shares": ("股份", "shares", "股数"),
    "joined_on": ("入社日期", "joined_on", "joined"),
    "join_reason": ("加入原因", "join_reason", "reason"),
}
REQUIRED_COLUMNS = ("name", "birth_date", "shares", "joined_on")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def parse_day(text: str) -> date | None:
    """A day as a spreadsheet gives it (2020-01-31, 2020/1/31, 2020.1.31, 2020年1月31日), or None."""
    text = text.strip()
    if " " in text or "T" in text:  # a date-time cell: the day is what counts
        text = re.split(r"[ T]", text, maxsplit=1)[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _reason_names() -> dict[str, str]:
    """Every way a join reason may be written: its value, its label in either language, and the
    Chinese term in its label's brackets."""
    names: dict[str, str] = {}
    for value, label in JoinReason.choices:
        names[value] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                text = str(label)
            names[text.lower()] = value
            bracketed = re.search(r"[（(]([^()（）]+)[)）]", text)
            if bracketed:
                names[bracketed.group(1).strip()] = value
            names[re.sub(r"\s*[（(].*$", "", text).strip().lower()] = value
    return names


@dataclass
class _ImportLine:
    line: int
    person: Person
    number: int | None
    shares: Decimal
    joined_on: date
    join_reason: str


def _parse_row(
    row: ImportRow,
    *,
    people: dict[tuple[str, date], list[Person]],
    members: set[int],
    ended: dict[int, date],
    taken_numbers: set[int],
    reasons: dict[str, str],
    today: date,
) -> tuple[_ImportLine | None, list[str]]:
    values = row.values
    problems: list[str] = []
    number: int | None = None
    number_text = values.get("number", "").strip()
    if number_text:
        number = digits(number_text)
        if number is None or not 0 < number <= MAX_MEMBER_NUMBER:
            number = None
            problems.append(
                _("the member number “%(value)s” is not a whole number above 0.") % {"value": number_text}
            )
        elif number in taken_numbers:
            problems.append(_("member number %(number)s is already taken.") % {"number": number})
    name = values.get("name", "").strip()
    birth_text = values.get("birth_date", "").strip()
    birth_date = parse_day(birth_text) if birth_text else None
    person: Person | None = None
    if not name:
        problems.append(_("the name is missing."))
    if not birth_text:
        problems.append(_("the date of birth is missing."))
    elif birth_date is None:
        problems.append(
            _("the date of birth “%(value)s” is not a date such as 1970-01-31.") % {"value": birth_text}
        )
    if name and birth_date is not None:
        found = people.get((name, birth_date), [])
        if not found:
            problems.append(
                _("no one on the roster is called %(name)s and born on %(date)s.")
                % {"name": name, "date": birth_date.isoformat()}
            )
        elif len(found) > 1:
            problems.append(
                _(
                    "%(count)s people on the roster are called %(name)s and born on %(date)s; "
                    "admit them one by one."
                )
                % {"count": len(found), "name": name, "date": birth_date.isoformat()}
            )
        else:
            person = found[0]
            if person.pk in members:
                problems.append(_("%(name)s is already a member.") % {"name": name})
    shares_text = values.get("shares", "").strip().replace(",", "")
    shares = Decimal(0)
    if not shares_text:
        problems.append(_("the shares are missing."))
    else:
        try:
            shares = Decimal(shares_text)
        except InvalidOperation:
            problems.append(_("the shares “%(value)s” are not a number.") % {"value": shares_text})
        else:
            problem = shares_problem(shares, zero_allowed=False)
            if problem:
                problems.append(problem)
    joined_text = values.get("joined_on", "").strip()
    joined_on = parse_day(joined_text) if joined_text else None
    if not joined_text:
        problems.append(_("the day of joining is missing."))
    elif joined_on is None:
        problems.append(
            _("the day of joining “%(value)s” is not a date such as 2020-01-31.") % {"value": joined_text}
        )
    elif joined_on > today:
        problems.append(_("the day of joining %(date)s is in the future.") % {"date": joined_on.isoformat()})
    elif person is not None and person.pk in ended and ended[person.pk] > joined_on:
        # As for one admission: a new membership does not overlap the person's earlier one.
        problems.append(
            _("%(name)s was a member until %(date)s; the day of joining must be that day or later.")
            % {"name": name, "date": ended[person.pk].isoformat()}
        )
    reason_text = values.get("join_reason", "").strip()
    join_reason: str | None = JoinReason.FOUNDING
    if reason_text:
        join_reason = reasons.get(reason_text.lower()) or reasons.get(reason_text)
    if join_reason is None:
        problems.append(
            _("the reason for joining “%(value)s” is not one the register knows.") % {"value": reason_text}
        )
    if problems or person is None or joined_on is None or join_reason is None:
        return None, problems
    return _ImportLine(row.line, person, number, shares.quantize(CENT), joined_on, join_reason), []


@transaction.atomic
def members_import(
    *, actor: User, village: Village, rows: list[ImportRow], resolution: Resolution | None
) -> list[Membership]:
    """Admit every member of `rows` (read by assets.imports.read_table with IMPORT_COLUMNS), as
    confirmed by `resolution` of the 成员大会 or 成员代表大会, or none: any row's problem refuses
    the whole file with ImportRefused listing every row's errors. The people are found on the
    roster by name and date of birth; a row without a member number gets the next free one.
    Written in bulk, in one transaction, with one audit record."""
    _refuse_unless_manager(actor, village)
    if resolution is None:
        raise ValidationError(
            _("Choose the resolution of the members' assembly that confirmed the membership.")
        )
    _check_resolution(village, resolution)
    collective = _locked_collective(village)
    people: dict[tuple[str, date], list[Person]] = {}
    for person in Person.objects.filter(village=village, left_on__isnull=True, birth_date__isnull=False):
        assert person.birth_date is not None
        people.setdefault((person.name.strip(), person.birth_date), []).append(person)
    members = set(
        Membership.objects.filter(village=village, left_on__isnull=True).values_list("person_id", flat=True)
    )
    # The day each former member's last membership ended: a new one starts then or later.
    ended: dict[int, date] = dict(
        Membership.objects.filter(village=village, left_on__isnull=False)
        .values("person_id")
        .annotate(last_left=Max("left_on"))
        .values_list("person_id", "last_left")
    )
    taken = set(Membership.objects.filter(village=village).values_list("number", flat=True))
    reasons = _reason_names()
    today = timezone.localdate()
    errors: list[str] = []
    lines: list[_ImportLine] = []
    seen_people: dict[int, int] = {}
    seen_numbers: dict[int, int] = {}
    for row in rows:
        parsed, problems = _parse_row(
            row,
            people=people,
            members=members,
            ended=ended,
            taken_numbers=taken,
            reasons=reasons,
            today=today,
        )
        if parsed is not None:
            if parsed.person.pk in seen_people:
                problems.append(
                    _("%(name)s is already on row %(line)s of this file.")
                    % {"name": parsed.person.name, "line": seen_people[parsed.person.pk]}
                )
            if parsed.number is not None and parsed.number in seen_numbers:
                problems.append(
                    _("member number %(number)s is already on row %(line)s of this file.")
                    % {"number": parsed.number, "line": seen_numbers[parsed.number]}
                )
            seen_people.setdefault(parsed.person.pk, row.line)
            if parsed.number is not None:
                seen_numbers.setdefault(parsed.number, row.line)
        errors.extend(row_error(row.line, problem) for problem in problems)
        if parsed is not None and not problems:
            lines.append(parsed)
    if errors:
        raise ImportRefused(errors)
    if not lines:
        raise ImportRefused([_("The file has no members to admit.")])
    # Members without a number follow the highest number of the register and of the file.
    following = max(taken | {line.number for line in lines if line.number is not None}, default=0)
    numbers: list[int] = []
    for line in lines:
        if line.number is None:
            following += 1
        numbers.append(line.number if line.number is not None else following)
    now = timezone.now()
    terms = RoleAssignment.objects.bulk_create(
        RoleAssignment(person=line.person, role=Role.COLLECTIVE_MEMBER, starts_on=line.joined_on)
        for line in lines
    )
    memberships = Membership.objects.bulk_create(
        Membership(
            village=village,
            person=line.person,
            number=number,
            role_term=term,
            shares=line.shares,
            joined_on=line.joined_on,
            join_reason=line.join_reason,
            confirmed_by=resolution,
            recorded_by=actor,
            recorded_at=now,
        )
        for line, term, number in zip(lines, terms, numbers, strict=True)
    )
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Joined the collective")
    ShareChange.objects.bulk_create(
        ShareChange(
            membership=membership,
            effective_on=membership.joined_on,
            shares_before=ZERO,
            shares_after=membership.shares,
            reason=reason,
            resolution=resolution,
            recorded_by=actor,
            recorded_at=now,
        )
        for membership in memberships
    )
    audit_record(
        actor=actor,
        village=village,
        action="membership.import",
        target=collective,
        after={
            "confirmed_by_id": resolution.pk,
            "members": [
                {
                    "id": membership.pk,
                    "number": membership.number,
                    "person_id": membership.person_id,
                    "role_term_id": membership.role_term_id,
                    "shares": membership.shares,
                    "joined_on": membership.joined_on,
                    "join_reason": membership.join_reason,
                }
                for membership in memberships
            ],
        },
    )
    return memberships
