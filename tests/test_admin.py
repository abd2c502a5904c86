"""Every model is in the admin; records that must never change are read-only there."""

import pytest
from django.apps import apps
from django.contrib import admin

PROJECT_APPS = ["content", "claims", "review", "public", "wpimport", "api", "webhooks"]
READ_ONLY = ["revision", "signature", "auditevent", "findingjustification", "workflow", "image", "rendition",
             "attestation", "importedpost", "publication"]


def test_every_model_of_the_project_is_registered_in_the_admin():
    missing = [m.__name__ for app in PROJECT_APPS for m in apps.get_app_config(app).get_models()
               if m not in admin.site._registry and m.__name__ not in {"AuditHead"}]
    assert missing == []


@pytest.mark.parametrize("model_name", READ_ONLY)
def test_immutable_records_cannot_be_changed_or_deleted_in_the_admin(admin_client, model_name, rf, admin_user):
    model = next(m for app in PROJECT_APPS for m in apps.get_app_config(app).get_models()
                 if m._meta.model_name == model_name)
    model_admin = admin.site._registry[model]
    request = rf.get("/admin/")
    request.user = admin_user
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_add_permission(request)
