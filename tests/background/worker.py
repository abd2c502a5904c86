"""A worker in the test's own process, for tests that check what a task does with the database backend."""


def run_queued_tasks() -> int:
    """What one worker does until the queue is empty, in this process and this test's transaction: claim each ready
    task and run it with the library's worker. (Its command, `db_worker --batch`, closes the database connection
    between tasks, which would end the test's transaction on PostgreSQL.) Returns how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
    ran = 0
    while (task_result := DBTaskResult.objects.ready().first()) is not None:
        task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        ran += 1
    return ran
