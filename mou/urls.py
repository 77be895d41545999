from django.urls import path

from mou import views

app_name = "mou"

block = "<int:version_pk>/blocks/<int:pk>/"

urlpatterns = [
    path("", views.version_list, name="version_list"),
    path("sign/done/", views.sign_done, name="sign_done"),
    path("sign/<str:token>/", views.sign, name="sign"),
    path("sign/<str:token>/copy.pdf", views.sign_copy, name="sign_copy"),
    path("sign/<str:token>/decline/", views.sign_decline, name="sign_decline"),
    path("sign/<str:token>/hand-over/", views.sign_hand_over, name="sign_hand_over"),
    path("new/", views.version_create, name="version_create"),
    path("<int:pk>/", views.version_detail, name="version_detail"),
    path("<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("<int:pk>/open/", views.version_open, name="version_open"),
    path("<int:pk>/delete/", views.version_delete, name="version_delete"),
    path("<int:pk>/reminders/", views.version_reminders, name="version_reminders"),
    path("<int:pk>/freeze/", views.version_freeze, name="version_freeze"),
    path("<int:pk>/signatures/", views.signatures, name="signatures"),
    path(
        "<int:pk>/signatures/<int:signature_pk>/remind/",
        views.signature_remind,
        name="signature_remind",
    ),
    path("<int:pk>/executed.pdf", views.executed_pdf, name="executed_pdf"),
    path("<int:pk>/templates/", views.template_list, name="template_list"),
    path("<int:pk>/templates/<str:kind>/", views.template_edit, name="template_edit"),
    path(block, views.block_editor, name="block"),
    path(block + "save/", views.block_save, name="block_save"),
    path(block + "autosave/", views.block_autosave, name="block_autosave"),
    path(block + "submit/", views.block_submit, name="block_submit"),
    path(block + "resolve/", views.block_conflict_resolve, name="block_conflict_resolve"),
    path(block + "request-changes/", views.block_request_changes, name="block_request_changes"),
    path(block + "accept/", views.block_accept, name="block_accept"),
    path(block + "extension/", views.block_extension, name="block_extension"),
    path(block + "history/", views.block_history, name="block_history"),
    path(block + "diff/", views.block_diff, name="block_diff"),
    path("<int:pk>/document/", views.document, name="document"),
    path("<int:pk>/document/pdf/", views.document_pdf, name="document_pdf"),
    path(
        "<int:pk>/document/pdf/<int:draft_pk>/status/",
        views.document_pdf_status,
        name="document_pdf_status",
    ),
    path(
        "<int:pk>/document/pdf/<int:draft_pk>/download/",
        views.document_pdf_download,
        name="document_pdf_download",
    ),
]
