"""Walk every URL pattern as anonymous, as an official of another village and as a resident
without the role, and fail on any leak or any change made by a refused request.

Every named URL must be classified in ACCESS: a new page without a classification fails here,
so nobody adds a page without deciding who may see it.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from assets.models import (
    Account,
    Allocation,
    Asset,
    AssetDocument,
    Collective,
    Contract,
    DistributionPlan,
    LandParcel,
    LandUse,
    Membership,
    Payment,
    RentInstalment,
    RentReceipt,
    ShareChange,
    Valuation,
    Voucher,
    VoucherLine,
)
from consultations.matters import Matter
from consultations.models import (
    Attendance,
    Ballot,
    BallotIntake,
    Comment,
    ConveningRequest,
    ConveningSignature,
    DecisionProcess,
    DecisionStep,
    Delegation,
    ElectionCandidate,
    Minutes,
    MotionItem,
    Poll,
    PollVoter,
    Resolution,
    SecretBallot,
    Session,
    SessionState,
    SpeakerRequest,
    Topic,
    TopicPhoto,
    TopicSupport,
    WrittenProxy,
)
from consultations.selectors.agenda import plain_items
from supervision.models import (
    Appointment,
    Appraisal,
    AppraisalResult,
    DisclosureItem,
    DisclosureObjection,
    DisclosurePolicy,
    DisclosureSection,
    Evidence,
    Finding,
    FindingResponse,
    FindingVerification,
    Question,
    Review,
    ReviewEntry,
    SignOff,
    VoucherReview,
)
from villagegov.models import (
    AuditRecord,
    Body,
    Council,
    CouncilSeat,
    Household,
    Invitation,
    Kinship,
    Notification,
    Person,
    Relation,
    Role,
    RoleAssignment,
    SeatPosition,
    Village,
    VillagerGroup,
)
from villagegov.permissions import ROLES_ALLOWED, Action
from villagegov.testing import client_for, make_person, make_village

PUBLIC = "public"
LOGGED_IN = "logged in"  # any account; the page shows only the user's own things

# Who may use each page: an Action of the permissions module, PUBLIC or LOGGED_IN.
ACCESS: dict[str, Action | str] = {
    "home": PUBLIC,
    "invitation_claim": PUBLIC,
    "invitation_claim_code": PUBLIC,
    "village_dashboard": Action.VIEW_VILLAGE,
    "person_list": Action.VIEW_ROSTER,
    "person_detail": Action.VIEW_ROSTER,
    "person_create": Action.MANAGE_ROSTER,
    "person_update": Action.MANAGE_ROSTER,
    "person_leave": Action.MANAGE_ROSTER,
    "role_assign": Action.MANAGE_ROSTER,
    "role_end": Action.MANAGE_ROSTER,
    "kinship_declare": Action.MANAGE_ROSTER,
    "invitation_issue": Action.ISSUE_INVITATION,
    "invitation_print": Action.ISSUE_INVITATION,
    "invitation_revoke": Action.ISSUE_INVITATION,
    "group_list": Action.VIEW_ROSTER,
    "household_list": Action.VIEW_ROSTER,
    "household_create": Action.MANAGE_ROSTER,
    "household_detail": Action.VIEW_ROSTER,
    "household_set_head": Action.MANAGE_ROSTER,
    "council_list": Action.VIEW_VILLAGE,
    "council_create": Action.MANAGE_COUNCILS,
    "council_detail": Action.VIEW_VILLAGE,
    "council_seat_add": Action.MANAGE_COUNCILS,
    "council_seat_end": Action.MANAGE_COUNCILS,
    "rule_set": Action.VIEW_VILLAGE,
    "audit_log": Action.VIEW_AUDIT_LOG,
    "notification_list": LOGGED_IN,
    "session_list": Action.VIEW_VILLAGE,
    "session_create": Action.MANAGE_SESSIONS,
    "session_detail": Action.VIEW_VILLAGE,
    "session_announce": Action.MANAGE_SESSIONS,
    "session_open": Action.MANAGE_SESSIONS,
    "session_close": Action.MANAGE_SESSIONS,
    "session_check_in": Action.VIEW_VILLAGE,
    "attendance_record": Action.RECORD_ATTENDANCE,
    "convening_request_list": Action.VIEW_VILLAGE,
    "convening_request_create": Action.VIEW_VILLAGE,
    "convening_request_detail": Action.VIEW_VILLAGE,
    "convening_request_sign": Action.VIEW_VILLAGE,
    "proxy_list": Action.RECORD_ATTENDANCE,
    "agenda_item_create": Action.MANAGE_AGENDA,
    "agenda_item_detail": Action.VIEW_VILLAGE,
    "agenda_item_update": Action.MANAGE_AGENDA,
    "agenda_item_move": Action.MANAGE_AGENDA,
    "agenda_item_start": Action.MANAGE_AGENDA,
    "agenda_item_finish": Action.MANAGE_AGENDA,
    "election_candidate_add": Action.MANAGE_AGENDA,
    "speaker_request": Action.TAKE_PART,
    "speaker_withdraw": Action.TAKE_PART,
    "speaker_next": Action.MANAGE_AGENDA,
    "speaker_done": Action.MANAGE_AGENDA,
    "speaker_remove": Action.MANAGE_AGENDA,
    "comment_post": Action.TAKE_PART,
    "comment_hide": Action.MODERATE_DISCUSSION,
    "poll_create": Action.RUN_POLLS,
    "poll_detail": Action.VIEW_VILLAGE,
    "poll_open": Action.RUN_POLLS,
    "poll_vote": Action.TAKE_PART,
    "poll_close": Action.RUN_POLLS,
    "poll_count_record": Action.RUN_POLLS,
    "session_live": Action.VIEW_VILLAGE,
    "session_hall": Action.RECORD_ATTENDANCE,
    "minutes_detail": Action.VIEW_VILLAGE,
    "minutes_update": Action.KEEP_MINUTES,
    "minutes_sign": Action.TAKE_PART,
    "minutes_print": Action.VIEW_VILLAGE,
    "resolution_create": Action.KEEP_MINUTES,
    "resolution_publish": Action.KEEP_MINUTES,
    "resolution_board": PUBLIC,
    "resolution_detail": PUBLIC,
    "topic_list": Action.VIEW_VILLAGE,
    "topic_create": Action.RAISE_TOPIC,
    "topic_detail": Action.VIEW_VILLAGE,
    "topic_support": Action.RAISE_TOPIC,
    "topic_answer": Action.ANSWER_TOPIC,
    "topic_photo": Action.VIEW_VILLAGE,
    "decision_list": Action.VIEW_VILLAGE,
    "decision_create": Action.RECORD_DECISIONS,
    "decision_detail": Action.VIEW_VILLAGE,
    "decision_step_record": Action.RECORD_DECISIONS,
    "delegation_list": Action.VIEW_VILLAGE,
    "delegation_record": Action.MANAGE_COUNCILS,
    "delegation_revoke": Action.MANAGE_COUNCILS,
    "supervision_dashboard": Action.VIEW_REVIEWS,
    "committee_detail": Action.VIEW_VILLAGE,
    "appointment_create": Action.APPOINT_SUPERVISORS,
    "review_list": Action.VIEW_REVIEWS,
    "review_create": Action.RUN_REVIEWS,
    "review_detail": Action.VIEW_REVIEWS,
    "review_entry_add": Action.RUN_REVIEWS,
    "evidence_upload": Action.RUN_REVIEWS,
    "review_sign": Action.RUN_REVIEWS,
    "evidence_file": Action.VIEW_REVIEWS,
    "finding_create": Action.RUN_REVIEWS,
    "finding_list": Action.VIEW_REVIEWS,
    "finding_detail": Action.TAKE_PART,
    "finding_answer": Action.TAKE_PART,
    "finding_verify": Action.RUN_REVIEWS,
    "question_list": Action.VIEW_VILLAGE,
    "question_ask": Action.ASK_QUESTIONS,
    "question_detail": Action.VIEW_VILLAGE,
    "question_answer": Action.TAKE_PART,
    "disclosure_board": PUBLIC,
    "disclosure_schedule": PUBLIC,
    "disclosure_publish": Action.PUBLISH_DISCLOSURE,
    "disclosure_detail": PUBLIC,
    "objection_raise": Action.RAISE_OBJECTION,
    "objection_answer": Action.PUBLISH_DISCLOSURE,
    "disclosure_policy_set": Action.PUBLISH_DISCLOSURE,
    "appraisal_list": Action.VIEW_VILLAGE,
    "appraisal_create": Action.RUN_REVIEWS,
    "appraisal_detail": Action.VIEW_VILLAGE,
    "appraisal_result_record": Action.RUN_REVIEWS,
    "appraisal_close": Action.RUN_REVIEWS,
    "collective_dashboard": Action.VIEW_FINANCES,
    "collective_settings": Action.MANAGE_MEMBERS,
    "my_shares": Action.VIEW_VILLAGE,
    "member_list": Action.VIEW_FINANCES,
    "member_admit": Action.MANAGE_MEMBERS,
    "member_import": Action.MANAGE_MEMBERS,
    "member_export": Action.VIEW_FINANCES,
    "member_detail": Action.VIEW_FINANCES,
    "member_shares_change": Action.MANAGE_MEMBERS,
    "member_leave": Action.MANAGE_MEMBERS,
    "asset_list": Action.VIEW_FINANCES,
    "asset_create": Action.MANAGE_ASSETS,
    "asset_export": Action.VIEW_FINANCES,
    "asset_detail": Action.VIEW_FINANCES,
    "asset_update": Action.MANAGE_ASSETS,
    "valuation_record": Action.MANAGE_ASSETS,
    "asset_document_upload": Action.MANAGE_ASSETS,
    "asset_document_file": Action.VIEW_FINANCES,
    "contract_list": Action.VIEW_FINANCES,
    "contract_create": Action.MANAGE_ASSETS,
    "contract_detail": Action.VIEW_FINANCES,
    "rent_receipt_record": Action.MANAGE_ASSETS,
    "contract_terminate": Action.MANAGE_ASSETS,
    "voucher_list": Action.VIEW_FINANCES,
    "voucher_create": Action.KEEP_ACCOUNTS,
    "voucher_detail": Action.VIEW_FINANCES,
    "voucher_update": Action.KEEP_ACCOUNTS,
    "voucher_discard": Action.KEEP_ACCOUNTS,
    "voucher_submit": Action.KEEP_ACCOUNTS,
    "voucher_post": Action.KEEP_ACCOUNTS,
    "voucher_reverse": Action.KEEP_ACCOUNTS,
    "account_list": Action.VIEW_FINANCES,
    "account_create": Action.KEEP_ACCOUNTS,
    "account_detail": Action.VIEW_FINANCES,
    "trial_balance": Action.VIEW_FINANCES,
    "income_statement": Action.VIEW_FINANCES,
    "opening_balance_import": Action.KEEP_ACCOUNTS,
    "ledger_export": Action.VIEW_FINANCES,
    "finance_disclose": Action.KEEP_ACCOUNTS,
    "distribution_list": Action.VIEW_VILLAGE,
    "distribution_create": Action.MANAGE_DISTRIBUTIONS,
    "distribution_detail": Action.VIEW_VILLAGE,
    "distribution_publish": Action.MANAGE_DISTRIBUTIONS,
    "distribution_propose": Action.MANAGE_DISTRIBUTIONS,
    "distribution_withdraw": Action.MANAGE_DISTRIBUTIONS,
    "distribution_pay_start": Action.MANAGE_DISTRIBUTIONS,
    "payment_record": Action.MANAGE_DISTRIBUTIONS,
    "distribution_result_publish": Action.MANAGE_DISTRIBUTIONS,
    "distribution_export": Action.VIEW_VILLAGE,
}

# Third-party URL trees with their own tests; the walker covers the app's own pages.
SKIPPED_PREFIXES = ("admin/", "accounts/", "i18n/")

SHOWN_TO_SOME = frozenset(
    {
        "question_detail",
        "question_answer",
        "finding_detail",
        "finding_answer",
        # A plan is shown to members once published; the walker's plan is a draft.
        "distribution_detail",
        "distribution_export",
    }
)
SECRET_MARKERS = ("东坑村", "陈主任", "保密村民", "441900999001")
UNPUBLISHED_MARKERS = (
    "保密决议",
    "保密表决",
    "保密议题",
    "保密村民",
    "保密会议",
    "保密审核",
    "保密质询",
    "保密异议",
    "保密资产",
    "保密凭证",
    "保密方案",
)


@dataclass(frozen=True)
class Page:
    name: str
    params: frozenset[str]  # the URL's parameters, its prefixes' included


def walk(patterns: list[Any], prefix: str = "", inherited: frozenset[str] = frozenset()) -> list[Page]:
    found: list[Page] = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        params = inherited | set(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            found.extend(walk(entry.url_patterns, route, params))
        elif entry.name:
            found.append(Page(entry.name, params))
    return found


APP_URLS = walk(get_resolver().url_patterns)


@dataclass
class World:
    village: Village
    official: Person
    resident: Person
    outsider: Person
    kwargs: dict[str, Any]
    supervisor: Person


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Path) -> World:
    village = make_village(name="东坑村", admin_code="441900999001")
    official = make_person(village, name="陈主任", roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    resident = make_person(village, name="李阿婆", with_account=True)
    secret = make_person(village, name="保密村民")
    group = VillagerGroup.objects.create(village=village, number=1, name="第一村民小组")
    head = make_person(village, name="户主")
    household = Household.objects.create(village=village, group=group, number="001", head=head)
    Person.objects.filter(pk__in=[head.pk, secret.pk]).update(household=household)
    Kinship.objects.create(person=secret, relative=resident, relation=Relation.SIBLING)
    assignment = RoleAssignment.objects.create(
        person=secret, role=Role.REPRESENTATIVE, starts_on=date(2024, 1, 1)
    )
    council = Council.objects.create(village=village, body=Body.VILLAGE_COMMITTEE, name="村委会")
    seat = CouncilSeat.objects.create(
        council=council, person=official, position=SeatPosition.CHAIR, starts_on=date(2024, 1, 1)
    )
    assert official.user is not None
    invitation = Invitation.objects.create(
        person=secret, code="TESTC2DE", created_by=official.user, expires_at="2099-01-01T00:00:00Z"
    )
    session = Session.objects.create(
        council=council,
        title="保密会议",
        chair=official,
        place="村委会会议室",
        starts_at=timezone.now() + timedelta(days=20),
        state=SessionState.ANNOUNCED,
        announced_at=timezone.now(),
        join_code="walker-join-code",
        created_by=official.user,
    )
    Notification.objects.create(village=village, person=resident, message="保密村民的消息", link="/")
    assembly = Council.objects.create(village=village, body=Body.VILLAGERS_ASSEMBLY, name="村民会议")
    convening_request = ConveningRequest.objects.create(council=assembly, matter="保密提议", initiator=secret)
    item = MotionItem.objects.create(
        session=session, position=1, title="保密议题", text="保密议题", created_by=official.user
    )
    speaker = SpeakerRequest.objects.create(item=item, person=secret, requested_at=timezone.now())
    comment = Comment.objects.create(
        item=item, author=secret, body="保密村民的发言", posted_at=timezone.now()
    )
    poll = Poll.objects.create(item=item, question="保密表决", created_by=official.user)
    resolution = Resolution.objects.create(session=session, poll=poll, title="保密决议", text="保密决议")
    topic = Topic.objects.create(
        village=village,
        council=assembly,
        title="保密议题",
        body="保密",
        raised_by=secret,
        raised_at=timezone.now(),
    )
    settings.MEDIA_ROOT = tmp_path
    default_storage.save("topics/secret.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 16))
    photo = TopicPhoto.objects.create(
        topic=topic,
        image="topics/secret.png",
        content_type="image/png",
        size=1,
        sha256="0" * 64,
        uploaded_at=timezone.now(),
    )
    process = DecisionProcess.objects.create(village=village, title="保密议题", created_by=official.user)
    delegation = Delegation.objects.create(
        village=village,
        matter=Matter.HOMESTEAD_PLAN,
        body=Body.REPRESENTATIVES_MEETING,
        granted_on=date(2024, 1, 1),
        document="保密决议",
        recorded_by=official.user,
        recorded_at=timezone.now(),
    )
    review = VoucherReview.objects.create(
        village=village,
        title="保密审核",
        voucher_number="保密凭证",
        opened_by=official.user,
        opened_at=timezone.now(),
    )
    default_storage.save("supervision/secret.pdf", ContentFile(b"%PDF-1.4 secret"))
    evidence = Evidence.objects.create(
        review=review,
        file="supervision/secret.pdf",
        original_name="保密材料.pdf",
        content_type="application/pdf",
        size=15,
        sha256="0" * 64,
        uploaded_by=official.user,
        uploaded_at=timezone.now(),
    )
    finding = Finding.objects.create(
        review=review,
        description="保密问题",
        required_action="保密整改",
        responsible=secret,
        deadline=date(2099, 1, 1),
        created_by=official.user,
        created_at=timezone.now(),
    )
    question = Question.objects.create(
        village=village,
        addressed_to_person=secret,
        text="保密质询",
        due_on=date(2099, 1, 1),
        asked_by=official.user,
        asked_at=timezone.now(),
    )
    disclosure = DisclosureItem.objects.create(
        village=village,
        section=DisclosureSection.GENERAL,
        title="公开事项",
        body="公开内容",
        published_by=official.user,
        published_at=timezone.now(),
    )
    objection = DisclosureObjection.objects.create(
        item=disclosure, person=secret, text="保密异议", raised_at=timezone.now()
    )
    appraisal = Appraisal.objects.create(
        village=village, year=2024, session=session, opened_by=official.user, opened_at=timezone.now()
    )
    member_term = RoleAssignment.objects.create(
        person=secret, role=Role.COLLECTIVE_MEMBER, starts_on=date(2024, 1, 1)
    )
    membership = Membership.objects.create(
        village=village,
        person=secret,
        number=1,
        role_term=member_term,
        shares=2,
        joined_on=date(2024, 1, 1),
        join_reason="founding",
        recorded_by=official.user,
        recorded_at=timezone.now(),
    )
    asset = LandParcel.objects.create(
        village=village,
        code="TD-001",
        name="保密资产",
        category="resource",
        area_mu=12,
        land_use=LandUse.ARABLE,
        created_by=official.user,
        created_at=timezone.now(),
    )
    default_storage.save("assets/secret.pdf", ContentFile(b"%PDF-1.4 secret"))
    document = AssetDocument.objects.create(
        asset=asset,
        title="保密资产的资料",
        file="assets/secret.pdf",
        original_name="保密资产.pdf",
        content_type="application/pdf",
        size=15,
        sha256="0" * 64,
        uploaded_by=official.user,
        uploaded_at=timezone.now(),
    )
    contract = Contract.objects.create(
        village=village,
        asset=asset,
        number="HT-001",
        counterparty="保密村民",
        starts_on=date(2024, 1, 1),
        ends_on=date(2030, 12, 31),
        created_by=official.user,
        created_at=timezone.now(),
    )
    RentInstalment.objects.create(contract=contract, due_on=date(2024, 12, 31), amount=1000)
    cash, income = (Account.objects.get(village=village, code=code) for code in ("101", "501"))
    voucher = Voucher.objects.create(
        village=village,
        date=date(2024, 3, 1),
        year=2024,
        summary="保密凭证",
        debit_total=100,
        credit_total=100,
        created_by=official.user,
        created_at=timezone.now(),
    )
    VoucherLine.objects.create(voucher=voucher, position=1, account=cash, debit=100)
    VoucherLine.objects.create(voucher=voucher, position=2, account=income, credit=100)
    plan = DistributionPlan.objects.create(
        village=village,
        year=2024,
        title="保密方案",
        record_date=date(2024, 12, 31),
        income=100,
        losses_made_up=0,
        reserve_rate=10,
        reserve=10,
        distributable=90,
        total_shares=2,
        created_by=official.user,
        created_at=timezone.now(),
    )
    allocation = Allocation.objects.create(plan=plan, membership=membership, shares=2, amount=90)
    other = make_village(name="寮步村")
    outsider = make_person(other, name="王主任", roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    kwargs = {
        "village_code": village.admin_code,
        "person_id": secret.pk,
        "assignment_id": assignment.pk,
        "invitation_id": invitation.pk,
        "household_id": household.pk,
        "council_id": council.pk,
        "seat_id": seat.pk,
        "code": invitation.code,
        "session_id": session.pk,
        "join_code": session.join_code,
        "request_id": convening_request.pk,
        "item_id": item.pk,
        "speaker_id": speaker.pk,
        "comment_id": comment.pk,
        "poll_id": poll.pk,
        "resolution_id": resolution.pk,
        "topic_id": topic.pk,
        "photo_id": photo.pk,
        "process_id": process.pk,
        "delegation_id": delegation.pk,
        "review_id": review.pk,
        "evidence_id": evidence.pk,
        "finding_id": finding.pk,
        "question_id": question.pk,
        "disclosure_id": disclosure.pk,
        "objection_id": objection.pk,
        "appraisal_id": appraisal.pk,
        "membership_id": membership.pk,
        "asset_id": asset.pk,
        "document_id": document.pk,
        "contract_id": contract.pk,
        "voucher_id": voucher.pk,
        "account_id": cash.pk,
        "plan_id": plan.pk,
        "allocation_id": allocation.pk,
    }
    supervisor = make_person(village, name="梁监委", roles=(Role.SUPERVISOR,), with_account=True)
    return World(village, official, resident, outsider, kwargs, supervisor)


def url_of(page: Page, world: World) -> str:
    missing = page.params - set(world.kwargs)
    assert not missing, f"{page.name}: the walker does not know how to fill {missing}"
    return reverse(page.name, kwargs={name: world.kwargs[name] for name in page.params})


def state(world: World) -> tuple[object, ...]:
    return (
        AuditRecord.objects.count(),
        Person.objects.count(),
        Person.objects.filter(left_on__isnull=False).count(),
        Person.objects.filter(name=RENAMED).count(),
        RoleAssignment.objects.count(),
        RoleAssignment.objects.filter(ends_on__isnull=False).count(),
        Kinship.objects.count(),
        Household.objects.count(),
        tuple(Household.objects.order_by("pk").values_list("pk", "head_id")),
        CouncilSeat.objects.count(),
        CouncilSeat.objects.filter(ends_on__isnull=False).count(),
        Council.objects.count(),
        Invitation.objects.count(),
        Invitation.objects.filter(revoked_at__isnull=True).count(),
        tuple(Session.objects.order_by("pk").values_list("pk", "state", "title")),
        Attendance.objects.count(),
        ConveningRequest.objects.count(),
        ConveningSignature.objects.count(),
        Notification.objects.count(),
        tuple(plain_items().order_by("pk").values_list("pk", "state", "position", "title")),
        ElectionCandidate.objects.count(),
        tuple(SpeakerRequest.objects.order_by("pk").values_list("pk", "state")),
        tuple(Comment.objects.order_by("pk").values_list("pk", "hidden_at")),
        tuple(Poll.objects.order_by("pk").values_list("pk", "state", "votes_cast")),
        PollVoter.objects.count(),
        Ballot.objects.count(),
        SecretBallot.objects.count(),
        BallotIntake.objects.count(),
        WrittenProxy.objects.count(),
        tuple(Topic.objects.order_by("pk").values_list("pk", "state", "answer")),
        TopicSupport.objects.count(),
        TopicPhoto.objects.count(),
        tuple(Minutes.objects.order_by("pk").values_list("pk", "notes", "signed_at")),
        tuple(Resolution.objects.order_by("pk").values_list("pk", "published_at", "title")),
        DecisionProcess.objects.count(),
        DecisionStep.objects.count(),
        tuple(Delegation.objects.order_by("pk").values_list("pk", "revoked_on")),
        Appointment.objects.count(),
        tuple(Review.objects.order_by("pk").values_list("pk", "state", "title")),
        ReviewEntry.objects.count(),
        Evidence.objects.count(),
        SignOff.objects.count(),
        tuple(Finding.objects.order_by("pk").values_list("pk", "state", "deadline")),
        FindingResponse.objects.count(),
        FindingVerification.objects.count(),
        tuple(Question.objects.order_by("pk").values_list("pk", "answer")),
        DisclosureItem.objects.count(),
        tuple(DisclosureObjection.objects.order_by("pk").values_list("pk", "answer")),
        tuple(Appraisal.objects.order_by("pk").values_list("pk", "year", "closed_at")),
        AppraisalResult.objects.count(),
        tuple(DisclosurePolicy.objects.order_by("pk").values_list("village_id", "finances_monthly")),
        tuple(
            Collective.objects.order_by("pk").values_list(
                "pk", "name", "reserve_rate", "vouchers_need_review"
            )
        ),
        tuple(Membership.objects.order_by("pk").values_list("pk", "shares", "left_on")),
        ShareChange.objects.count(),
        tuple(Asset.objects.order_by("pk").values_list("pk", "name", "status", "current_value")),
        Valuation.objects.count(),
        AssetDocument.objects.count(),
        tuple(Contract.objects.order_by("pk").values_list("pk", "terminated_on")),
        RentInstalment.objects.count(),
        RentReceipt.objects.count(),
        Account.objects.count(),
        tuple(Voucher.objects.order_by("pk").values_list("pk", "state", "summary", "debit_total")),
        VoucherLine.objects.count(),
        tuple(
            DistributionPlan.objects.order_by("pk").values_list(
                "pk", "published_at", "motion_id", "payment_started_at", "result_published_at", "withdrawn_at"
            )
        ),
        Allocation.objects.count(),
        Payment.objects.count(),
    )


RENAMED = "改了名的人"


def valid_post_data(world: World) -> dict[str, Any]:
    """What the forms of the village's pages accept, so that a request reaching an object of the
    wrong village would change it (and the walker would see the change)."""
    today = date.today().isoformat()
    return {
        "starts_on": "2024-01-01",
        "ends_on": today,
        "left_on": today,
        "reason": "death",
        "role": Role.CLERK.value,
        "person": world.kwargs["person_id"],
        "head": world.kwargs["person_id"],
        "position": SeatPosition.MEMBER.value,
        "relation": Relation.SPOUSE.value,
        "relative": f"{world.official.name} (#{world.official.pk})",
        "name": RENAMED,
        "gender": "F",
        "joined_on": "2000-01-01",
        "household": world.kwargs["household_id"],
        "is_registered_resident": "on",
        "number": "999",
        "body": Body.BOARD.value,
        "title": RENAMED,
        "place": "礼堂",
        "starts_at": (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        "chair": world.official.pk,
        "council": world.kwargs["council_id"],
        "short_notice_acknowledged": "on",
        "matter": RENAMED,
        "revoked_on": today,
        "granted_on": today,
        "year": str(date.today().year),
        "session": world.kwargs["session_id"],
        "competent": "1",
        "basically_competent": "0",
        "incompetent": "0",
        "finances": "monthly",
    }


def test_every_url_is_classified() -> None:
    names = {pattern.name for pattern in APP_URLS}
    assert names - set(ACCESS) == set(), "classify these URLs in ACCESS"
    assert set(ACCESS) - names == set(), "these URLs no longer exist"


def _assert_no_leak(body: bytes) -> None:
    text = body.decode(errors="replace")
    for marker in SECRET_MARKERS:
        assert marker not in text


VILLAGE_URLS = [page for page in APP_URLS if "village_code" in page.params and ACCESS[page.name] != PUBLIC]
# The village's public board: anyone may read it, so it must show only what was published.
PUBLIC_VILLAGE_URLS = [
    page for page in APP_URLS if "village_code" in page.params and ACCESS[page.name] == PUBLIC
]
ACCOUNT_URLS = [page for page in APP_URLS if ACCESS.get(page.name) == LOGGED_IN]


def test_every_village_page_is_guarded_by_an_action() -> None:
    assert all(isinstance(ACCESS[page.name], Action) for page in VILLAGE_URLS)


@pytest.mark.parametrize("pattern", PUBLIC_VILLAGE_URLS, ids=lambda p: p.name)
def test_public_board_shows_nothing_unpublished(world: World, pattern: Page) -> None:
    url = url_of(pattern, world)
    before = state(world)
    for client in (Client(), client_for(world.outsider), client_for(world.resident)):
        for method in ("get", "post"):
            response = getattr(client, method)(url, valid_post_data(world) if method == "post" else {})
            assert response.status_code in (200, 404, 405), (method, url, response.status_code)
            text = response.content.decode(errors="replace")
            # The village's name is public; nothing unpublished is.
            assert not [marker for marker in UNPUBLISHED_MARKERS if marker in text]
    assert state(world) == before


@pytest.mark.parametrize("pattern", ACCOUNT_URLS, ids=lambda p: p.name)
def test_account_pages_show_only_ones_own(world: World, pattern: Page) -> None:
    url = url_of(pattern, world)
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    before = state(world)
    response = client_for(world.outsider).get(url)
    assert response.status_code == 200
    _assert_no_leak(response.content)
    assert "保密村民".encode() not in response.content
    assert state(world) == before


@pytest.mark.parametrize("pattern", VILLAGE_URLS, ids=lambda p: p.name)
def test_anonymous_is_sent_to_login(world: World, pattern: Page) -> None:
    url = url_of(pattern, world)
    before = state(world)
    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        if response.status_code == 405:  # the method is refused before anything else
            continue
        assert response.status_code == 302, (method, url, response.status_code)
        assert response["Location"].startswith(reverse("account_login"))
    assert state(world) == before


@pytest.mark.parametrize("pattern", VILLAGE_URLS, ids=lambda p: p.name)
def test_official_of_another_village_sees_nothing(world: World, pattern: Page) -> None:
    url = url_of(pattern, world)
    client = client_for(world.outsider)
    before = state(world)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code in (404, 405), (method, url, response.status_code)
        _assert_no_leak(response.content)
    assert state(world) == before


@pytest.mark.parametrize("pattern", VILLAGE_URLS, ids=lambda p: p.name)
def test_resident_without_the_role(world: World, pattern: Page) -> None:
    url = url_of(pattern, world)
    action = ACCESS[pattern.name]
    assert isinstance(action, Action)
    client = client_for(world.resident)
    before = state(world)
    if Role.RESIDENT in ROLES_ALLOWED[action]:
        response = client.get(url)
        # Some objects are shown only to some residents (a question before its due date, a
        # finding to the person responsible for it): those may answer 404 to the others.
        allowed = (200, 404, 405) if pattern.name in SHOWN_TO_SOME else (200, 405)
        assert response.status_code in allowed, (url, response.status_code)
        return
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code in (403, 405), (method, url, response.status_code)
        assert "保密村民".encode() not in response.content
    assert state(world) == before


@pytest.mark.parametrize("pattern", VILLAGE_URLS, ids=lambda p: p.name)
def test_official_of_the_village_is_served(world: World, pattern: Page) -> None:
    """The holder of the page's role is served: an official, or a supervisor for the committee's own work."""
    action = ACCESS[pattern.name]
    assert isinstance(action, Action)
    holder = world.official if Role.COMMITTEE_MEMBER in ROLES_ALLOWED[action] else world.supervisor
    response = client_for(holder).get(url_of(pattern, world))
    # POST-only actions answer 405 to GET; everything else renders.
    assert response.status_code in (200, 405), (pattern.name, response.status_code)


OBJECT_URLS = [page for page in VILLAGE_URLS if page.params - {"village_code"}]


@pytest.mark.parametrize("pattern", OBJECT_URLS, ids=lambda p: p.name)
def test_official_of_another_village_under_their_own_code(world: World, pattern: Page) -> None:
    """An official passes the permission check of their own village; the objects of this one
    must still not be found through it, nor changed."""
    kwargs = world.kwargs | {"village_code": world.outsider.village.admin_code}
    url = reverse(pattern.name, kwargs={name: kwargs[name] for name in pattern.params})
    client = client_for(world.outsider)
    before = state(world)
    for method, data in (("get", {}), ("post", valid_post_data(world))):
        response = getattr(client, method)(url, data)
        # 403: their role does not reach this page even in their own village (nothing is looked up).
        assert response.status_code in (403, 404, 405), (method, url, response.status_code)
        _assert_no_leak(response.content)
    assert state(world) == before


@pytest.mark.parametrize("pattern", OBJECT_URLS, ids=lambda p: p.name)
def test_ids_too_large_for_the_database_are_not_found(world: World, pattern: Page) -> None:
    url = url_of(pattern, world)
    for name in pattern.params - {"village_code", "join_code", "code"}:
        url = url.replace(f"/{world.kwargs[name]}/", f"/{10**20}/", 1)
    client = client_for(world.official)
    for method in ("get", "post"):
        assert getattr(client, method)(url).status_code in (404, 405), (method, url)
