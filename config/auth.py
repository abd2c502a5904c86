"""Django's model backend, with the signed-in user read together with their reviewer profile, and their
permissions in one query.

Most signed-in pages ask whether the user reviews (the navigation's queue link, every review view), which
would otherwise be a query of its own; and whether they write, publish or sign, which Django's backend reads in
two (the user's own permissions, then their groups'). Both are read once and kept on the user object for the rest
of the request, as Django keeps its own.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

# Where the user object keeps its permissions for the request (a user is read afresh for each request).
KEPT = "medreview_permissions"


class Backend(ModelBackend):
    def get_user(self, user_id):
        user = get_user_model().objects.select_related("reviewer_profile").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """Django's answer (`app_label.codename` of the user's own permissions and their groups'; every one for an
        active superuser, none for an inactive user or an object), read in one query."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        kept = getattr(user_obj, KEPT, None)
        if kept is None:
            granted = Permission.objects.all()
            if not user_obj.is_superuser:
                granted = granted.filter(Q(user=user_obj) | Q(group__user=user_obj))
            kept = {f"{app_label}.{codename}" for app_label, codename in
                    granted.order_by().values_list("content_type__app_label", "codename").distinct()}
            setattr(user_obj, KEPT, kept)
        return kept
