"""Pages of a village's sessions (under /v/<village_code>/sessions/), of the topics residents
raise (/topics/), of the public board of resolutions (/board/) and of major decisions
(/decisions/)."""

from django.urls import path

import villagegov.converters  # noqa: F401  (registers the "id" converter)
from consultations.views import (
    agenda,
    attendance,
    convening,
    decisions,
    delegations,
    discussion,
    live,
    minutes,
    polls,
    proxies,
    resolutions,
    sessions,
    speakers,
    topics,
)

urlpatterns = [
    path("", sessions.session_list, name="session_list"),
    path("new/", sessions.session_create, name="session_create"),
    path("<id:session_id>/", sessions.session_detail, name="session_detail"),
    path("<id:session_id>/announce/", sessions.session_announce, name="session_announce"),
    path("<id:session_id>/open/", sessions.session_open, name="session_open"),
    path("<id:session_id>/close/", sessions.session_close, name="session_close"),
    path("<id:session_id>/check-in/<str:join_code>/", attendance.session_check_in, name="session_check_in"),
    path("<id:session_id>/attendance/", attendance.attendance_record, name="attendance_record"),
    path("<id:session_id>/proxies/", proxies.proxy_list, name="proxy_list"),
    # Agenda, speakers and discussion.
    path("<id:session_id>/agenda/new/", agenda.agenda_item_create, name="agenda_item_create"),
    path("<id:session_id>/agenda/<id:item_id>/", agenda.agenda_item_detail, name="agenda_item_detail"),
    path("<id:session_id>/agenda/<id:item_id>/edit/", agenda.agenda_item_update, name="agenda_item_update"),
    path("<id:session_id>/agenda/<id:item_id>/move/", agenda.agenda_item_move, name="agenda_item_move"),
    path("<id:session_id>/agenda/<id:item_id>/start/", agenda.agenda_item_start, name="agenda_item_start"),
    path("<id:session_id>/agenda/<id:item_id>/finish/", agenda.agenda_item_finish, name="agenda_item_finish"),
    path(
        "<id:session_id>/agenda/<id:item_id>/candidates/",
        agenda.election_candidate_add,
        name="election_candidate_add",
    ),
    path("<id:session_id>/agenda/<id:item_id>/speak/", speakers.speaker_request, name="speaker_request"),
    path("<id:session_id>/agenda/<id:item_id>/speakers/next/", speakers.speaker_next, name="speaker_next"),
    path(
        "<id:session_id>/speakers/<id:speaker_id>/withdraw/",
        speakers.speaker_withdraw,
        name="speaker_withdraw",
    ),
    path("<id:session_id>/speakers/<id:speaker_id>/done/", speakers.speaker_done, name="speaker_done"),
    path("<id:session_id>/speakers/<id:speaker_id>/remove/", speakers.speaker_remove, name="speaker_remove"),
    path("<id:session_id>/agenda/<id:item_id>/comments/", discussion.comment_post, name="comment_post"),
    path("<id:session_id>/comments/<id:comment_id>/hide/", discussion.comment_hide, name="comment_hide"),
    # Votes.
    path("<id:session_id>/agenda/<id:item_id>/polls/new/", polls.poll_create, name="poll_create"),
    path("<id:session_id>/polls/<id:poll_id>/", polls.poll_detail, name="poll_detail"),
    path("<id:session_id>/polls/<id:poll_id>/open/", polls.poll_open, name="poll_open"),
    path("<id:session_id>/polls/<id:poll_id>/vote/", polls.poll_vote, name="poll_vote"),
    path("<id:session_id>/polls/<id:poll_id>/close/", polls.poll_close, name="poll_close"),
    path("<id:session_id>/polls/<id:poll_id>/count/", polls.poll_count_record, name="poll_count_record"),
    # Live views.
    path("<id:session_id>/live/", live.session_live, name="session_live"),
    path("<id:session_id>/hall/", live.session_hall, name="session_hall"),
    # Minutes and resolutions.
    path("<id:session_id>/minutes/", minutes.minutes_detail, name="minutes_detail"),
    path("<id:session_id>/minutes/edit/", minutes.minutes_update, name="minutes_update"),
    path("<id:session_id>/minutes/sign/", minutes.minutes_sign, name="minutes_sign"),
    path("<id:session_id>/minutes/print/", minutes.minutes_print, name="minutes_print"),
    path(
        "<id:session_id>/polls/<id:poll_id>/resolution/",
        resolutions.resolution_create,
        name="resolution_create",
    ),
    path(
        "<id:session_id>/resolutions/<id:resolution_id>/publish/",
        resolutions.resolution_publish,
        name="resolution_publish",
    ),
    # Convening requests.
    path("requests/", convening.convening_request_list, name="convening_request_list"),
    path("requests/new/", convening.convening_request_create, name="convening_request_create"),
    path("requests/<id:request_id>/", convening.convening_request_detail, name="convening_request_detail"),
    path("requests/<id:request_id>/sign/", convening.convening_request_sign, name="convening_request_sign"),
]

topic_urlpatterns = [
    path("", topics.topic_list, name="topic_list"),
    path("new/", topics.topic_create, name="topic_create"),
    path("<id:topic_id>/", topics.topic_detail, name="topic_detail"),
    path("<id:topic_id>/support/", topics.topic_support, name="topic_support"),
    path("<id:topic_id>/answer/", topics.topic_answer, name="topic_answer"),
    path("<id:topic_id>/photos/<id:photo_id>/", topics.topic_photo, name="topic_photo"),
]

board_urlpatterns = [
    path("", resolutions.resolution_board, name="resolution_board"),
    path("<id:resolution_id>/", resolutions.resolution_detail, name="resolution_detail"),
]

decision_urlpatterns = [
    path("", decisions.decision_list, name="decision_list"),
    path("delegations/", delegations.delegation_list, name="delegation_list"),
    path("delegations/new/", delegations.delegation_record, name="delegation_record"),
    path("delegations/<id:delegation_id>/revoke/", delegations.delegation_revoke, name="delegation_revoke"),
    path("new/", decisions.decision_create, name="decision_create"),
    path("<id:process_id>/", decisions.decision_detail, name="decision_detail"),
    path("<id:process_id>/steps/", decisions.decision_step_record, name="decision_step_record"),
]
