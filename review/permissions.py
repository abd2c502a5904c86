"""Who may do what to a post: named predicates, combined per action.

Each takes (workflow, user) so that django-fsm can use it as a transition's `permission`.
"""


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_post_author(workflow, user) -> bool:
    return _active(user) and workflow.post.author_id == user.pk


def is_publisher(workflow, user) -> bool:
    return _active(user) and user.has_perm("review.publish_post")


def has_reviewer_profile(user) -> bool:
    profile = getattr(user, "reviewer_profile", None) if _active(user) else None
    return bool(profile and profile.is_active)


def can_write(workflow, user) -> bool:
    """Authors write their own posts; publishers may edit any."""
    return _active(user) and user.has_perm("content.change_post") and (
        is_post_author(workflow, user) or is_publisher(workflow, user)
    )


def can_submit(workflow, user) -> bool:
    return _active(user) and user.has_perm("review.submit_post") and (
        is_post_author(workflow, user) or is_publisher(workflow, user)
    )


def can_review(workflow, user) -> bool:
    """A reviewer with an active profile who never wrote or edited this post (separation of duties)."""
    return (
        _active(user)
        and user.has_perm("review.sign_post")
        and has_reviewer_profile(user)
        and user.pk not in workflow.post.editor_ids()
    )


def can_publish(workflow, user) -> bool:
    return is_publisher(workflow, user)


def can_comment(workflow, user) -> bool:
    """Reviewers comment and resolve; authors and publishers answer and resolve too."""
    return can_review(workflow, user) or can_write(workflow, user) or is_publisher(workflow, user)
