"""Hostile parameters, generated from the parameters schema so that a new setting or parameter is covered:
every number has a declared range and refuses infinity, NaN, yes/no and values outside it; text refuses
control characters; a key given twice, at any depth, is named with both lines. One line per problem."""
import pytest
from pydantic import BaseModel

from appraisal import cli, paths
from appraisal.inputs import parameters
from appraisal.inputs.errors import InputError
from appraisal.inputs.parameters import RANGES, MonteCarlo, Parameter, Parameters

LEVELS = ("low", "central", "high")


def bounds(field):
    lo = next((m.ge for m in field.metadata if hasattr(m, "ge")), None)
    hi = next((m.le for m in field.metadata if hasattr(m, "le")), None)
    return lo, hi


def numeric_settings(model=Parameters, prefix=""):
    """(dotted name, lowest, highest) of every number among the settings, nested models included."""
    for name, field in model.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            yield from numeric_settings(field.annotation, f"{prefix}{name}.")
        elif field.annotation in (int, float):
            yield (f"{prefix}{name}", *bounds(field))


SETTINGS = list(numeric_settings())
# parameters whose low, central and high are typed in the file (the others are computed from evidence)
TYPED = sorted(name for name, p in parameters.load().parameters.items() if p.central is not None)


def problems(overrides=None, path=paths.PARAMETERS):
    with pytest.raises(InputError) as err:
        parameters.load(path, overrides)
    return err.value.problems


def test_every_number_in_the_parameters_file_declares_its_range():
    assert {"first_year", "appraisal_years", "monte_carlo.seed", "monte_carlo.iterations"} <= {s[0] for s in SETTINGS}
    for name, lo, hi in SETTINGS:
        assert lo is not None and hi is not None and lo < hi, name
    for model in (Parameters, MonteCarlo, Parameter):
        for name, field in model.model_fields.items():
            if field.annotation in (int, float) and not (model is Parameter and name in LEVELS):
                assert None not in bounds(field), f"{model.__name__}.{name} has no range"
    real = parameters.load()
    assert set(real.parameters) == set(RANGES) and TYPED
    for name, (lo, hi) in RANGES.items():
        assert lo < hi, name
    for name in TYPED:
        lo, hi = RANGES[name]
        assert all(lo <= real.parameters[name].value(level) <= hi for level in LEVELS), name


NOT_NUMBERS = {".inf": "inf", "-.inf": "-inf", ".nan": "nan", "inf": "'inf'", "NaN": "'NaN'"}


@pytest.mark.parametrize("written", sorted(NOT_NUMBERS))
@pytest.mark.parametrize("name", [s[0] for s in SETTINGS])
def test_every_numeric_setting_refuses_infinity_and_nan(name, written):
    found = problems({name: written})
    assert len(found) == 1 and found[0].startswith(f"data/parameters.yaml: {name}: value {NOT_NUMBERS[written]}: "), found


@pytest.mark.parametrize("name,lo,hi", SETTINGS)
def test_every_numeric_setting_refuses_values_outside_its_range(name, lo, hi):
    assert problems({name: str(lo - 1)}) == [
        f"data/parameters.yaml: {name}: value {lo - 1}: Input should be greater than or equal to {lo}"]
    assert problems({name: str(hi + 1)}) == [
        f"data/parameters.yaml: {name}: value {hi + 1}: Input should be less than or equal to {hi}"]


@pytest.mark.parametrize("written", ["yes", "true", "on"])
@pytest.mark.parametrize("name", [s[0] for s in SETTINGS] + [f"{p}.central" for p in TYPED])
def test_yes_and_true_are_not_numbers(name, written):
    dotted = name if name in {s[0] for s in SETTINGS} or "." not in name else f"parameters.{name}"
    assert problems({name: written}) == [
        f"data/parameters.yaml: {dotted}: value True: must be a number, not yes/no or true/false"]


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("name", TYPED)
def test_every_parameter_level_refuses_infinity_and_nan(name, level):
    for written, shown in ((".inf", "inf"), ("-.inf", "-inf"), (".nan", "nan")):
        found = problems({f"{name}.{level}": written})
        assert f"data/parameters.yaml: parameters.{name}.{level}: value {shown}: Input should be a finite number" in found


@pytest.mark.parametrize("name", TYPED)
def test_every_parameter_refuses_values_outside_its_range(name):
    lo, hi = RANGES[name]
    step = (hi - lo) / 10
    for value in (lo - step, hi + step):
        assert problems({name: repr(value)}) == [  # all three levels, so only the range is broken
            f"data/parameters.yaml: parameters.{name}.low: value {value} is outside the allowed range {lo} to {hi}"]


TEXT_FIELDS = ["price_base_year", "baseline_apportionment_year", "appraisal_years_source"] + [
    f"{name}.{field}" for name in TYPED[:2] for field in ("label", "unit", "rationale")]


@pytest.mark.parametrize("char,named", [("\\0", "U+0000 NUL"), ("\\t", "U+0009 tab"), ("\\n", "U+000A line feed"),
                                        ("\\e", "U+001B"), ("\\u202E", "U+202E RIGHT-TO-LEFT OVERRIDE")])
@pytest.mark.parametrize("name", TEXT_FIELDS)
def test_text_settings_refuse_control_characters(name, char, named):
    found = problems({name: f'"2014{char}-15 and more text"'})
    dotted = name if "." not in name else f"parameters.{name}"
    assert any(p.startswith(f"data/parameters.yaml: {dotted}: value ") and f"contains the character {named}" in p
               for p in found), found


@pytest.mark.parametrize("name", ["price_base_year", "baseline_apportionment_year"])
@pytest.mark.parametrize("written", ["2014-16", "2014/15", "14-15", "２０１４-15"])
def test_financial_years_are_written_2014_15(name, written):
    assert problems({name: f'"{written}"'}) == [
        f"data/parameters.yaml: {name}: value '{written}': must be a financial year written 2014-15"]


def parameters_text_with(extra_line_after: str, extra: str) -> tuple[str, int, int]:
    """The real parameters file with `extra` inserted after the first line starting `extra_line_after`;
    returns the text, the line of that first line and the line of the inserted one (from 1)."""
    lines = paths.PARAMETERS.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(extra_line_after))
    lines.insert(first + 1, extra)
    return "\n".join(lines) + "\n", first + 1, first + 2


DUPLICATES = {
    "top level": ("first_year:", "first_year: 2016", "first_year"),
    "nested": ("  seed:", "  seed: 7", "seed"),
    "two levels down": ("    low:", "    low: 0.03", "low"),
}


@pytest.mark.parametrize("where", sorted(DUPLICATES))
def test_a_key_given_twice_is_refused_naming_the_key_and_both_lines(where, tmp_path, capsys):
    after, extra, key = DUPLICATES[where]
    text, first, second = parameters_text_with(after, extra)
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    expected = f"{path}: line {second}: key '{key}' appears twice (lines {first} and {second}); each key may be given only once"
    assert problems(path=path) == [expected]
    assert cli.main(["check", "--params", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_the_same_key_in_different_mappings_is_fine(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text(paths.PARAMETERS.read_text(encoding="utf-8"), encoding="utf-8")
    assert parameters.load(path).parameters["discount_rate"].low >= 0  # every parameter repeats low, central, high


def test_a_key_repeated_inside_a_flow_mapping_is_refused(tmp_path):
    path = tmp_path / "scenario.yaml"
    text = paths.PARAMETERS.read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("monte_carlo:"))
    lines[start:start + 3] = ["monte_carlo: {seed: 1, iterations: 1000, seed: 2}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert problems(path=path) == [f"{path}: line {start + 1}: key 'seed' appears twice (lines {start + 1} and {start + 1});"
                                   " each key may be given only once"]


def test_anchors_and_aliases_as_a_yaml_writer_makes_them_are_read(tmp_path):
    from conftest import write_params

    def one_entry_for_two_parameters(raw):
        raw["parameters"]["optimism_bias_duration"] = raw["parameters"]["optimism_bias_one_off"]

    path = write_params(tmp_path / "scenario.yaml", one_entry_for_two_parameters)
    assert "&id001" in path.read_text() and "*id001" in path.read_text()
    loaded = parameters.load(path).parameters
    assert loaded["optimism_bias_duration"].label == loaded["optimism_bias_one_off"].label


def test_a_yaml_syntax_error_is_one_line_with_its_line(tmp_path):
    text, _, line = parameters_text_with("first_year:", "appraisal_years: 10: 11")
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    found = problems(path=path)
    assert len(found) == 1 and found[0].startswith(f"{path}: line {line}: not valid YAML: ") and "\n" not in found[0]


def test_a_nul_byte_in_the_file_is_one_line(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_bytes(paths.PARAMETERS.read_bytes().replace(b"discount rate", b"discount\x00rate", 1))
    found = problems(path=path)
    assert len(found) == 1 and "not valid YAML" in found[0] and "#x0000" in found[0] and "\n" not in found[0]


def test_a_python_object_tag_is_refused_in_one_line(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text("first_year: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    found = problems(path=path)
    assert len(found) == 1 and "could not determine a constructor" in found[0] and "\n" not in found[0]


def test_nesting_too_deep_for_the_reader_is_one_line(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text("first_year: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert problems(path=path) == [f"{path}: not valid YAML: nested too deeply"]


def test_setting_a_parameter_written_as_one_number_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "scenario.yaml"
    text = paths.PARAMETERS.read_text(encoding="utf-8")
    path.write_text(text.replace("parameters:\n  discount_rate:\n", "parameters:\n  discount_rate: 0.03\n  old_discount_rate:\n", 1),
                    encoding="utf-8")
    assert problems({"discount_rate": "0.03"}, path) == [
        "--set discount_rate: the parameters file gives no low, central and high values to set"]


def test_an_apportionment_year_without_accounts_is_refused(capsys):
    assert cli.main(["check", "--set", "baseline_apportionment_year=2019-20"]) == 2
    err = capsys.readouterr().err
    assert ("data/parameters.yaml: baseline_apportionment_year: value '2019-20' has no central_services row in"
            " data/council_finance.csv for E07000008, E07000011, E07000012") in err
