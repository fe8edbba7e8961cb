"""The partnership as every chapter sees it: the councils, the combined baseline, the years appraised,
each council's share of the baseline and of the costs, and the sources behind them."""
import pandas as pd

from appraisal.model import attribution
from appraisal.model import reference_class as rc
from appraisal.model.assumptions import Assumptions, resolve
from appraisal.publication.content import unique_ids
from appraisal.publication.formats import join_names


def councils(inputs) -> pd.DataFrame:
    """The partner councils, in the order of the parameters file, indexed by ONS code."""
    return inputs.table("councils").set_index("ons_code").loc[list(inputs.params.partnership)]


def council_names(inputs) -> str:
    return join_names(councils(inputs)["name"])


def services_text(inputs) -> str:
    """'ICT and legal' from the services in scope."""
    return join_names([s if s.isupper() else s.lower() for s in inputs.params.services_in_scope])


def chosen_baseline(inputs) -> pd.DataFrame:
    """The chosen row for each service in scope."""
    costs = inputs.table("baseline_costs")
    return costs[(costs["chosen"] == "yes") & costs["service"].isin(list(inputs.params.services_in_scope))]


def baseline_total(inputs) -> float:
    """Combined annual in-scope cost."""
    return float(chosen_baseline(inputs)["annual_cost_gbp"].sum())


def baseline_sources(inputs) -> tuple[str, ...]:
    return unique_ids(chosen_baseline(inputs)["source_id"])


def financial_years(inputs) -> list[str]:
    first, n = inputs.params.first_year, inputs.params.appraisal_years
    return [f"{y}-{str(y + 1)[-2:]}" for y in range(first, first + n)]


def key_shares(inputs) -> pd.Series:
    """Each council's assumed share of the combined baseline."""
    p = inputs.params
    return attribution.baseline_shares(p.baseline_apportionment, inputs.table("councils"),
                                       inputs.table("council_finance"), list(p.partnership),
                                       p.baseline_apportionment_year)


def formula_shares(inputs) -> dict[str, pd.Series]:
    keys = key_shares(inputs)
    p = inputs.params
    return {f: attribution.formula_shares(f, inputs.table("councils"), list(p.partnership), keys,
                                          inputs.table("council_finance"), p.baseline_apportionment_year)
            for f in p.cost_sharing_formulas}


def apportionment_sources(inputs) -> tuple[str, ...]:
    """Sources of the apportionment key and of the population figures."""
    p = inputs.params
    finance = inputs.table("council_finance")
    used = finance[(finance["measure"] == p.baseline_apportionment) & (finance["year"] == p.baseline_apportionment_year)
                   & finance["ons_code"].isin(list(p.partnership))]
    return unique_ids(used["source_id"], councils(inputs)["source_id"])


def outcome_ratios(inputs) -> pd.DataFrame:
    """Plans against outcomes in the case studies, like with like."""
    return rc.outcome_ratios(inputs.table("case_study_outcomes"), inputs.table("case_studies"))


def assumptions(inputs, council_cases_only: bool = False, without: str | None = None) -> Assumptions:
    """The one set of assumptions every chapter uses: the parameters file with the inputs that come from
    other shared services computed from the case evidence (or, for comparison, from the council-to-council
    cases alone, with the whole class for any measure that no council case reports; or with one case
    `without` its measures and one-off cost, to show how much it moves the answer)."""
    return assumptions_from(inputs, case_evidence(inputs), council_cases_only, without)


def case_evidence(inputs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plans against outcomes and the one-off cost ratios the computed inputs are made from."""
    return outcome_ratios(inputs), rc.one_off_cost_ratios(inputs.table("one_off_costs"))


def assumptions_from(inputs, evidence: tuple[pd.DataFrame, pd.DataFrame], council_cases_only: bool = False,
                     without: str | None = None) -> Assumptions:
    """`assumptions`, from case evidence already computed (the risk chapter leaves out each case in turn)."""
    ratios, one_off = evidence
    ratios = ratios[ratios["included"] & ratios["counts_as"].ne(without)]
    one_off = one_off[one_off["case_id"].ne(without)].reset_index(drop=True)
    if council_cases_only:  # a measure no council case reports is taken from the whole class
        council = rc.council_cases(ratios)
        ratios = pd.concat([council, ratios[~ratios["measure"].isin(council["measure"])]], ignore_index=True)
        one_off = rc.council_cases(one_off) if not rc.council_cases(one_off).empty else one_off
    sources = {m: unique_ids(g["source_id"], g["actual_source_id"]) for m, g in ratios.groupby("measure")}
    return resolve(inputs.params, rc.reference_values(ratios.assign(included=True)), one_off, sources)


def parameter_sources(assumed: Assumptions, names=None) -> tuple[str, ...]:
    params = assumed.parameters
    return unique_ids(s for n in (names or list(params)) for s in params[n].source_ids)


def council_npv_table(inputs, result) -> pd.DataFrame:
    """NPV by council and formula (one draw), with the cross-subsidy against the baseline-cost formula."""
    baseline = baseline_total(inputs)
    keys = key_shares(inputs)
    formulas = formula_shares(inputs)
    npvs = attribution.council_npvs(baseline, keys, formulas, result)
    fair = attribution.council_npvs(baseline, keys, {"baseline": keys}, result)["baseline"]
    names = councils(inputs)["short_name"]
    rows = []
    for formula, by_council in npvs.items():
        for code, npv in by_council.items():
            rows.append({
                "ons_code": code,
                "Council": names[code],
                "formula": formula,
                "Formula": attribution.FORMULA_LABELS[formula],
                "Share of baseline": keys[code],
                "Share of costs": formulas[formula][code],
                "NPV (£)": float(npv[0]),
                "Cross-subsidy against baseline-cost share (£)": float(npv[0] - fair[code][0]),
            })
    return pd.DataFrame(rows)
