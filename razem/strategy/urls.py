from django.urls import path

from razem.strategy import views_document, views_projects, views_ranking, views_strategy

app_name = "strategy"

# Included at p/<slug:slug>/strategia/.
urlpatterns = [
    # the strategy: main page with the completeness check, text parts, goals, results, areas
    path("", views_strategy.overview, name="overview"),
    path("nowa/", views_strategy.create, name="create"),
    path("edycja/", views_strategy.edit, name="edit"),
    path("publikacja/", views_strategy.publish, name="publish"),
    path("cele/nowy/", views_strategy.goal_create, name="goal_create"),
    path("cele/<int:goal_id>/", views_strategy.goal_edit, name="goal_edit"),
    path("cele/<int:goal_id>/usun/", views_strategy.goal_delete, name="goal_delete"),
    path("cele/<int:goal_id>/kierunki/nowy/", views_strategy.direction_create,
         name="direction_create"),
    path("kierunki/<int:direction_id>/", views_strategy.direction_edit, name="direction_edit"),
    path("cele/<int:goal_id>/rezultaty/nowy/", views_strategy.result_create,
         name="result_create"),
    path("rezultaty/<int:result_id>/", views_strategy.result_edit, name="result_edit"),
    path("obszary/", views_strategy.areas, name="areas"),
    path("obszary/mapa.json", views_strategy.areas_map, name="areas_map"),
    path("obszary/nowy/", views_strategy.area_create, name="area_create"),
    path("obszary/<int:area_id>/", views_strategy.area_edit, name="area_edit"),
    path("monitoring/", views_strategy.monitoring, name="monitoring"),
    # project cards and advisors' opinions
    path("projekty/", views_projects.project_list, name="projects"),
    path("projekty/nowy/", views_projects.project_create, name="project_create"),
    path("projekty/<int:project_id>/", views_projects.project_detail, name="project_detail"),
    path("projekty/<int:project_id>/edycja/", views_projects.project_edit,
         name="project_edit"),
    path("projekty/<int:project_id>/opinie/prosba/", views_projects.opinion_request,
         name="opinion_request"),
    path("opinie/<int:request_id>/", views_projects.opinion_answer, name="opinion_answer"),
    path("opinie/<int:request_id>/wersje/<int:version>/publikacja/",
         views_projects.opinion_publish, name="opinion_publish"),
    # prioritisation
    path("ranking/", views_ranking.ranking, name="ranking"),
    path("ranking/kryteria/", views_ranking.criteria, name="criteria"),
    path("ranking/wagi/", views_ranking.weights, name="weights"),
    path("ranking/oceny/", views_ranking.scores, name="scores"),
    path("ranking/eksport.json", views_ranking.ranking_export, name="ranking_export"),
    path("ranking/sprawdzenie/", views_ranking.ranking_verify, name="ranking_verify"),
    # the strategy document
    path("dokument/", views_document.document, name="document"),
    path("dokument/do-konsultacji/", views_document.send_to_consultation,
         name="send_to_consultation"),
]
