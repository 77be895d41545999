"""The allauth pages the portal uses, under the names allauth reverses (no namespace).

Only these: allauth's sign-up, e-mail and password pages are not mounted; /accounts/login/
stays the portal's page (core.urls comes first)."""

from allauth.account import views as account_views
from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_views
from django.urls import path

from core import views, views_mfa

urlpatterns = [
    path("login/", views.PasswordLoginView.as_view(), name="account_login"),
    path("logout/", views.signout, name="account_logout"),
    path("reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    path("2fa/", mfa_views.index, name="mfa_index"),
    path(
        "2fa/authenticate/",
        views_mfa.SecondFactorAuthenticateView.as_view(),
        name="mfa_authenticate",
    ),
    path("2fa/reauthenticate/", mfa_views.reauthenticate, name="mfa_reauthenticate"),
    path(
        "2fa/totp/activate/", views_mfa.SecondFactorActivateView.as_view(), name="mfa_activate_totp"
    ),
    path(
        "2fa/totp/deactivate/",
        views_mfa.second_factor_already_active,
        name="mfa_deactivate_totp",
    ),
    path(
        "2fa/recovery-codes/", views_mfa.RecoveryCodesView.as_view(), name="mfa_view_recovery_codes"
    ),
    path(
        "2fa/recovery-codes/generate/",
        views_mfa.RecoveryCodesGenerateView.as_view(),
        name="mfa_generate_recovery_codes",
    ),
    path(
        "2fa/recovery-codes/download/",
        recovery_views.download_recovery_codes,
        name="mfa_download_recovery_codes",
    ),
]
