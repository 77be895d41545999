from django.urls import path

from core import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.PasswordLoginView.as_view(), name="login"),
    path("logout/", views.signout, name="logout"),
    path("link/", views.signin_link_request, name="link_request"),
    path("link/renew/", views.signin_link_renew, name="link_renew"),
    path("link/<str:token>/", views.signin_link_open, name="link"),
    path("reminders/", views.reminder_settings, name="reminder_settings"),
]
