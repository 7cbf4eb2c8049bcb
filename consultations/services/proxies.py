"""Written proxies (书面委托): where the body's rules allow them, a member who cannot attend lets a
member of the same household vote for them (2024 law on collective economic organisations,
Art. 27: the members' assembly). A proxy is exercised in the hall: it counts toward the quorum
and puts its grantor on a vote's roll only while its holder is checked in
(`selectors.attendance.session_quorum`, `services.polls.poll_open`), and the holder casts it only
from their own place on the roll."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.events import EventType, session_event_send
from consultations.models import Attendance, Session, SessionState, WrittenProxy
from consultations.selectors.attendance import entitled_members
from consultations.selectors.proxies import PROXY_CITATION, proxies_allowed, proxies_refused
from consultations.services.locks import session_lock
from villagegov.models import Person, User
from villagegov.permissions import Action, can
from villagegov.services.audit import audit_record, snapshot

DOCUMENT_MAX = 300


@transaction.atomic
def proxy_record(
    *, actor: User, session: Session, grantor: Person, holder: Person, document: str
) -> WrittenProxy:
    """Record that `grantor` gave `holder` a written proxy for `session`. Only at a members'
    assembly, between members of the same household, once per grantor, before the session
    closes and for a grantor who has not checked in."""
    session = session_lock(session.pk)
    village = session.council.village
    if not can(actor, Action.RECORD_ATTENDANCE, village):
        raise ValidationError(_("Only the chair or the clerk can record written proxies."))
    if not proxies_allowed(session):
        raise ValidationError(proxies_refused(session))
    if session.state == SessionState.CLOSED:
        raise ValidationError(_("This session is already closed."))
    document = document.strip()
    if not document:
        raise ValidationError(_("Say where the signed proxy is kept."))
    if len(document) > DOCUMENT_MAX:
        raise ValidationError(_("The note on the document is too long (at most 300 characters)."))
    if grantor.pk == holder.pk:
        raise ValidationError(_("A member cannot hold their own proxy."))
    members = entitled_members(session)
    for person in (grantor, holder):
        if person.village_id != village.pk or not members.filter(pk=person.pk).exists():
            raise ValidationError(
                _("%(name)s is not a member of %(council)s.")
                % {"name": person.name, "council": session.council.name}
            )
    if grantor.household_id is None or grantor.household_id != holder.household_id:
        raise ValidationError(
            _(
                "%(holder)s is not in the same household as %(grantor)s: "
                "a proxy goes to a member of the same household — %(citation)s"
            )
            % {"holder": holder.name, "grantor": grantor.name, "citation": PROXY_CITATION.citation()}
        )
    if Attendance.objects.filter(session=session, person=grantor).exists():
        raise ValidationError(_("%(name)s is present and votes in person.") % {"name": grantor.name})
    if WrittenProxy.objects.filter(session=session, grantor=grantor).exists():
        raise ValidationError(_("%(name)s has already given a written proxy.") % {"name": grantor.name})
    try:
        with transaction.atomic():
            proxy = WrittenProxy.objects.create(
                session=session,
                grantor=grantor,
                holder=holder,
                document=document,
                recorded_by=actor,
                recorded_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(
            _("%(name)s has already given a written proxy.") % {"name": grantor.name}
        ) from None
    audit_record(actor=actor, village=village, action="proxy.record", target=proxy, after=snapshot(proxy))
    session_event_send(
        session=session,
        type=EventType.ATTENDANCE_CHANGED,
        data={"proxies": WrittenProxy.objects.filter(session=session).count()},
    )
    return proxy
