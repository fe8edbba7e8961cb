"""All inputs of one build, loaded and checked together: the data tables and the parameters."""
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from appraisal import paths
from appraisal.inputs import parameters, tables
from appraisal.inputs.errors import InputError
from appraisal.inputs.files import shown_name


@dataclass(frozen=True)
class Inputs:
    tables: dict[str, pd.DataFrame]
    params: parameters.Parameters

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[f"{name}.csv"].copy()


def load(params_path: Path | str = paths.PARAMETERS, overrides: dict | None = None,
         data_dir: Path = paths.DATA) -> Inputs:
    """Validate every table and the parameters, reporting all problems at once."""
    problems, data = [], {}
    try:
        data = tables.load_all(data_dir)
    except InputError as err:
        problems += err.problems
    known = {}
    if data:
        known = dict(
            source_ids=set(data["sources.csv"]["source_id"]),
            council_codes=set(data["councils.csv"]["ons_code"]),
            services=set(data["baseline_costs.csv"]["service"]),
        )
    try:
        params = parameters.load(params_path, overrides, **known)
    except InputError as err:
        problems += err.problems
    else:
        if data:
            problems += apportionment_problems(params, data["council_finance.csv"], params_path)
    if problems:
        raise InputError(problems)
    return Inputs(data, params)


FINANCE_MEASURES = ("central_services", "net_revenue_expenditure")


def apportionment_problems(params: parameters.Parameters, finance: pd.DataFrame, params_path) -> list[str]:
    """The savings chapter splits the combined baseline by each line of the council accounts in turn (and the
    revenue-budget formula shares costs by net revenue expenditure), so every partner needs both lines for
    the apportionment year."""
    problems = []
    for measure in FINANCE_MEASURES:
        rows = finance[(finance["measure"] == measure) & (finance["year"] == params.baseline_apportionment_year)]
        missing = [code for code in params.partnership if code not in set(rows["ons_code"])]
        if missing:
            problems.append(f"{shown_name(Path(params_path))}: baseline_apportionment_year: value "
                            f"'{params.baseline_apportionment_year}' has no {measure} row in "
                            f"data/council_finance.csv for {', '.join(missing)}")
    return problems
