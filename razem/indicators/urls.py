from django.urls import path

from razem.indicators import views

app_name = "indicators"

# Included under `p/<slug:slug>/dane/`, so every view receives the partnership's slug.
urlpatterns = [
    path("", views.imports, name="imports"),
    path("import/", views.upload, name="upload"),
    path("import/<str:token>/", views.preview, name="preview"),
    path("importy/<int:run_id>/", views.import_run, name="import_run"),
]
