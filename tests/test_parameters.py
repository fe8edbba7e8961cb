"""The parameters file: every parameter has a basis; bad values give clear errors; overrides work."""
import pytest

from appraisal import paths
from appraisal.inputs import loading, parameters
from appraisal.inputs.errors import InputError
from conftest import write_params


def load_edited(tmp_path, edit):
    path = write_params(tmp_path / "parameters.yaml", edit)
    with pytest.raises(InputError) as err:
        loading.load(path)
    return err.value.problems


def test_every_parameter_has_a_basis_and_a_source_unless_judgement():
    params = loading.load().params
    for name, p in params.parameters.items():
        assert p.basis in ("source", "derived", "judgement", "reference class")
        assert p.basis in ("judgement", "reference class") or p.source_id, name  # computed from cited cases
        assert len(p.rationale) > 10


def test_unknown_parameter_name_is_rejected(tmp_path):
    def edit(raw):
        raw["parameters"]["discount_rat"] = raw["parameters"].pop("discount_rate")
    found = load_edited(tmp_path, edit)
    assert any("unknown parameter name(s) discount_rat" in p for p in found)


def test_wrongly_typed_value_is_rejected(tmp_path):
    found = load_edited(tmp_path, lambda raw: raw["parameters"]["discount_rate"].update(central="three"))
    assert any("parameters.discount_rate.central: value 'three'" in p for p in found)


def test_out_of_range_value_is_rejected(tmp_path):
    def edit(raw):
        raw["parameters"]["planned_saving_share"].update(low=1.5, central=1.5, high=1.5)
    found = load_edited(tmp_path, edit)
    assert any("planned_saving_share.low: value 1.5 is outside the allowed range" in p for p in found)


def test_low_central_high_out_of_order_is_rejected(tmp_path):
    found = load_edited(tmp_path, lambda raw: raw["parameters"]["residual_years"].update(low=7))
    assert any("low (7.0) <= central (5.0) <= high (10.0) must hold" in p for p in found)


def test_unknown_setting_is_rejected(tmp_path):
    found = load_edited(tmp_path, lambda raw: raw.update(discount="yes"))
    assert any("discount: value 'yes': is not a known setting or field" in p for p in found)


def test_source_id_of_a_parameter_must_resolve(tmp_path):
    found = load_edited(tmp_path, lambda raw: raw["parameters"]["discount_rate"].update(source_id="nowhere"))
    assert any("parameters.discount_rate.source_id: value 'nowhere' is not a source id" in p for p in found)


def test_partnership_must_list_known_councils(tmp_path):
    found = load_edited(tmp_path, lambda raw: raw.update(partnership=["E07000008", "E07000999"]))
    assert any("partnership: value 'E07000999' is not an ONS code" in p for p in found)


def test_set_override_fixes_a_parameter_at_one_value():
    params = parameters.load(paths.PARAMETERS, {"discount_rate": "0.03"})
    p = params.parameters["discount_rate"]
    assert (p.low, p.central, p.high) == (0.03, 0.03, 0.03)


def test_set_override_of_one_level_and_of_a_setting():
    params = parameters.load(paths.PARAMETERS, {"planned_saving_share.central": "0.12", "monte_carlo.iterations": "2000"})
    assert params.parameters["planned_saving_share"].central == 0.12
    assert params.monte_carlo.iterations == 2000


def test_set_override_of_an_unknown_name_is_an_error():
    with pytest.raises(InputError, match="not a parameter or setting"):
        parameters.load(paths.PARAMETERS, {"nonsense": "1"})
