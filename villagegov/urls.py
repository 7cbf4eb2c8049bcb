from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

import villagegov.converters  # noqa: F401  (registers the "id" converter)
from consultations import urls as consultations_urls
from supervision import urls as supervision_urls
from villagegov.views import (
    accounts,
    audit,
    councils,
    dashboard,
    households,
    invitations,
    notifications,
    roster,
)

village_patterns: list[URLPattern | URLResolver] = [
    path("", dashboard.village_dashboard, name="village_dashboard"),
    path("people/", roster.person_list, name="person_list"),
    path("people/new/", roster.person_create, name="person_create"),
    path("people/<id:person_id>/", roster.person_detail, name="person_detail"),
    path("people/<id:person_id>/edit/", roster.person_update, name="person_update"),
    path("people/<id:person_id>/leave/", roster.person_leave, name="person_leave"),
    path("people/<id:person_id>/roles/", roster.role_assign, name="role_assign"),
    path("people/<id:person_id>/roles/<id:assignment_id>/end/", roster.role_end, name="role_end"),
    path("people/<id:person_id>/kin/", roster.kinship_declare, name="kinship_declare"),
    path("people/<id:person_id>/invitations/", invitations.invitation_issue, name="invitation_issue"),
    path("invitations/<id:invitation_id>/", invitations.invitation_print, name="invitation_print"),
    path("invitations/<id:invitation_id>/revoke/", invitations.invitation_revoke, name="invitation_revoke"),
    path("groups/", households.group_list, name="group_list"),
    path("households/", households.household_list, name="household_list"),
    path("households/new/", households.household_create, name="household_create"),
    path("households/<id:household_id>/", households.household_detail, name="household_detail"),
    path("households/<id:household_id>/head/", households.household_set_head, name="household_set_head"),
    path("councils/", councils.council_list, name="council_list"),
    path("councils/new/", councils.council_create, name="council_create"),
    path("councils/<id:council_id>/", councils.council_detail, name="council_detail"),
    path("councils/<id:council_id>/seats/", councils.council_seat_add, name="council_seat_add"),
    path(
        "councils/<id:council_id>/seats/<id:seat_id>/end/",
        councils.council_seat_end,
        name="council_seat_end",
    ),
    path("rules/", councils.rule_set, name="rule_set"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("sessions/", include("consultations.urls")),
    path("topics/", include(consultations_urls.topic_urlpatterns)),
    path("board/", include(consultations_urls.board_urlpatterns)),
    path("decisions/", include(consultations_urls.decision_urlpatterns)),
    path("supervision/", include("supervision.urls")),
    path("collective/", include("assets.urls")),
    path("disclosure/", include(supervision_urls.disclosure_urlpatterns)),
]

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("invite/", invitations.invitation_claim, name="invitation_claim"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("invite/<str:code>/", invitations.invitation_claim, name="invitation_claim_code"),
    path("v/<str:village_code>/", include(village_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/security/", accounts.account_security, name="account_security"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
