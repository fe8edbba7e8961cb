"""Hostile input through the command line: one clear line per problem naming file, row, column and rule,
exit code 2, and no Python traceback."""
import pytest

from appraisal import cli, paths
from conftest import write_params

CASES = {
    "missing column": ("councils.csv", "population_year,", "census_year,", "header: column 'population_year' is missing"),
    "text in a number column": ("councils.csv", "123867", "many", "row 2, column 'population': value 'many' is not a whole number"),
    "thousands separators and currency": ("baseline_costs.csv", "ICT,6100000", 'ICT,"£6,100,000"',
                                          "row 2, column 'annual_cost_gbp': value '£6,100,000' is not a number"),
    "unquoted comma in a number": ("baseline_costs.csv", "ICT,6100000", "ICT,6,100,000", "row 2: 9 values where the header has 7 columns"),
    "duplicate key": ("councils.csv", "E07000011,Huntingdonshire", "E07000008,Huntingdonshire", "column 'ons_code': value 'E07000008' is duplicated"),
    "unknown council code": ("council_finance.csv", "E07000012,2012-13,central_services", "E07000099,2012-13,central_services",
                             "value 'E07000099' must be one of the ONS codes"),
    "NaN where a value is required": ("key_facts.csv", "councils_sharing_pct,96", "councils_sharing_pct,NaN", "column 'value'"),
    "blank where a value is required": ("timeline.csv", "2015-10-01,1 October 2015", ",1 October 2015", "column 'date': value is blank"),
    "source id that does not resolve": ("councils.csv", "camindependent2021pop", "nowhere2021", "value 'nowhere2021' must be one of the source ids"),
    "out-of-range value": ("risk_register.csv", ",0.5,", ",5,", "column 'likelihood': value '5' must be a probability"),
    "infinite amount": ("council_finance.csv", ",3233,", ",inf,",
                        "row 2, column 'value_gbp_thousand': value 'inf' is not a finite number"),
    "amount too large to hold": ("council_finance.csv", ",3233,", ",1e400,",
                                 "row 2, column 'value_gbp_thousand': value '1e400' is not a finite number (too large)"),
    "negative amount": ("council_finance.csv", ",3233,", ",-3233,",
                        "row 2, column 'value_gbp_thousand': value '-3233' must be a positive amount"),
    "30 February": ("timeline.csv", "2015-10-01,1 October 2015", "2015-02-30,1 October 2015",
                    "column 'date': value '2015-02-30' is not a date in the calendar"),
    "NUL byte in text": ("key_facts.csv", "Reduction in government", "Reduction\x00 in government",
                         ("row 2, column 'description': value 'Reduction\\x00 in government",
                          "contains the character U+0000 NUL")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_data_is_reported_by_file_row_and_column(case, data_copy, capsys):
    file, old, new, expected = CASES[case]
    path = data_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code = cli.main(["check", "--data", str(data_copy)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"data/{file}: " in err and all(part in err for part in (expected if isinstance(expected, tuple) else (expected,))), err
    assert "Traceback" not in err


def test_an_empty_file_is_reported(data_copy, capsys):
    (data_copy / "councils.csv").write_text("")
    assert cli.main(["check", "--data", str(data_copy)]) == 2
    assert "data/councils.csv: the file is empty" in capsys.readouterr().err


def test_a_byte_order_mark_is_accepted(data_copy, capsys):
    for path in data_copy.glob("*.csv"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert cli.main(["check", "--data", str(data_copy)]) == 0


PARAMETER_CASES = {
    "out of range": (lambda raw: raw["parameters"]["discount_rate"].update(low=0.5, central=0.5, high=0.5),
                     "parameters.discount_rate.low: value 0.5 is outside the allowed range"),
    "wrongly typed": (lambda raw: raw["parameters"]["years_to_full_savings"].update(central="three"),
                      "parameters.years_to_full_savings.central: value 'three'"),
    "unknown name": (lambda raw: raw["parameters"].update(staff_morale=raw["parameters"]["discount_rate"]),
                     "unknown parameter name(s) staff_morale"),
    "unknown source": (lambda raw: raw["parameters"]["discount_rate"].update(source_id="nowhere"),
                       "parameters.discount_rate.source_id: value 'nowhere' is not a source id"),
}


@pytest.mark.parametrize("case", sorted(PARAMETER_CASES))
def test_bad_parameters_are_reported_by_name_and_field(case, tmp_path, capsys):
    edit, expected = PARAMETER_CASES[case]
    path = write_params(tmp_path / "parameters.yaml", edit)
    assert cli.main(["check", "--params", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err, err


def test_a_bad_command_line_override_is_reported(capsys):
    assert cli.main(["check", "--set", "discount_rate=lots"]) == 2
    assert "parameters.discount_rate.low: value 'lots'" in capsys.readouterr().err


def test_the_real_inputs_pass(capsys):
    assert cli.main(["check", "--params", str(paths.PARAMETERS)]) == 0


def test_the_command_itself_exits_with_the_status_and_every_line_it_wrote(data_copy):
    """The installed `appraisal` command ends its process at once after main(): nothing it printed is lost."""
    import subprocess
    import sys

    (data_copy / "councils.csv").write_text("")
    done = subprocess.run([sys.executable, "-m", "appraisal.cli", "check", "--data", str(data_copy)],
                          capture_output=True, text=True, cwd=paths.ROOT)
    assert done.returncode == 2
    assert "data/councils.csv: the file is empty" in done.stderr and "Traceback" not in done.stderr
    ok = subprocess.run([sys.executable, "-m", "appraisal.cli", "check"], capture_output=True, text=True, cwd=paths.ROOT)
    assert ok.returncode == 0 and ok.stdout.startswith("All ") and ok.stdout.endswith("pass their checks.\n")
