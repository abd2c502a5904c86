"""The writer's desk: list, write, preview, and move posts through review. Every change goes through review.services."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from content.models import Post
from content.services import check_body_size
from editor import preview as writing_preview
from editor import selectors
from editor.forms import DeskFilterForm, DueDateForm, PostForm, ReplyForm, ScheduleForm
from claims import findings as claim_findings
from review import messages as review_messages
from review import diffing, rules, services
from review.actions import EDITOR_ACTIONS, allowed_actions
from review.anchoring import mark_quotes
from review.forms import LoadedFor
from review.models import Comment, Signature
from review.selectors import review_line_preview
from review.http import REFUSALS, message_for, status_for
from review.models import schedule_is_due
from review.states import REOPEN_ON_EDIT_STATES, WITH_REVIEWER_STATES, State

ACTION_SERVICES = {
    "submit": services.post_submit,
    "withdraw": services.post_withdraw,
    "resubmit": services.post_resubmit,
    "publish": services.post_publish,
    "schedule": services.post_schedule,
    "unschedule": services.post_unschedule,
    "publish_scheduled": services.post_publish_now,
    "unpublish": services.post_unpublish,
    "archive": services.post_archive,
    "restore": services.post_restore,
}

DONE_MESSAGES = {
    "submit": "Submitted for review. The medical reviewers have been told.",
    "withdraw": "Withdrawn from review. It is a draft again and you can edit it.",
    "resubmit": "Resubmitted for review.",
    "publish": "Published. It is on the public site now.",
    "schedule": "Scheduled.",
    "unschedule": "The schedule is cancelled; the post is approved and waiting to be published.",
    "publish_scheduled": "Published. It is on the public site now.",
    "unpublish": "Unpublished. It is no longer on the public site.",
    "archive": "Archived.",
    "restore": "Restored.",
}
# Restoring ends in one of two states (review.rules.carries_current_signoffs decides which).
RESTORED = {
    State.APPROVED: "Restored as approved: the signed version is unchanged and its sign-off is current, "
                    "so it can be published again.",
    State.DRAFT: "Restored as a draft: it needs a new review before it can be published.",
}

def _require_editor(user):
    if not rules.uses_editor(user):
        raise PermissionDenied("Only writers and publishers use the editor.")


def _get_post(request, pk) -> Post:
    """The post if this user may see it: 404 when there is no such post, 403 when it is someone else's."""
    post = selectors.visible_post(request.user, pk)
    if post is None:
        if Post.objects.filter(pk=pk).exists():
            raise PermissionDenied("This post belongs to another writer.")
        raise Http404("There is no such post.")
    return post


@login_required
@require_GET
def dashboard(request):
    _require_editor(request.user)
    sees_all = rules.is_publisher(request.user)
    filters = DeskFilterForm(request.GET, states=State.choices,
                             authors=selectors.desk_authors(request.user) if sees_all else get_user_model().objects.none(),
                             reviewers=selectors.desk_reviewers())
    # A filter that cannot be read is named next to its field (400); the others still apply.
    status = 200 if filters.is_valid() else 400
    chosen = filters.cleaned_data
    state = chosen.get("state") or ""
    sort = chosen.get("sort") or selectors.DEFAULT_SORT
    if sort.lstrip("-") not in selectors.SORTS:
        sort = selectors.DEFAULT_SORT
    ids = selectors.desk_posts(request.user, state=state, query=(chosen.get("q") or "").strip(),
                               author=chosen.get("author"), reviewer=chosen.get("reviewer"),
                               changed_from=chosen.get("changed_from"), changed_to=chosen.get("changed_to"), sort=sort)
    page = selectors.DeskPaginator(ids, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    for post in page.object_list:
        post.new_version_in_progress = post.is_live and post.workflow.state != State.PUBLISHED
    filtered = any(chosen.get(name) for name in ("q", "state", "author", "reviewer", "changed_from", "changed_to"))
    return render(request, "editor/dashboard.html", {
        "page": page, "filters": filters, "filtered": filtered, "sort": sort,
        "columns": _desk_columns(sort, sees_all),
        "sees_all": sees_all,
        "ready_to_publish": _ready_to_publish(request.user),
    }, status=status)


def _desk_columns(sort: str, sees_all: bool) -> list[dict]:
    """The desk's column headings: each sortable one links to its sort, the other way round when it is the current one."""
    columns = [("title", "Title"), ("state", "State"), ("changed", "Last change"), ("with", "With"),
               ("comments", "Open comments"), ("due", "Review due")]
    if sees_all:
        columns.append(("author", "Author"))
    current, descending = sort.lstrip("-"), sort.startswith("-")
    shown = []
    for key, label in columns:
        active = key == current
        shown.append({
            "key": key, "label": label, "active": active,
            "aria_sort": ("descending" if descending else "ascending") if active else None,
            "next": (key if descending else f"-{key}") if active else key,
        })
    return shown


def _ready_to_publish(user) -> list:
    """The publisher's in-app notice: approved posts waiting for them (`rules.publishable`), oldest approval first."""
    if not rules.is_publisher(user):
        return []
    return list(rules.publishable(user).select_related("post__current_revision").order_by("changed_at")[:10])


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request):
    _require_editor(request.user)
    form = PostForm(request.POST or None, pictures=rules.visible_images(request.user))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") != "preview":
            try:
                post = services.post_create(author=request.user, title=data["title"], summary=data["summary"],
                                            body=data["body"], slug=data["slug"], hero=form.hero())
            except REFUSALS as exc:
                status = _form_refusal(form, exc)
            else:
                messages.success(request, "Draft saved.")
                if request.POST.get("action") == "submit":
                    return _submit_after_save(request, post, form)
                return redirect("editor:post_edit", pk=post.pk)
    elif request.method == "POST":
        status = 400
    return _render_writing(request, form, post=None, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = _get_post(request, pk)
    workflow = post.workflow
    if not rules.may_write(workflow, request.user):
        raise PermissionDenied(review_messages.MAY_NOT_EDIT)
    if not rules.may_edit(workflow, request.user):
        reason = services.edit_refusal(workflow)
        if not reason:
            raise PermissionDenied("You may not edit this post.")
        if request.method == "GET":
            messages.warning(request, reason)
            return redirect("editor:post", pk=post.pk)
    revision = post.current_revision
    hero = revision.hero or {}
    initial = {"title": revision.title, "slug": post.slug, "summary": revision.summary, "body": revision.body,
               "hero_image": hero.get("image"), "hero_alt": hero.get("alt", ""),
               "base_revision": revision.pk}
    slug_locked = post.first_published_at is not None
    form = PostForm(request.POST or None, initial=initial, slug_locked=slug_locked,
                    pictures=rules.visible_images(request.user))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") != "preview":
            try:
                changed = services.post_save_draft(
                    post, user=request.user, title=data["title"], summary=data["summary"], body=data["body"],
                    slug=None if slug_locked else (data["slug"] or post.slug),
                    base_revision=data["base_revision"], hero=form.hero(),
                )
            except REFUSALS as exc:
                status = _form_refusal(form, exc)
            else:
                if changed:
                    messages.success(request, _saved_message(workflow.state))
                elif request.POST.get("action") != "submit":
                    messages.info(request, "Nothing changed since the last save.")
                if request.POST.get("action") == "submit":
                    return _submit_after_save(request, post, form)
                return redirect("editor:post_edit", pk=post.pk)
    elif request.method == "POST":
        status = 400
    return _render_writing(request, form, post=post, status=status)


def _saved_message(state_before: str) -> str:
    if state_before in REOPEN_ON_EDIT_STATES:
        return ("Saved as a new working draft. The approved version stays as it was"
                + (" and stays on the site" if state_before == State.PUBLISHED else "")
                + " until this draft is reviewed and published.")
    return "Draft saved."


def _form_refusal(form: PostForm, exc: Exception) -> int:
    if isinstance(exc, ValidationError):
        form.add_service_errors(exc)
    else:
        form.add_error(None, message_for(exc))
    return status_for(exc)


def posted_justifications(request) -> dict[str, str]:
    """The writer's reasons for keeping blocked wording, keyed by finding (fields named "justify:<key>")."""
    prefix = "justify:"
    return {name[len(prefix):]: value for name, value in request.POST.items() if name.startswith(prefix)}


def _submit_after_save(request, post, form):
    """The writing form's "Submit for review": the text is saved; now send it to the reviewers.

    When the claims check blocks it, the form comes back (400) with the saved text and a
    justification field for each blocked finding, so the writer can change the text or say why.
    """
    post.refresh_from_db()
    post.workflow.refresh_from_db()
    name = _send_action(post.workflow)
    extra = {"note": form.cleaned_data.get("note", "")} if name == "resubmit" else {}
    try:
        ACTION_SERVICES[name](post, user=request.user, expected_state=post.workflow.state,
                              expected_revision=post.current_revision_id,
                              justifications=posted_justifications(request), **extra)
    except services.SubmitBlocked as exc:
        post.refresh_from_db()
        data = request.POST.copy()
        data["base_revision"] = str(post.current_revision_id)  # the text is saved: the next save builds on it
        form = PostForm(data, initial=form.initial, slug_locked=post.first_published_at is not None,
                        pictures=form.pictures)
        form.is_valid()
        form.add_error(None, str(exc))
        return _render_writing(request, form, post=post, status=400, blocked=exc.findings)
    except REFUSALS as exc:
        if _field_errors(exc):  # an empty body, a note too long: said next to its field, with the text as typed
            post.refresh_from_db()
            data = request.POST.copy()
            data["base_revision"] = str(post.current_revision_id)
            form = PostForm(data, initial=form.initial, slug_locked=post.first_published_at is not None,
                            pictures=form.pictures)
            form.is_valid()
            form.add_service_errors(exc)
            return _render_writing(request, form, post=post, status=status_for(exc), saved_not_sent=True)
        messages.error(request, f"Your text is saved, but it was not submitted: {message_for(exc)}")
        return redirect("editor:post_edit", pk=post.pk)
    messages.success(request, DONE_MESSAGES[name])
    return redirect("editor:post", pk=post.pk)


def _render_writing(request, form, *, post, status, blocked=(), saved_not_sent=False):
    shown = writing_preview.build(
        title=form["title"].value() or "", summary=form["summary"].value() or "", body=form["body"].value() or "",
        hero_id=form["hero_image"].value(), hero_alt=form["hero_alt"].value() or "", post=post,
        typed=posted_justifications(request), blocked=blocked,
    )
    return render(request, "editor/write.html", {
        "form": form, "post": post, "preview": shown.article, "words": shown.words, "minutes": shown.minutes,
        "proposed_slug": shown.slug, "finding_rows": shown.rows, "findings": shown.findings, "blocked": blocked,
        "reopens": post is not None and post.workflow.state in REOPEN_ON_EDIT_STATES,
        "is_live": post is not None and post.is_live,
        "can_submit": post is None or rules.may_edit(post.workflow, request.user),
        # The reviewers' comments beside the text while it is being revised (answered on the post's page).
        "thread": selectors.post_comments(post) if post is not None else [],
        "asks_note": post is not None and post.workflow.state == State.CHANGES_REQUESTED,
        "saved_not_sent": saved_not_sent,
    }, status=status)


# One account cannot take every worker: at most this many previews per writer in each window of seconds.
PREVIEW_WINDOW = 10  # seconds; settings.PREVIEWS_PER_10_SECONDS previews per writer in each


def _preview_allowed(user) -> bool:
    key = f"previews:{user.pk}:{int(time.time()) // PREVIEW_WINDOW}"
    cache.add(key, 0, PREVIEW_WINDOW)
    return cache.incr(key) <= settings.PREVIEWS_PER_10_SECONDS


@login_required
@require_POST
def preview(request):
    """The live preview: what the writing form shows beside the text (editor.preview), computed by the server's rules."""
    _require_editor(request.user)
    if not _preview_allowed(request.user):
        response = JsonResponse({"error": "Too many previews at once: the preview catches up when you pause typing "
                                          "for a few seconds. Your text is safe, and saving works as usual."}, status=429)
        response["Retry-After"] = str(PREVIEW_WINDOW)
        return response
    body = request.POST.get("body", "")
    try:
        check_body_size(body)
    except ValidationError as exc:
        return JsonResponse({"error": message_for(exc)}, status=400)
    post_id = request.POST.get("post", "")[:18]  # the post being edited, whose own address is not "taken"
    shown = writing_preview.build(
        title=request.POST.get("title", "")[:200], summary=request.POST.get("summary", "")[:500], body=body,
        hero_id=request.POST.get("hero_image"), hero_alt=request.POST.get("hero_alt", "")[:300],
        post=selectors.visible_post(request.user, int(post_id)) if post_id.isascii() and post_id.isdigit() else None,
        typed=posted_justifications(request),
    )
    return JsonResponse({"html": shown.article, "words": shown.words, "minutes": shown.minutes,
                         "findings": [f.to_dict() for f in shown.findings], "slug": shown.slug,
                         "findings_html": shown.findings_html(asks_reasons=request.POST.get("justify") == "1")})


@login_required
@require_GET
def post_detail(request, pk):
    post = _get_post(request, pk)
    return _render_post(request, post)


def _render_post(request, post, *, error: str = "", status: int = 200, schedule_form=None, blocked=(),
                 field_errors=None, due_form=None, reply_forms=None):
    workflow = post.workflow
    user = request.user
    history = selectors.post_history(post, user)
    revision = post.current_revision
    claims_found = claim_findings.revision_findings(revision)
    open_quotes = [c.quote_exact for c in history.comments if c.quote_exact]
    article, found = mark_quotes(revision.html, open_quotes)
    actions = allowed_actions(workflow, user)
    for event in history.events:
        event.words = review_messages.action_words(event.action)
        event.to_label = State(event.to_state).label if event.to_state in State.values else ""
    reply_forms = reply_forms or {}
    for comment in history.comments:
        comment.reply_form = reply_forms.get(comment.pk) or ReplyForm(prefix=f"reply-{comment.pk}")
    publishing = "publish" in actions or "schedule" in actions
    signatures = Signature.objects.valid_for(revision) if publishing else []
    return render(request, "editor/post.html", {
        "post": post, "workflow": workflow, "revision": revision, "article": article,
        "history": history, "found_quotes": found,
        "actions": [(name, EDITOR_ACTIONS[name]) for name in actions if name != "schedule"],
        "can_schedule": "schedule" in actions,
        # Scheduled, past its time and not yet published: the background worker is behind or not running.
        "schedule_overdue": workflow.state == State.SCHEDULED and schedule_is_due(workflow),
        "can_publish_now": "publish_scheduled" in actions,
        "schedule_form": schedule_form or ScheduleForm(),
        "can_edit": rules.may_edit(workflow, user),
        "can_comment": rules.may_comment(workflow, user),
        "with_reviewer": workflow.state in WITH_REVIEWER_STATES,
        "send_action": _send_action(workflow), "send_label": EDITOR_ACTIONS[_send_action(workflow)],
        "error": error, "field_errors": field_errors or {}, "typed": request.POST,
        "live_differs": post.live_differs_from_working_copy,
        "words": revision.word_count, "minutes": selectors.reading_minutes(revision.word_count),
        "findings": claims_found, "blocked": blocked,
        "finding_rows": claim_findings.rows(claims_found, justified=claim_findings.justifications_by_key(revision),
                                            typed=posted_justifications(request), blocked=blocked),
        "open_comments": sum(1 for c in history.comments if c.is_open),
        "resubmit_note": services.resubmit_note(post) if workflow.state == State.IN_REVIEW else "",
        # Beside Publish: who signed, with what credentials, and the review line as readers will see it.
        "signatures": signatures,
        "review_line": review_line_preview(post, signatures=signatures) if publishing else None,
        "publishing": publishing,
        "can_set_due": rules.may_set_due_date(workflow, user),
        "due_form": due_form or DueDateForm(initial={"due_date": workflow.due_date}),
        "unpublish_reason_max": services.UNPUBLISH_REASON_MAX_CHARS,
    }, status=status)


def _send_action(workflow) -> str:
    """Sending text to review is a resubmission after changes were requested, a submission otherwise."""
    return "resubmit" if workflow.state == State.CHANGES_REQUESTED else "submit"


@login_required
@require_POST
def post_action(request, pk, action):
    if action not in ACTION_SERVICES:
        raise Http404("There is no such action.")
    post = _get_post(request, pk)
    loaded = LoadedFor(request.POST)
    if not loaded.is_valid():
        return _render_post(request, post, error="This form is out of date. Reload the page and try again.",
                            status=400)
    kwargs = dict(loaded.loaded_for())
    schedule_form = None
    if action == "schedule":
        schedule_form = ScheduleForm(request.POST)
        if not schedule_form.is_valid():
            return _render_post(request, post, error="Choose when to publish.", status=400,
                                schedule_form=schedule_form)
        kwargs["when"] = schedule_form.cleaned_data["when"]
    if action in ("submit", "resubmit"):
        kwargs["justifications"] = posted_justifications(request)
    if action == "resubmit":
        kwargs["note"] = request.POST.get("note", "")
    if action == "unpublish":
        kwargs["reason"] = request.POST.get("reason", "")
    try:
        ACTION_SERVICES[action](post, user=request.user, **kwargs)
    except services.SubmitBlocked as exc:
        return _render_post(request, _get_post(request, pk), error=message_for(exc), status=exc.status,
                            blocked=exc.findings)
    except REFUSALS as exc:
        if schedule_form is not None and isinstance(exc, ValidationError) and "when" in getattr(exc, "error_dict", {}):
            schedule_form.add_error("when", exc.error_dict["when"])
        post = _get_post(request, pk)
        return _render_post(request, post, error=message_for(exc), status=status_for(exc),
                            schedule_form=schedule_form, field_errors=_field_errors(exc))
    if action == "schedule":
        messages.success(request, f"Scheduled to publish on {kwargs['when']:%d %b %Y at %H:%M}.")
    elif action == "restore":
        post.workflow.refresh_from_db()
        messages.success(request, RESTORED[post.workflow.state])
    else:
        messages.success(request, DONE_MESSAGES[action])
    return redirect("editor:post", pk=post.pk)


def _field_errors(exc: Exception) -> dict[str, list[str]]:
    """A service's field errors by field name ("reason", "note", "body"), to show next to the field they concern."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return {field: [m for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {}


def _get_comment(post, comment_pk) -> Comment:
    return get_object_or_404(Comment, pk=comment_pk, post=post)


@login_required
@require_POST
def comment_reply(request, pk, comment_pk):
    """The writer (or a publisher) answers a reviewer's comment, and may resolve it in the same step."""
    post = _get_post(request, pk)
    comment = _get_comment(post, comment_pk)
    form = ReplyForm(request.POST, prefix=f"reply-{comment.pk}")
    resolve = request.POST.get("resolve") == "1"
    if not form.is_valid():
        return _render_post(request, post, status=400, reply_forms={comment.pk: form})
    try:
        services.comment_reply(comment, user=request.user, body=form.cleaned_data["body"], resolve=resolve)
    except REFUSALS as exc:
        form.add_error("body" if "body" in _field_errors(exc) else None, message_for(exc))
        return _render_post(request, post, status=status_for(exc), reply_forms={comment.pk: form})
    messages.success(request, "Your reply was added and the comment is resolved." if resolve
                     else "Your reply was added.")
    return redirect(f"{reverse('editor:post', args=[post.pk])}#comment-{comment.pk}")


@login_required
@require_POST
def comment_resolve(request, pk, comment_pk):
    post = _get_post(request, pk)
    comment = _get_comment(post, comment_pk)
    try:
        services.comment_resolve(comment, user=request.user)
    except REFUSALS as exc:
        return _render_post(request, post, error=message_for(exc), status=status_for(exc))
    messages.success(request, "The comment is resolved.")
    return redirect(f"{reverse('editor:post', args=[post.pk])}#comment-{comment.pk}")


@login_required
@require_POST
def set_due_date(request, pk):
    """A publisher sets the date by which a post in review should be reviewed."""
    post = _get_post(request, pk)
    if not rules.may_set_due_date(post.workflow, request.user):
        raise PermissionDenied(review_messages.not_permitted("set the review date of"))
    form = DueDateForm(request.POST)
    loaded = LoadedFor(request.POST)
    if not (form.is_valid() and loaded.is_valid()):
        return _render_post(request, post, status=400, due_form=form)
    try:
        services.post_set_due_date(post, user=request.user, due_date=form.cleaned_data["due_date"],
                                   **loaded.loaded_for())
    except REFUSALS as exc:
        for field, errors in _field_errors(exc).items():
            form.add_error(field if field in form.fields else None, errors)
        return _render_post(request, post, status=status_for(exc), due_form=form,
                            error="" if _field_errors(exc) else message_for(exc))
    due = form.cleaned_data["due_date"]
    messages.success(request, f"The review is due by {due:%-d %b %Y}." if due else "The due date is cleared.")
    return redirect("editor:post", pk=post.pk)


@login_required
@require_GET
def post_diff(request, pk):
    """Two revisions of a post compared word by word; by default the previous one with the newest."""
    post = _get_post(request, pk)
    numbers = sorted(post.revisions.values_list("number", flat=True))
    newest = numbers[-1]
    try:
        new = int(request.GET.get("to", newest))
        old = int(request.GET.get("from", numbers[-2] if len(numbers) > 1 else newest))
    except ValueError:
        old, new = None, None
    if old not in numbers or new not in numbers:  # not a number (400), or no revision of this post (404)
        return render(request, "editor/diff.html", {
            "post": post, "numbers": numbers, "old_number": old, "new_number": new,
            "error": "Choose two revisions of this post to compare.",
        }, status=400 if old is None else 404)
    revisions = {r.number: r for r in post.revisions.filter(number__in=[old, new]).select_related("author")}
    a, b = revisions[old], revisions[new]
    body_diff = diffing.word_diff(a.body, b.body)
    added, removed = diffing.words_changed(body_diff)
    return render(request, "editor/diff.html", {
        "post": post, "numbers": numbers, "old": a, "new": b, "old_number": old, "new_number": new,
        "title_diff": diffing.word_diff(a.title, b.title), "summary_diff": diffing.word_diff(a.summary, b.summary),
        "body_diff": body_diff, "added": added, "removed": removed,
        "live_number": _live_number(post),
    })


def _live_number(post):
    return post.live_revision.number if post.live_revision_id else None

