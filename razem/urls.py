from django.contrib.auth import views as auth_views
from django.urls import include, path

from razem.api.urls import api
from razem.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    # Early: the public survey form is the most requested address (a school class posts
    # at once), and each pattern tried before it costs every one of those requests.
    path("p/<slug:slug>/", include("razem.surveys.urls")),
    path("deklaracja-dostepnosci/", views.accessibility, name="accessibility"),
    path("prywatnosc/", views.privacy, name="privacy"),
    path("panel/", views.dashboard, name="dashboard"),
    path("zaproszenie/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("konto/logowanie/", views.ThrottledLoginView.as_view(), name="login"),
    path("konto/wyloguj/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/haslo/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("konto/haslo/reset/wyslano/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("konto/haslo/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("konto/haslo/reset/gotowe/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("jezyk/<str:code>/", views.switch_language, name="switch_language"),
    path("p/<slug:slug>/", views.partnership, name="partnership"),
    path("p/<slug:slug>/mapa.json", views.partnership_map, name="partnership_map"),
    path("p/<slug:slug>/panel/", views.partnership_dashboard, name="partnership_dashboard"),
    path("p/<slug:slug>/czlonkowie/", views.members, name="members"),
    path("p/<slug:slug>/czlonkowie/<int:membership_id>/rola/", views.membership_change,
         name="membership_change"),
    path("p/<slug:slug>/czlonkowie/<int:membership_id>/usun/", views.membership_remove,
         name="membership_remove"),
    path("p/<slug:slug>/zaproszenia/<int:invitation_id>/wycofaj/", views.invitation_revoke,
         name="invitation_revoke"),
    path("p/<slug:slug>/ustawienia/", views.partnership_settings, name="partnership_settings"),
    path("p/<slug:slug>/dziennik-zmian/", views.audit_log, name="audit_log"),
    path("p/<slug:slug>/dane/", include("razem.indicators.urls")),
    path("p/<slug:slug>/portret/", include("razem.portrait.urls")),
    path("p/<slug:slug>/raporty/", include("razem.reports.urls")),
    path("p/<slug:slug>/konsultacje/", include("razem.consultations.urls")),
    path("p/<slug:slug>/strategia/", include("razem.strategy.urls")),
    path("api/v1/", api.urls),
]

handler400 = "razem.core.errors.bad_request"
handler403 = "razem.core.errors.permission_denied"
handler404 = "razem.core.errors.page_not_found"
handler500 = "razem.core.errors.server_error"
