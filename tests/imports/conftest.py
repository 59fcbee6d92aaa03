import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Every import keeps a copy of its file: in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
