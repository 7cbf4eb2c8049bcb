"""The disclosure board (村务公开栏): publishing an item (a correction is a new item, nothing is
edited or deleted), residents' objections (异议) within the window, and the officials' answers."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from consultations.matters import Matter
from consultations.models import MotionItem, Poll, PollState, Resolution
from supervision.models import DisclosureItem, DisclosureObjection, DisclosureSection
from supervision.selectors.committee import action_holders
from supervision.selectors.disclosure import MATTER_SECTIONS, PERIODIC_SECTIONS, objection_window_last_day
from supervision.services import TOO_LONG, notification_language
from villagegov.formats import local_date
from villagegov.models import Person, User, Village
from villagegov.permissions import Action, can, person_in
from villagegov.services.audit import audit_record, audited_update, snapshot
from villagegov.services.notifications import notification_send
from villagegov.services.text import clean_text

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20000
OBJECTION_MAX_LENGTH = 3000
ANSWER_MAX_LENGTH = 3000


def _item_link(item: DisclosureItem) -> str:
    return reverse("disclosure_detail", args=[item.village.admin_code, item.pk])


def disclosure_officials(village: Village) -> QuerySet[Person]:
    """Who publishes on the board and answers objections: the holders of PUBLISH_DISCLOSURE's roles today."""
    return action_holders(village, Action.PUBLISH_DISCLOSURE, on=timezone.localdate())


def _checked_source(
    village: Village, section: str, source: Poll | Resolution, *, correction: bool
) -> Poll | Resolution:
    """`source` as it is now, if an item in `section` may name it: a passed vote, or a published
    resolution of one, of this village; in its matter's section (MATTER_SECTIONS); named by no
    other item yet, unless the new item is a correction."""
    resolution: Resolution | None = None
    if isinstance(source, Resolution):
        resolution = (
            Resolution.objects.filter(pk=source.pk, session__council__village=village)
            .select_related("poll")
            .first()
        )
        if resolution is None or resolution.published_at is None:
            raise ValidationError(_("Choose a published resolution of this village."))
        poll_id = resolution.poll_id
    elif isinstance(source, Poll):
        poll_id = source.pk
    else:
        raise ValidationError(_("Choose the vote this item discloses."))
    # Locked so that one vote is not disclosed twice at the same time (once as the vote, once as
    # its resolution: the database's constraint sees only one of them).
    poll = (
        Poll.objects.select_for_update(of=("self",))
        .filter(pk=poll_id, item__session__council__village=village)
        .first()
    )
    if poll is None or poll.state != PollState.CLOSED or poll.passed is not True:
        raise ValidationError(_("Only a passed vote of this village can be disclosed as a decision."))
    matter = MotionItem.objects.filter(pk=poll.item_id).values_list("matter", flat=True).first()
    expected = MATTER_SECTIONS.get(Matter(matter)) if matter in Matter.values else None
    if expected is not None and section != expected:
        raise ValidationError(
            _("This decision is disclosed in the section “%(section)s”.") % {"section": expected.label}
        )
    if not correction:
        resolution_ids = list(Resolution.objects.filter(poll=poll).values_list("pk", flat=True))
        earlier = (
            DisclosureItem.objects.filter(village=village, corrects__isnull=True)
            .filter(
                Q(source_type=ContentType.objects.get_for_model(Poll), source_id=poll.pk)
                | Q(source_type=ContentType.objects.get_for_model(Resolution), source_id__in=resolution_ids)
            )
            .first()
        )
        if earlier is not None:
            raise ValidationError(
                _("This decision is already disclosed in “%(title)s”; publish a correction of it instead.")
                % {"title": earlier.title}
            )
    return resolution if resolution is not None else poll


@transaction.atomic
def disclosure_publish(
    *,
    actor: User,
    village: Village,
    section: DisclosureSection,
    title: str,
    body: str,
    period_start: date | None = None,
    period_end: date | None = None,
    corrects: DisclosureItem | None = None,
    source: Poll | Resolution | None = None,
) -> DisclosureItem:
    """Publish an item on the village's board. Finances and general affairs name the period they
    cover; a correction names an earlier item of the same section and leaves it as it was. An item
    that discloses a decision names it as its `source`: a passed vote or a published resolution
    of this village, in the section its matter goes in, once."""
    if not can(actor, Action.PUBLISH_DISCLOSURE, village):
        raise ValidationError(_("Only village officials and the accountant publish on the disclosure board."))
    if section not in DisclosureSection.values:
        raise ValidationError(_("Choose a section of the board."))
    title = clean_text(
        title, max_length=TITLE_MAX_LENGTH, too_long=str(TOO_LONG), empty=_("Give the item a title.")
    )
    body = clean_text(
        body, max_length=BODY_MAX_LENGTH, too_long=str(TOO_LONG), empty=_("Write what is published.")
    )
    if (period_start is None) != (period_end is None):
        raise ValidationError(_("Give both the first and the last day of the period, or neither."))
    if section in PERIODIC_SECTIONS and period_start is None:
        raise ValidationError(
            _("Finances and general village affairs name the period they cover: give its first and last day.")
        )
    if period_start is not None and period_end is not None:
        if period_end < period_start:
            raise ValidationError(_("The period ends before it starts."))
        today = timezone.localdate()
        if period_start > today:
            raise ValidationError(
                _("The period cannot start after today (%(date)s).") % {"date": local_date(today)}
            )
    if corrects is not None:
        # Locked so that the item corrected is read as it is now (it is never changed, only named).
        corrected = DisclosureItem.objects.select_for_update().filter(pk=corrects.pk, village=village).first()
        if corrected is None:
            raise ValidationError(_("The item to correct is not on this village's board."))
        if corrected.section != section:
            raise ValidationError(
                _("A correction goes in the same section as the item it corrects (%(section)s).")
                % {"section": DisclosureSection(corrected.section).label}
            )
        corrects = corrected
    if source is not None:
        source = _checked_source(village, section, source, correction=corrects is not None)
    item = DisclosureItem.objects.create(
        village=village,
        section=section,
        title=title,
        body=body,
        period_start=period_start,
        period_end=period_end,
        corrects=corrects,
        source=source,
        published_by=actor,
        published_at=timezone.now(),
    )
    audit_record(actor=actor, village=village, action="disclosure.publish", target=item, after=snapshot(item))
    return item


@transaction.atomic
def objection_raise(*, actor: User, item: DisclosureItem, text: str) -> DisclosureObjection:
    """A resident objects to an item within VILLAGEGOV_OBJECTION_DAYS of its publication, once per
    person and item; the officials who publish are told."""
    # Locked so that two objections of one person to one item queue up and the second is refused.
    locked = DisclosureItem.objects.select_for_update().select_related("village").get(pk=item.pk)
    village = locked.village
    if not can(actor, Action.RAISE_OBJECTION, village):
        raise ValidationError(_("You cannot raise objections in this village."))
    person = person_in(actor, village)
    if person is None:
        raise ValidationError(_("Only people on this village's roster can raise an objection."))
    last_day = objection_window_last_day(timezone.localdate(locked.published_at))
    if timezone.localdate() > last_day:
        raise ValidationError(
            _("Objections to this item were taken until %(date)s.") % {"date": local_date(last_day)}
        )
    if DisclosureObjection.objects.filter(item=locked, person=person).exists():
        raise ValidationError(_("You have already raised an objection to this item."))
    text = clean_text(
        text, max_length=OBJECTION_MAX_LENGTH, too_long=str(TOO_LONG), empty=_("Say what you object to.")
    )
    objection = DisclosureObjection.objects.create(
        item=locked, person=person, text=text, raised_at=timezone.now()
    )
    audit_record(
        actor=actor, village=village, action="objection.raise", target=objection, after=snapshot(objection)
    )
    with notification_language():
        message = _(
            "%(name)s raised an objection to “%(title)s” on the disclosure board. It awaits an answer."
        ) % {"name": person.name, "title": Truncator(locked.title).chars(60)}
    notification_send(
        village=village, people=disclosure_officials(village), message=message, link=_item_link(locked)
    )
    return objection


@transaction.atomic
def objection_answer(*, actor: User, objection: DisclosureObjection, answer: str) -> DisclosureObjection:
    """An official answers an objection, once; the objector is told."""
    locked = (
        DisclosureObjection.objects.select_for_update().select_related("item__village").get(pk=objection.pk)
    )
    village = locked.item.village
    if not can(actor, Action.PUBLISH_DISCLOSURE, village):
        raise ValidationError(_("Only village officials and the accountant answer objections."))
    if locked.answered_at is not None:
        raise ValidationError(_("This objection has already been answered."))
    answer = clean_text(
        answer, max_length=ANSWER_MAX_LENGTH, too_long=str(TOO_LONG), empty=_("Write the answer.")
    )
    changes = {"answer": answer, "answered_by": actor, "answered_at": timezone.now()}
    audited_update(locked, actor=actor, village=village, action="objection.answer", changes=changes)
    with notification_language():
        message = _("Your objection to “%(title)s” was answered.") % {
            "title": Truncator(locked.item.title).chars(60)
        }
    notification_send(
        village=village,
        people=Person.objects.filter(pk=locked.person_id),
        message=message,
        link=_item_link(locked.item),
    )
    return locked
