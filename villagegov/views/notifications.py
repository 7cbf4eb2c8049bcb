"""The user's own messages, across their villages."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from villagegov.models import User
from villagegov.selectors.notifications import user_notifications
from villagegov.services.notifications import notifications_mark_read

NOTIFICATIONS_PAGE_SIZE = 50


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    page = Paginator(user_notifications(user), NOTIFICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    # Read the page before marking, so that what was new is shown as new this once.
    notifications = list(page.object_list)
    notifications_mark_read(user=user, notifications=notifications)
    return render(
        request, "villagegov/notification_list.html", {"page_obj": page, "notifications": notifications}
    )
