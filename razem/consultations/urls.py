from django.urls import path

from razem.consultations import views_drafts, views_manage, views_public, views_report

app_name = "consultations"

# Included at p/<slug:slug>/konsultacje/. Public pages use the consultation's slug (it
# goes into the notice); staff pages live under projekty/ (drafts) and zarzadzanie/
# (consultations), words a consultation's slug may not take (models.RESERVED_SLUGS).
urlpatterns = [
    # staff: drafts and their versions
    path("projekty/", views_drafts.draft_list, name="drafts"),
    path("projekty/nowy/", views_drafts.draft_create, name="draft_create"),
    path("projekty/z-portretu/", views_drafts.draft_from_portrait, name="draft_from_portrait"),
    path("projekty/<int:draft_id>/", views_drafts.draft_detail, name="draft_detail"),
    path("projekty/<int:draft_id>/wersje/nowa/", views_drafts.version_create,
         name="version_create"),
    path("projekty/<int:draft_id>/wersje/<int:number>/", views_drafts.version_detail,
         name="version_detail"),
    path("projekty/<int:draft_id>/wersje/<int:number>/zmiany/", views_drafts.version_diff,
         name="version_diff"),
    # staff: running a consultation
    path("zarzadzanie/nowe/", views_manage.create, name="create"),
    path("zarzadzanie/<int:consultation_id>/", views_manage.workspace, name="manage"),
    path("zarzadzanie/<int:consultation_id>/edycja/", views_manage.edit, name="edit"),
    path("zarzadzanie/<int:consultation_id>/publikacja-ogloszenia/",
         views_manage.publish_notice, name="publish_notice"),
    path("zarzadzanie/<int:consultation_id>/spotkania/", views_manage.meetings,
         name="meetings"),
    path("zarzadzanie/<int:consultation_id>/uwagi/nowa/", views_manage.enter_comment,
         name="enter_comment"),
    path("zarzadzanie/<int:consultation_id>/uwagi/<int:comment_id>/",
         views_manage.comment_detail, name="comment_detail"),
    path("zarzadzanie/<int:consultation_id>/uwagi/<int:comment_id>/ukrycie/",
         views_manage.hide_comment, name="hide_comment"),
    path("zarzadzanie/<int:consultation_id>/stanowiska/publikacja/",
         views_manage.publish_positions, name="publish_positions"),
    # public (after the staff pages: a consultation's slug would match their prefixes)
    path("", views_public.consultation_list, name="list"),
    path("<slug:consultation>/", views_public.draft, name="draft"),
    path("<slug:consultation>/ogloszenie/", views_public.notice, name="notice"),
    path("<slug:consultation>/uwagi/nowa/", views_public.comment, name="comment"),
    path("<slug:consultation>/uwagi/dziekujemy/", views_public.thanks, name="thanks"),
    path("<slug:consultation>/sprawozdanie/", views_report.public_report, name="report"),
]
