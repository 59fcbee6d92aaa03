"""Uploaded files: the name a user gave, and files removed again when a save fails."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from lantoa.core.text import nfc

__all__ = ["files_removed_on_error", "remove_after_commit", "uploaded_file_name"]


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


def remove_after_commit(files: Iterable[tuple[Storage, str]]) -> None:
    """Delete the files once the current transaction commits (a rollback keeps them)."""
    files = [(storage, name) for storage, name in files if name]

    def remove() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove)
