"""Signing in: each role lands on its own home, someone with several roles on the one they used last."""

from django.contrib.auth import views as auth_views
from django.urls import reverse

from config.middleware import HOME_COOKIE
from review import rules


def homes_for(user) -> list[str]:
    """The homes a user may use, in the order offered when they have never chosen: the queue first."""
    homes = []
    if rules.is_reviewer(user) or rules.lacks_reviewer_profile(user):
        homes.append("review")  # without a profile the queue page says what is missing
    if rules.uses_editor(user):
        homes.append("editor")
    return homes


def home_for(user, last_used: str | None = None) -> str:
    """Where `user` lands after signing in: the home of their role; of several, the one they used last."""
    homes = homes_for(user)
    if not homes:
        return reverse("admin:index") if user.is_staff else reverse("public:index")
    home = last_used if last_used in homes else homes[0]
    return reverse("review:queue" if home == "review" else "editor:dashboard")


class LoginView(auth_views.LoginView):
    def get_default_redirect_url(self):
        return home_for(self.request.user, self.request.COOKIES.get(HOME_COOKIE))
