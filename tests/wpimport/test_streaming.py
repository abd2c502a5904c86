"""The export is read one item at a time: memory does not grow with the file."""

import os
import tracemalloc
from xml.etree import ElementTree

from django.core.management import call_command

from wpimport import wxr


def peak_bytes(work) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_an_export_holds_a_fraction_of_its_tree(tmp_path):
    path = str(tmp_path / "export.xml")
    call_command("make_wordpress_export", path, "--posts", "400", stdout=open(os.devnull, "w"))

    def read():
        site = wxr.read_site(path)
        assert sum(1 for _ in wxr.read_items(path, site)) == 800  # posts and their attachments

    streamed, whole_tree = peak_bytes(read), peak_bytes(lambda: ElementTree.parse(path))

    assert streamed * 5 < whole_tree
