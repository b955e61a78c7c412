from django.urls import path

from razem.portrait import views

app_name = "portrait"

# Included at p/<slug:slug>/portret/.
urlpatterns = [
    path("", views.overview, name="overview"),
    path("wymiar/<slug:dimension>/", views.dimension, name="dimension"),
    path("wskaznik/<slug:code>/", views.indicator, name="indicator"),
    path("jednostka/<str:teryt>/", views.unit, name="unit"),
    path("metodologia/", views.methodology, name="methodology"),
    path("kandydaci/", views.candidate_list, name="candidates"),
    path("kandydaci/przyjmij/", views.candidate_accept, name="candidate_accept"),
    path("wnioski/", views.conclusions, name="conclusions"),
    path("wnioski/<int:conclusion_id>/", views.conclusion_edit, name="conclusion_edit"),
    path("wnioski/<int:conclusion_id>/usun/", views.conclusion_delete, name="conclusion_delete"),
    path("publikacja/", views.publication, name="publication"),
    path("rok/", views.reference_year, name="reference_year"),
]
