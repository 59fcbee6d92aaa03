"""Unit models (mô hình): validation, the status transitions and their audit, search."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantoa.core.models import AuditEntry
from lantoa.programs.models import EvaluationResult, UnitModel, UnitModelStatus
from lantoa.programs.queries.registration import unit_models_filtered
from lantoa.programs.services import registration as services
from tests.factories import PersonFactory

S = UnitModelStatus


def new_model(tree, by, **fields) -> UnitModel:
    data = {"year_from": 2019, "title": "Nêu cao tinh thần trách nhiệm, gương mẫu"} | fields
    organization = data.pop("organization", tree.own)
    return services.create_unit_model(by=by, organization=organization, **data)


def test_create_checks_years_and_responsible_person(tree, committee_staff):
    outsider = PersonFactory(organization=tree.other_cell)
    with pytest.raises(ValidationError) as error:
        new_model(tree, committee_staff, year_from=2020, year_to=2019, responsible=outsider)
    assert set(error.value.error_dict) == {"year_to", "responsible"}
    assert UnitModel.objects.count() == 0

    inside = PersonFactory(organization=tree.own_cell)
    model = new_model(tree, committee_staff, year_to=2020, responsible=inside)
    assert model.status == S.REGISTERED
    assert model.covers(2019) and model.covers(2020) and not model.covers(2021)


def test_status_goes_registered_then_in_progress_then_evaluated(tree, committee_staff):
    model = new_model(tree, committee_staff)
    with pytest.raises(ValidationError):  # cannot skip "being carried out"
        services.change_unit_model_status(model, S.EVALUATED, by=committee_staff, result="good")
    model.refresh_from_db()
    assert model.status == S.REGISTERED

    services.change_unit_model_status(model, S.IN_PROGRESS, by=committee_staff)
    with pytest.raises(ValidationError) as error:  # evaluating needs a result
        services.change_unit_model_status(model, S.EVALUATED, by=committee_staff)
    assert "result" in error.value.error_dict
    model.refresh_from_db()
    assert model.status == S.IN_PROGRESS

    services.change_unit_model_status(
        model, S.EVALUATED, by=committee_staff, result=EvaluationResult.GOOD, comments="Tốt"
    )
    model.refresh_from_db()
    assert (model.status, model.result, model.comments) == (S.EVALUATED, "good", "Tốt")
    assert model.evaluated_by == committee_staff and model.evaluated_at is not None

    for target in (S.REGISTERED, S.IN_PROGRESS, S.EVALUATED):  # evaluated is final
        with pytest.raises(ValidationError):
            services.change_unit_model_status(model, target, by=committee_staff, result="good")
    with pytest.raises(ValidationError):  # and closed to edits
        services.update_unit_model(model, by=committee_staff, title="Khác")


def test_status_changes_are_audited(tree, committee_staff):
    model = new_model(tree, committee_staff)
    services.change_unit_model_status(model, S.IN_PROGRESS, by=committee_staff)
    entry = AuditEntry.objects.get(verb="programs.unit_model.status_changed")
    assert entry.changes == {"status": ["registered", "in_progress"]}
    assert entry.actor == committee_staff
    assert entry.organization_path == tree.own.path


def test_unknown_status_is_refused(tree, committee_staff):
    model = new_model(tree, committee_staff)
    with pytest.raises(ValidationError):
        services.change_unit_model_status(model, "nonsense", by=committee_staff)


def test_staff_manage_models_only_in_their_subtree(tree, base_secretary, council_member):
    model = new_model(tree, base_secretary)
    services.change_unit_model_status(model, S.IN_PROGRESS, by=base_secretary)
    with pytest.raises(PermissionDenied):
        new_model(tree, base_secretary, organization=tree.other)
    with pytest.raises(PermissionDenied):
        services.update_unit_model(model, by=council_member, title="Khác")


def test_search_ignores_diacritics_and_filters_by_year_and_status(tree, committee_staff):
    first = new_model(tree, committee_staff, title="Thực hành tiết kiệm, chống lãng phí")
    new_model(tree, committee_staff, title="Trung thực, trách nhiệm", year_from=2021)
    models = UnitModel.objects.all()
    assert list(unit_models_filtered(models, text="tiet kiem")) == [first]
    assert list(unit_models_filtered(models, text="TIẾT KIỆM")) == [first]
    assert [m.year_from for m in unit_models_filtered(models, year=2022)] == [2021, 2019]
    assert list(unit_models_filtered(models, year=2020)) == [first]
    assert list(unit_models_filtered(models, status=S.EVALUATED)) == []
    assert unit_models_filtered(models, org=tree.other).count() == 0
