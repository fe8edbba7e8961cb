"""The reference class: how actual savings, costs and timing compared with plans elsewhere."""
import numpy as np
import pandas as pd

RATIO_MEASURES = {"savings": "Savings: actual ÷ projected", "one_off_cost": "One-off cost: actual ÷ planned"}


def outcome_ratios(outcomes: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """One row per case and measure: the ratio (or delay in months), or the reason it is excluded."""
    df = outcomes.merge(cases[["case_id", "name", "model"]], on="case_id", how="left")
    ratio = np.where(df["measure"] == "delay_months", df["actual"] - df["projected"], df["actual"] / df["projected"])
    df["value"] = ratio
    reason = pd.Series("", index=df.index)
    reason[df["projected"].isna()] = "no projected figure"
    reason[df["actual"].isna()] = "no actual figure on the same basis"
    reason[(df["measure"] != "delay_months") & (df["projected"] == 0)] = "projected figure is zero"
    df["included"] = reason.eq("")
    df["excluded_because"] = reason
    df.loc[~df["included"], "value"] = np.nan
    return df[["case_id", "name", "model", "measure", "projected", "actual", "unit", "period", "basis",
               "value", "included", "excluded_because", "source_id", "actual_source_id"]]


def summary(ratios: pd.DataFrame) -> pd.DataFrame:
    """Count, quartiles and range of each measure over the included cases."""
    rows = []
    for measure, group in ratios[ratios["included"]].groupby("measure"):
        v = group["value"].to_numpy(dtype=float)
        rows.append({"measure": measure, "cases": len(v), "min": v.min(),
                     "p25": np.quantile(v, 0.25), "median": np.median(v),
                     "p75": np.quantile(v, 0.75), "max": v.max()})
    return pd.DataFrame(rows)


REFERENCE_COLUMNS = ["case_id", "measure", "value", "basis"]


def reference_values(ratios: pd.DataFrame) -> pd.DataFrame:
    """The included cases' values, one row per case and measure: what the Monte Carlo draws from."""
    return (ratios.loc[ratios["included"], REFERENCE_COLUMNS]
            .sort_values(["measure", "case_id"]).reset_index(drop=True))
