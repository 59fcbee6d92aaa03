"""Uploaded files: the name a user gave, and files removed again when a save fails."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile

from lantoa.core.text import nfc

__all__ = ["files_removed_on_error", "uploaded_file_name"]


def uploaded_file_name(upload: UploadedFile) -> str:
    """The name the user gave, without its folders (it is shown, never used on disk)."""
    return nfc((upload.name or "").replace("\\", "/").rsplit("/", 1)[-1])[:255] or "tep"


@contextmanager
def files_removed_on_error() -> Iterator[list[tuple[Storage, str]]]:
    """Collects the files written in the block (storage, name); if the block fails, they
    are deleted, so a refused or failed save leaves nothing on disk."""
    written: list[tuple[Storage, str]] = []
    try:
        yield written
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
