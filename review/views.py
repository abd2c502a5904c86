"""The approval queue and the review page: a form, one service call, a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from claims import findings as claim_findings
from content.models import Post, Revision
from review import (anchoring, audit_pack, diffing, findings, http, messages as review_messages, queue, reviewing, rules,
                    selectors, services)
from review.forms import AssignForm, ClaimForm, CommentForm, RequestChangesForm, SignForm
from review.models import Comment, ReviewPolicy, Signature, signoffs_missing
from review.states import Meaning, State


def _require_reviewer(user):
    if rules.lacks_reviewer_profile(user):
        raise PermissionDenied(review_messages.NO_REVIEWER_PROFILE)
    if not rules.is_reviewer(user):
        raise PermissionDenied(review_messages.QUEUE_IS_FOR_REVIEWERS)


def _require_reader(user, workflow):
    if not ((rules.is_reviewer(user) or rules.is_publisher(user)) and rules.may_see(workflow, user)):
        raise PermissionDenied("Review pages are for reviewers and publishers, once a post has been submitted.")


def _load(pk) -> Post:
    return get_object_or_404(
        # With its WordPress import record, if any: the page's notices (wpimport.templatetags) read it.
        Post.objects.select_related("workflow__assignee__reviewer_profile", "current_revision", "live_revision",
                                    "author", "wordpress_origin"),
        pk=pk,
    )


def _put_errors(form, exc: Exception) -> str:
    """Show bad input next to its field; return any other refusal, for the top of the page."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return ""
    return http.message_for(exc)


# --- the queue


@login_required
@require_GET
def queue_view(request):
    _require_reviewer(request.user)
    return _render_queue(request)


def _render_queue(request, *, error: str = "", status: int = 200):
    tab = request.GET.get("tab", "waiting")
    if tab not in queue.TAB_KEYS:
        tab = "waiting"
    user = request.user
    now = timezone.now()
    can_assign = rules.is_publisher(user)
    reviewers = list(queue.assignable_reviewers()) if can_assign and tab != "signed" else []
    counts = queue.counts(user, now)
    pages = queue.page_count(counts[tab])
    try:
        page = min(max(1, int(request.GET.get("page", 1))), pages)
    except (ValueError, OverflowError):
        page = 1
    rows = queue.present(tab, queue.rows(tab, user, page, now), user, now, reviewers=reviewers)
    context = {
        "tabs": [(t, counts[t.key]) for t in queue.TABS],
        "current_tab": next(t for t in queue.TABS if t.key == tab),
        "waiting_count": counts["waiting"],  # the navigation shows it too
        "tab": tab,
        "rows": rows,
        "page": page,
        "pages": pages,
        "can_assign": can_assign,
        "lapsed_message": (review_messages.registration_lapsed(user.reviewer_profile.verified_until)
                           if rules.reviewer_lapsed(user) else ""),
        "error": error,
    }
    return render(request, "review/queue.html", context, status=status)


@login_required
@require_POST
def claim(request, pk):
    _require_reviewer(request.user)
    post = _load(pk)
    form = ClaimForm(request.POST)
    if not form.is_valid():
        return _render_queue(request, error="This form is out of date. Reload the queue and try again.", status=400)
    try:
        services.post_claim(post, user=request.user, **form.loaded_for())
    except http.REFUSALS as exc:
        return _render_queue(request, error=http.message_for(exc), status=http.status_for(exc))
    messages.success(request, f"“{post.title}” is yours to review.")
    return redirect(_back_to_queue(request))


@login_required
@require_POST
def assign(request, pk):
    post = _load(pk)
    if not rules.is_publisher(request.user):
        raise PermissionDenied(review_messages.ONLY_PUBLISHERS_ASSIGN)
    form = AssignForm(request.POST, reviewers=queue.assignable_reviewers())
    if not form.is_valid():
        return _render_queue(request, error="Choose a reviewer to assign this post to.", status=400)
    reviewer = form.cleaned_data["reviewer"]
    try:
        services.post_assign(post, user=request.user, reviewer=reviewer, **form.loaded_for())
    except http.REFUSALS as exc:
        return _render_queue(request, error=http.message_for(exc), status=http.status_for(exc))
    messages.success(request, f"“{post.title}” is assigned to {reviewer.reviewer_profile.printed_name}.")
    return redirect(_back_to_queue(request))


def _back_to_queue(request):
    nxt = request.POST.get("next", "")
    return nxt if nxt.startswith("/review/") else "review:queue"


# --- the review page


@login_required
@require_GET
def post_review(request, pk):
    post = _load(pk)
    _require_reader(request.user, post.workflow)
    return _render_review(request, post)


def _render_review(request, post, *, status=200, sign_form=None, changes_form=None, comment_form=None,
                   error: str = ""):
    user, workflow = request.user, post.workflow
    revision = queue.under_review(post, post.workflow.state)
    # What the page prints of the policy (sign-offs required, the checklist to tick) comes from the cache the public
    # pages use (review.selectors.display_policy); signing reads the database, and checks the form against it.
    policy = selectors.display_policy()
    recorded = Signature.objects.recorded_for(revision) if revision else []
    signatures = Signature.objects.valid_for(revision, recorded=recorded) if revision else []
    last_signed = (
        Revision.objects.filter(post=post, number__lt=revision.number, signatures__isnull=False)
        .order_by("-number").first() if revision else None
    )
    # Opens on what changed since the version sent back last (the reviewer's own, if they sent one back);
    # "?since=signed" switches to the changes since the last signed version.
    events = reviewing.trail(post)
    sent_back = reviewing.last_sent_back(events, post, revision, user) if revision else None
    since = "signed" if request.GET.get("since") == "signed" or sent_back is None else "reviewed"
    compared_with = sent_back.revision if since == "reviewed" else last_signed
    comments = list(
        Comment.objects.filter(post=post).select_related("author__reviewer_profile", "revision", "resolved_by")
    )
    answered = reviewing.answered_comment_ids(events)
    for comment in comments:
        comment.status = reviewing.comment_status(comment, answered)
    anchors = anchoring.comment_highlights(
        revision.html, [c for c in comments if c.is_open and c.quote_exact and c.revision_id == revision.pk])
    now = timezone.now()
    # Who had a hand in the post, read once for every predicate the page asks.
    involved = rules.involved_users([post.pk])[post.pk]
    # Who signed the working copy (may_sign: once per signer), from the signatures read above when it is the one shown.
    signer_ids = {s.signer_id for s in recorded} if revision and revision.pk == post.current_revision_id else None
    can_sign = rules.may_sign(workflow, user, now, involved_ids=involved, signer_ids=signer_ids)
    can_request_changes = rules.may_request_changes(workflow, user, involved_ids=involved)
    # Re-signing a live version renews it; a version in review takes one signature per signer.
    already_signed = workflow.state == State.IN_REVIEW and any(s.signer_id == user.pk for s in signatures)
    can_assign = rules.may_assign(workflow, user, now)
    initial = {"expected_state": workflow.state, "expected_revision": post.current_revision_id}
    claims_found = claim_findings.revision_findings(revision)
    justified = claim_findings.justifications_by_key(revision)
    article, _ = anchoring.mark_quotes(revision.html, [f.text for f in claims_found if f.field == "body"],
                                       css_class="finding-mark", title="Claims check: see the list below the article")
    context = {
        "post": post,
        "workflow": workflow,
        "revision": revision,
        "article": article,
        "quote_context": anchoring.CONTEXT,
        "is_rereview": workflow.state == State.PUBLISHED,
        "signatures": signatures,
        "signed_this_version": bool(signatures) and workflow.state == State.PUBLISHED,
        "missing": {Meaning(m).label: n for m, n in signoffs_missing(revision, policy, signatures=signatures).items()
                    if m in Meaning.values},
        "required": {Meaning(m).label: n for m, n in policy.required_signoffs.items() if m in Meaning.values},
        "last_signed": last_signed,
        "sent_back": sent_back,
        "since": since,
        "compared_with": compared_with,
        "notes": reviewing.notes_since(events, sent_back.revision if sent_back else None),
        # Made before this version existed: what the writer was asked to address.
        "earlier_comments": [c for c in comments if c.created_at < revision.created_at] if sent_back else [],
        "diff": diffing.word_diff(diffing.reader_text(compared_with), diffing.reader_text(revision)),
        "comments": comments,
        "open_count": sum(1 for c in comments if c.is_open),
        "lapsed_message": (review_messages.registration_lapsed(user.reviewer_profile.verified_until)
                           if rules.reviewer_lapsed(user) else ""),
        "anchors": anchors,
        "can_sign": can_sign,
        # Someone else set this reviewer's password: they choose their own before signing (review.identity).
        "own_password_needed": can_sign and rules.must_set_own_password(user),
        "own_password_message": review_messages.SET_OWN_PASSWORD,
        "can_request_changes": can_request_changes,
        "already_signed": already_signed,
        "why_not": _why_no_decision(workflow, user, now),
        "can_comment": rules.may_comment(workflow, user, involved_ids=involved),
        "can_claim": rules.may_claim(workflow, user, now, involved_ids=involved),
        "can_assign": can_assign,
        "assign_choices": [(r.pk, r.reviewer_profile.printed_name) for r in queue.assignable_reviewers()
                           if r.pk not in involved] if can_assign else [],
        "sign_form": sign_form or SignForm(initial=initial, checklist=policy.checklist,
                                           to_acknowledge=findings.to_acknowledge(claims_found, justified)),
        "finding_rows": claim_findings.rows(claims_found, justified=justified),
        "claim_sentences": claim_findings.claim_sentences(revision),
        "sign_open": sign_form is not None,
        "changes_form": changes_form or RequestChangesForm(initial=initial),
        "comment_form": comment_form or CommentForm(initial=initial),
        "error": error,
        # Which form a refusal belongs to: it is summarised at the top of that form, not of the page.
        "error_in": ("sign" if sign_form and can_sign else "changes" if changes_form and can_request_changes
                     else "comment" if comment_form and rules.may_comment(workflow, user) else ""),
    }
    return render(request, "review/review_page.html", context, status=status)


def _why_no_decision(workflow, user, now) -> str:
    """Why this user has no decision to make on the post now, in one sentence ("" when there is nothing to say)."""
    if not rules.waits_for_reviewer(workflow, now):
        if workflow.state == State.PUBLISHED:
            return "This article's review is current; there is nothing to decide now."
        return f"This post is {workflow.get_state_display().lower()}; there is nothing to decide now."
    if rules.reviewer_lapsed(user):
        return review_messages.registration_lapsed(user.reviewer_profile.verified_until)
    if rules.is_reviewer(user):
        return review_messages.INVOLVED
    return "Only medical reviewers decide on a post; you can follow it here."


@login_required
@require_POST
def sign(request, pk):
    post = _load(pk)
    _require_reviewer(request.user)
    revision = queue.under_review(post, post.workflow.state)
    warnings = findings.to_acknowledge(claim_findings.revision_findings(revision), claim_findings.justifications_by_key(revision))
    form = SignForm(request.POST, checklist=ReviewPolicy.current().checklist, to_acknowledge=warnings)
    if not form.is_valid():
        return _render_review(request, post, status=400, sign_form=form)
    data = form.cleaned_data
    try:
        signature = services.revision_sign(
            post, user=request.user, password=data["password"], attested=data["attest"],
            checklist=data["checklist"], acknowledged=data["acknowledged"], **form.loaded_for(),
        )
    except http.REFUSALS as exc:
        error = _put_errors(form, exc)
        return _render_review(request, _load(pk), status=http.status_for(exc), sign_form=form, error=error)
    post = _load(pk)
    if post.workflow.state == State.APPROVED:
        messages.success(request, f"You signed “{post.title}”. It is approved and can be published.")
    elif post.workflow.state == State.PUBLISHED:
        messages.success(request, f"You signed “{post.title}” again; its review date is now "
                                  f"{timezone.localtime(signature.signed_at):%d %b %Y}.")
    else:
        messages.success(request, f"You signed “{post.title}”. It now waits for the other sign-offs.")
    return redirect("review:queue")


@login_required
@require_POST
def request_changes(request, pk):
    post = _load(pk)
    _require_reviewer(request.user)
    form = RequestChangesForm(request.POST)
    if not form.is_valid():
        return _render_review(request, post, status=400, changes_form=form)
    try:
        services.post_request_changes(post, user=request.user, comment=form.cleaned_data["comment"],
                                      quote=form.quote(), **form.loaded_for())
    except http.REFUSALS as exc:
        error = _put_errors(form, exc)
        return _render_review(request, _load(pk), status=http.status_for(exc), changes_form=form, error=error)
    messages.success(request, f"“{post.title}” went back to {post.author.get_full_name() or post.author} "
                              "with your comments.")
    return redirect("review:queue")


@login_required
@require_POST
def comment_create(request, pk):
    post = _load(pk)
    _require_reader(request.user, post.workflow)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _render_review(request, post, status=400, comment_form=form)
    try:
        comment = services.comment_add(post=post, user=request.user, body=form.cleaned_data["body"],
                                       quote=form.quote(), expected_revision=form.cleaned_data.get("expected_revision"))
    except http.REFUSALS as exc:
        error = _put_errors(form, exc)
        return _render_review(request, post, status=http.status_for(exc), comment_form=form, error=error)
    messages.success(request, "Your comment was added.")
    return _back_to_comment(post, comment)


@login_required
@require_POST
def comment_resolve(request, pk, comment_pk):
    post = _load(pk)
    _require_reader(request.user, post.workflow)
    comment = get_object_or_404(Comment, pk=comment_pk, post=post)
    try:
        services.comment_resolve(comment, user=request.user)
    except http.REFUSALS as exc:
        return _render_review(request, post, status=http.status_for(exc), error=http.message_for(exc))
    messages.success(request, "The comment is resolved.")
    return _back_to_comment(post, comment)


def _back_to_comment(post, comment):
    """Back on the review page where the reviewer was: at the comment they just wrote or resolved."""
    return redirect(f"{reverse('review:post', args=[post.pk])}#comment-{comment.pk}")


@login_required
@require_GET
def audit_pack_view(request, pk):
    """The post's audit pack for publishers, reviewers and administrators: HTML, or JSON with ?format=json."""
    post = _load(pk)
    _require_reader(request.user, post.workflow)
    pack = audit_pack.build(post)
    if request.GET.get("format") == "json":
        return JsonResponse(pack, json_dumps_params={"indent": 2, "ensure_ascii": False})
    return HttpResponse(audit_pack.render_html(pack))
