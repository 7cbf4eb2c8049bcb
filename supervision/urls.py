"""Pages of the supervision committee (under /v/<village_code>/supervision/) and of the village's
disclosure board (/v/<village_code>/disclosure/, readable by anyone)."""

from django.urls import path

import villagegov.converters  # noqa: F401  (registers the "id" converter)
from supervision.views import appraisal, committee, disclosure, findings, questions, reviews

urlpatterns = [
    path("", findings.supervision_dashboard, name="supervision_dashboard"),
    path("committee/", committee.committee_detail, name="committee_detail"),
    path("committee/appoint/", committee.appointment_create, name="appointment_create"),
    path("reviews/", reviews.review_list, name="review_list"),
    path("reviews/new/", reviews.review_create, name="review_create"),
    path("reviews/<id:review_id>/", reviews.review_detail, name="review_detail"),
    path("reviews/<id:review_id>/entries/", reviews.review_entry_add, name="review_entry_add"),
    path("reviews/<id:review_id>/evidence/", reviews.evidence_upload, name="evidence_upload"),
    path("reviews/<id:review_id>/sign/", reviews.review_sign, name="review_sign"),
    path("evidence/<id:evidence_id>/", reviews.evidence_file, name="evidence_file"),
    path("reviews/<id:review_id>/findings/", findings.finding_create, name="finding_create"),
    path("findings/", findings.finding_list, name="finding_list"),
    path("findings/<id:finding_id>/", findings.finding_detail, name="finding_detail"),
    path("findings/<id:finding_id>/answer/", findings.finding_answer, name="finding_answer"),
    path("findings/<id:finding_id>/verify/", findings.finding_verify, name="finding_verify"),
    path("questions/", questions.question_list, name="question_list"),
    path("questions/new/", questions.question_ask, name="question_ask"),
    path("questions/<id:question_id>/", questions.question_detail, name="question_detail"),
    path("questions/<id:question_id>/answer/", questions.question_answer, name="question_answer"),
    path("appraisals/", appraisal.appraisal_list, name="appraisal_list"),
    path("appraisals/new/", appraisal.appraisal_create, name="appraisal_create"),
    path("appraisals/<id:appraisal_id>/", appraisal.appraisal_detail, name="appraisal_detail"),
    path(
        "appraisals/<id:appraisal_id>/members/<id:person_id>/",
        appraisal.appraisal_result_record,
        name="appraisal_result_record",
    ),
    path("appraisals/<id:appraisal_id>/close/", appraisal.appraisal_close, name="appraisal_close"),
]

disclosure_urlpatterns = [
    path("", disclosure.disclosure_board, name="disclosure_board"),
    path("schedule/", disclosure.disclosure_schedule, name="disclosure_schedule"),
    path("schedule/policy/", appraisal.disclosure_policy_set, name="disclosure_policy_set"),
    path("new/", disclosure.disclosure_publish, name="disclosure_publish"),
    path("<id:disclosure_id>/", disclosure.disclosure_detail, name="disclosure_detail"),
    path("<id:disclosure_id>/objections/", disclosure.objection_raise, name="objection_raise"),
    path("objections/<id:objection_id>/answer/", disclosure.objection_answer, name="objection_answer"),
]
