"""Pages of a village's sessions, under /v/<village_code>/sessions/."""

from django.urls import path

from consultations.views import attendance, convening, sessions

urlpatterns = [
    path("", sessions.session_list, name="session_list"),
    path("new/", sessions.session_create, name="session_create"),
    path("<int:session_id>/", sessions.session_detail, name="session_detail"),
    path("<int:session_id>/announce/", sessions.session_announce, name="session_announce"),
    path("<int:session_id>/open/", sessions.session_open, name="session_open"),
    path("<int:session_id>/close/", sessions.session_close, name="session_close"),
    path("<int:session_id>/check-in/<str:join_code>/", attendance.session_check_in, name="session_check_in"),
    path("<int:session_id>/attendance/", attendance.attendance_record, name="attendance_record"),
    path("requests/", convening.convening_request_list, name="convening_request_list"),
    path("requests/new/", convening.convening_request_create, name="convening_request_create"),
    path("requests/<int:request_id>/", convening.convening_request_detail, name="convening_request_detail"),
    path("requests/<int:request_id>/sign/", convening.convening_request_sign, name="convening_request_sign"),
]
