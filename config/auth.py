"""Django's model backend, with the signed-in user read together with their reviewer profile.

Most signed-in pages ask whether the user reviews (the navigation's queue link, every review view), which
would otherwise be a query of its own. Permissions are Django's own: read on first use, then kept on the
user object for the rest of the request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class Backend(ModelBackend):
    def get_user(self, user_id):
        user = get_user_model().objects.select_related("reviewer_profile").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
