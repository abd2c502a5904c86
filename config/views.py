"""Project-wide pages: the password reset's email, the site icon and the 500 page (signing in: review/accounts.py)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.templatetags.static import static

from config import site


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
