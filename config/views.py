"""Project-wide pages: signing in (each role lands on its own home), and the error pages' views."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse

from config import site
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


# "Forgot password?": Django's views and one-time token. The link names the site's public address (SITE_URL),
# not the Host header a visitor sent, and the mail goes through EMAIL_BACKEND like every other email.
class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form):
        self.extra_email_context = {"domain": site.domain(), "protocol": site.protocol(),
                                    "site_name": settings.SITE_NAME}
        return super().form_valid(form)


def server_error(request):
    """The 500 page, rendered without the request's context: whatever failed may fail again in it."""
    return render(None, "500.html", status=500)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says: send them to the static icon."""
    return redirect(static("favicon.svg"), permanent=True)
