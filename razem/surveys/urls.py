from django.urls import path

from razem.surveys import views_collect, views_export, views_manage, views_results

app_name = "surveys"

# Included at p/<slug:slug>/. Respondents use the short public addresses under s/
# (they go on posters and QR codes); staff pages live under ankiety/<id>/.
urlpatterns = [
    # public: answering and published results
    path("s/<slug:survey>/", views_collect.respond, name="respond"),
    path("s/<slug:survey>/dziekujemy/", views_collect.thanks, name="thanks"),
    path("s/<slug:survey>/wyniki/", views_results.public_results, name="public_results"),
    # staff: managing
    path("ankiety/", views_manage.survey_list, name="list"),
    path("ankiety/nowa/", views_manage.create, name="create"),
    path("ankiety/import/", views_manage.import_upload, name="import"),
    path("ankiety/<int:survey_id>/", views_manage.detail, name="detail"),
    path("ankiety/<int:survey_id>/edycja/", views_manage.edit, name="edit"),
    path("ankiety/<int:survey_id>/usun/", views_manage.delete, name="delete"),
    path("ankiety/<int:survey_id>/xlsform/", views_manage.xlsform_download, name="xlsform"),
    path("ankiety/<int:survey_id>/xlsform/wgraj/", views_manage.xlsform_replace,
         name="xlsform_replace"),
    path("ankiety/<int:survey_id>/publikacja/", views_manage.publication, name="publication"),
    path("ankiety/<int:survey_id>/kod-qr.svg", views_manage.qr_svg, name="qr_svg"),
    path("ankiety/<int:survey_id>/kod-qr.png", views_manage.qr_png, name="qr_png"),
    path("ankiety/<int:survey_id>/plakat.pdf", views_manage.poster, name="poster"),
    path("ankiety/<int:survey_id>/kody/", views_manage.code_batches, name="codes"),
    path("ankiety/<int:survey_id>/kody/<int:batch_id>/karty/", views_manage.code_cards,
         name="code_cards"),
    path("ankiety/<int:survey_id>/kody/<int:batch_id>/karty.pdf", views_manage.code_cards_pdf,
         name="code_cards_pdf"),
    # staff: collecting on paper
    path("ankiety/<int:survey_id>/papierowe/", views_collect.paper_entry, name="paper"),
    # staff: results
    path("ankiety/<int:survey_id>/wyniki/", views_results.results, name="results"),
    path("ankiety/<int:survey_id>/wyniki/populacja/", views_results.population,
         name="population"),
    path("ankiety/<int:survey_id>/wyniki/otwarte/<str:question>/", views_results.open_answers,
         name="open_answers"),
    path("ankiety/<int:survey_id>/eksport.csv", views_export.export_csv, name="export_csv"),
    path("ankiety/<int:survey_id>/eksport.xlsx", views_export.export_xlsx, name="export_xlsx"),
]
