"""All inputs of one build, loaded and checked together: the data tables and the parameters."""
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from appraisal import paths
from appraisal.inputs import parameters, tables
from appraisal.inputs.errors import InputError


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
    if problems:
        raise InputError(problems)
    return Inputs(data, params)
