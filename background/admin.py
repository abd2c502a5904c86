"""Background tasks in the admin: queued, running and failed tasks with the error of each failure, and "Retry".

Administrators see them in the Django admin; publishers, who are not staff, in a small admin site of their own at
/admin/tasks/ that shows nothing else."""

from django.contrib import admin, messages
from django.contrib.auth.forms import AuthenticationForm
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background import jobs
from review import rules


def may_watch_tasks(user) -> bool:
    return bool(user.is_active and (user.is_superuser or rules.is_publisher(user)))


class TaskResultAdmin(admin.ModelAdmin):
    list_display = ["task_name", "status", "attempt", "enqueued_at", "started_at", "finished_at", "error"]
    list_filter = ["status", "queue_name"]
    search_fields = ["task_path"]
    ordering = ["-enqueued_at"]
    actions = ["retry"]
    fields = readonly_fields = ["id", "task_path", "status", "enqueued_at", "run_after", "started_at", "finished_at",
                                "worker_ids", "exception_class_path", "traceback"]
    # What a task carries (an email's recipients and text, a lock-out's address) is for administrators only.
    private_fields = ["args_kwargs", "return_value"]

    def get_fields(self, request, obj=None):
        return self.fields + (self.private_fields if request.user.is_superuser else [])

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_module_permission(self, request):
        return may_watch_tasks(request.user)

    def has_view_permission(self, request, obj=None):
        return may_watch_tasks(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return may_watch_tasks(request.user)

    @admin.display(description="attempt")
    def attempt(self, obj):
        return obj.args_kwargs.get("kwargs", {}).get("attempt", 1)

    @admin.display(description="error")
    def error(self, obj):
        """The last line of a failure's traceback: the exception and its message."""
        lines = obj.traceback.strip().splitlines() if obj.status == TaskResultStatus.FAILED else []
        return lines[-1] if lines else ""

    @admin.action(description="Retry the selected failed tasks", permissions=["retry"])
    def retry(self, request, queryset):
        count = jobs.retry(queryset)
        skipped = queryset.count() - count
        self.message_user(request, f"Queued {count} failed task(s) again." +
                          (f" {skipped} not failed, left as they are." if skipped else ""), messages.SUCCESS)


class TasksAdminSite(admin.AdminSite):
    site_header = site_title = "MedReview background tasks"
    index_title = "Tasks"
    login_form = AuthenticationForm  # publishers are not staff

    def has_permission(self, request):
        return may_watch_tasks(request.user)


tasks_site = TasksAdminSite(name="tasks_admin")
tasks_site.register(DBTaskResult, TaskResultAdmin)
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
