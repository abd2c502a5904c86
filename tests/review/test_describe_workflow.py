from pathlib import Path

from review.management.commands.describe_workflow import workflow_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"


def test_workflow_doc_matches_the_state_machine_in_the_code():
    assert DOC.read_text().endswith(workflow_table()), "run: python manage.py describe_workflow, and update docs/workflow.md"
