from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "Review workflow"

    def ready(self):
        from review import lockouts  # noqa: F401  (connects the login lock-out's signal receiver)
        from review import checks  # noqa: F401  (registers the system checks)
        from django.contrib.auth import get_user_model
        from django.core.signals import setting_changed
        from django.db.models.signals import post_delete, post_save

        from content.models import Post
        from review.models import ReviewerProfile, ReviewPolicy, Signature
        from review.selectors import forget_changed_setting, forget_saved_policy, forget_saved_public_fact

        # The public pages keep the review policy, and pages made of public facts, in the cache: a change of
        # either must reach them (review.selectors).
        post_save.connect(forget_saved_policy, sender=ReviewPolicy, dispatch_uid="review.policy_saved")
        post_delete.connect(forget_saved_policy, sender=ReviewPolicy, dispatch_uid="review.policy_deleted")
        for model in (Post, Signature, ReviewPolicy, ReviewerProfile, get_user_model()):
            name = model._meta.label_lower
            post_save.connect(forget_saved_public_fact, sender=model, dispatch_uid=f"review.public_fact_saved.{name}")
            post_delete.connect(forget_saved_public_fact, sender=model,
                                dispatch_uid=f"review.public_fact_deleted.{name}")
        setting_changed.connect(forget_changed_setting, dispatch_uid="review.public_setting_changed")

        # The queue's counts are kept while nothing they count changes (review.queue.counts).
        from claims.models import FindingJustification
        from content.models import Revision
        from review.models import Workflow
        from review.queue import forget_counts

        for model in (Workflow, Post, Revision, Signature, FindingJustification):
            name = model._meta.label_lower
            post_save.connect(forget_counts, sender=model, dispatch_uid=f"review.queue_counts_saved.{name}")
            post_delete.connect(forget_counts, sender=model, dispatch_uid=f"review.queue_counts_deleted.{name}")

        # When a live post's review is due depends on the policy's interval and on its signers' registrations:
        # whatever changes them (the admin, a script, a data import) refreshes the stored dates
        # (review.rules.rereview_due), before the public-fact signals above drop the kept pages.
        from review import services

        def policy_changed(**kwargs):
            services.refresh_reviews_due()

        def profile_changed(instance, **kwargs):
            services.refresh_reviews_signed_by(instance)

        post_save.connect(policy_changed, sender=ReviewPolicy, dispatch_uid="review.due_dates_policy_saved",
                          weak=False)
        post_delete.connect(policy_changed, sender=ReviewPolicy, dispatch_uid="review.due_dates_policy_deleted",
                            weak=False)
        post_save.connect(profile_changed, sender=ReviewerProfile, dispatch_uid="review.due_dates_profile_saved",
                          weak=False)
