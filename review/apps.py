from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "Review workflow"

    def ready(self):
        from django.core.signals import setting_changed
        from django.db.models.signals import post_delete, post_save

        from review.models import ReviewPolicy
        from review.selectors import forget_changed_policy_setting, forget_saved_policy

        # The public pages keep the review policy in the cache: a change must reach them.
        post_save.connect(forget_saved_policy, sender=ReviewPolicy, dispatch_uid="review.policy_saved")
        post_delete.connect(forget_saved_policy, sender=ReviewPolicy, dispatch_uid="review.policy_deleted")
        setting_changed.connect(forget_changed_policy_setting, dispatch_uid="review.policy_setting_changed")
