"""The delivery log for publishers: every webhook message, each attempt, and "Send again"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from review.rules import is_publisher
from webhooks.deliveries import send_again
from webhooks.models import Attempt, Delivery

PAGE_SIZE = 50


def publishers_only(view):
    @login_required
    def checked(request, *args, **kwargs):
        if not is_publisher(request.user):
            raise PermissionDenied("The webhook log is for publishers.")
        return view(request, *args, **kwargs)

    return checked


@require_safe
@publishers_only
def delivery_log(request):
    status = request.GET.get("status", "")
    deliveries = (Delivery.objects.select_related("subscription")
                  .prefetch_related(Prefetch("attempt_log", queryset=Attempt.objects.order_by("attempted_at", "pk"))))
    if status in Delivery.Status.values:
        deliveries = deliveries.filter(status=status)
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "webhooks/delivery_log.html", {
        "page": page, "status": status, "statuses": Delivery.Status.choices,
    })


@require_POST
@publishers_only
def delivery_send_again(request, pk):
    delivery = get_object_or_404(Delivery, pk=pk)
    if send_again([delivery]):
        messages.success(request, f"{delivery.get_event_display()}: sending again to {delivery.subscription}.")
    else:
        messages.info(request, "That message was delivered already; nothing to send.")
    return redirect("webhooks:log")
