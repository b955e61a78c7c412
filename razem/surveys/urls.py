from django.urls import include, path

from razem.surveys import views_collect, views_export, views_manage, views_results

app_name = "surveys"

# Included at p/<slug:slug>/. Respondents use the short public addresses under s/
# (they go on posters and QR codes); staff pages live under ankiety/<id>/.
public = [
    # answering and published results
    path("", views_collect.respond, name="respond"),
    path("dziekujemy/", views_collect.thanks, name="thanks"),
    path("wyniki/", views_results.public_results, name="public_results"),
]

staff = [
    # managing
    path("", views_manage.survey_list, name="list"),
    path("nowa/", views_manage.create, name="create"),
    path("import/", views_manage.import_upload, name="import"),
    path("<int:survey_id>/", views_manage.detail, name="detail"),
    path("<int:survey_id>/edycja/", views_manage.edit, name="edit"),
    path("<int:survey_id>/usun/", views_manage.delete, name="delete"),
    path("<int:survey_id>/xlsform/", views_manage.xlsform_download, name="xlsform"),
    path("<int:survey_id>/xlsform/wgraj/", views_manage.xlsform_replace,
         name="xlsform_replace"),
    path("<int:survey_id>/publikacja/", views_manage.publication, name="publication"),
    path("<int:survey_id>/kod-qr.svg", views_manage.qr_svg, name="qr_svg"),
    path("<int:survey_id>/kod-qr.png", views_manage.qr_png, name="qr_png"),
    path("<int:survey_id>/plakat.pdf", views_manage.poster, name="poster"),
    path("<int:survey_id>/kody/", views_manage.code_batches, name="codes"),
    path("<int:survey_id>/kody/<int:batch_id>/karty/", views_manage.code_cards,
         name="code_cards"),
    path("<int:survey_id>/kody/<int:batch_id>/karty.pdf", views_manage.code_cards_pdf,
         name="code_cards_pdf"),
    # staff: collecting on paper
    path("<int:survey_id>/papierowe/", views_collect.paper_entry, name="paper"),
    # staff: results
    path("<int:survey_id>/wyniki/", views_results.results, name="results"),
    path("<int:survey_id>/wyniki/populacja/", views_results.population,
         name="population"),
    path("<int:survey_id>/wyniki/otwarte/<str:question>/", views_results.open_answers,
         name="open_answers"),
    path("<int:survey_id>/eksport.csv", views_export.export_csv, name="export_csv"),
    path("<int:survey_id>/eksport.xlsx", views_export.export_xlsx, name="export_xlsx"),
]

# Two prefixes, so an address elsewhere in the partnership is turned away after two
# comparisons: the root URLconf tries these first, for the public form's sake.
urlpatterns = [
    path("s/<slug:survey>/", include(public)),
    path("ankiety/", include(staff)),
]
