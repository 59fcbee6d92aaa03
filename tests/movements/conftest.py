"""The activity types and beneficiary categories of the seeding migration, for every test
here (with --nomigrations they would be absent; with migrations this changes nothing)."""

import importlib

import pytest
from django.apps import apps

_catalog = importlib.import_module("lantoa.movements.migrations.0002_catalog")


@pytest.fixture(autouse=True)
def movement_catalog(db) -> None:
    _catalog.seed(apps, None)
