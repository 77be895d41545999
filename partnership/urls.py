from django.urls import path

from partnership.views import partners, people, workgroups

app_name = "partnership"

urlpatterns = [
    path("partners/", partners.partner_list, name="partner_list"),
    path("partners/new/", partners.partner_create, name="partner_create"),
    path("partners/<int:pk>/", partners.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", partners.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/status/", partners.partner_status, name="partner_status"),
    path("partners/<int:pk>/people/add/", partners.partner_person_add, name="partner_person_add"),
    path(
        "partners/<int:pk>/people/<int:membership_pk>/role/",
        partners.membership_role,
        name="membership_role",
    ),
    path(
        "partners/<int:pk>/people/<int:membership_pk>/remove/",
        partners.membership_remove,
        name="membership_remove",
    ),
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/deactivate/", people.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", people.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/invite/", people.person_invite, name="person_invite"),
    path("workgroups/", workgroups.workgroup_list, name="workgroup_list"),
    path("workgroups/new/", workgroups.workgroup_create, name="workgroup_create"),
    path("workgroups/<int:pk>/", workgroups.workgroup_detail, name="workgroup_detail"),
    path("workgroups/<int:pk>/edit/", workgroups.workgroup_edit, name="workgroup_edit"),
    path(
        "workgroups/<int:pk>/people/add/",
        workgroups.workgroup_member_add,
        name="workgroup_member_add",
    ),
    path(
        "workgroups/<int:pk>/people/<int:user_pk>/remove/",
        workgroups.workgroup_member_remove,
        name="workgroup_member_remove",
    ),
    path(
        "workgroups/<int:pk>/partners/add/",
        workgroups.workgroup_partner_add,
        name="workgroup_partner_add",
    ),
    path(
        "workgroups/<int:pk>/partners/<int:partner_pk>/remove/",
        workgroups.workgroup_partner_remove,
        name="workgroup_partner_remove",
    ),
]
