from django.urls import path

from razem.reports import views

app_name = "reports"

# Included at p/<slug:slug>/raporty/.
urlpatterns = [
    path("", views.job_list, name="list"),
    path("zadanie/<int:job_id>/", views.job, name="job"),
    path("zadanie/<int:job_id>/pobierz/", views.download, name="download"),
    path("<slug:kind>/<slug:format>/", views.request_report, name="request"),
]
