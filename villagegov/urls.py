from django.contrib import admin
from django.urls import include, path

from villagegov.views import dashboard

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
