"""Content's background tasks (Django's tasks framework): the resized copies of an uploaded picture."""

from django_tasks import task

from content import images
from content.models import Image


@task()
def make_image_renditions(image_id: int) -> int:
    """Make the copies of picture `image_id` that are missing; returns how many were made. Safe to run again."""
    image = Image.objects.filter(pk=image_id).first()
    return len(images.make_renditions(image)) if image else 0
