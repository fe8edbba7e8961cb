"""The chapter notebooks and the inputs each one declares, in the order they are started: the case
studies first, because the risk chapter waits for their export (chapter order is set in _toc.yml).

A notebook is re-run only when its own source, the parameters, a data file it declares, a file
another step exports to it, or the package's model code changes.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Step:
    name: str                     # notebooks/<name>.ipynb -> chapters/<name>.ipynb in the book
    reads: tuple[str, ...]        # files in data/ that the notebook uses
    exports: tuple[str, ...] = () # files it writes into _build/exports/ for later steps
    needs: tuple[str, ...] = field(default=())  # exported files (from other steps) that it reads

    @property
    def notebook(self) -> str:
        return f"notebooks/{self.name}.ipynb"


HEADLINE_CHAPTERS = ("context", "savings", "case_studies", "risk", "assumptions_log", "data_log")

STEPS = (
    Step("case_studies", reads=("case_studies.csv", "case_study_outcomes.csv", "conflicting_figures.csv",
                                "sources.csv"),
         exports=("reference_class.csv", "case_studies_headlines.json")),
    Step("savings", reads=("baseline_costs.csv", "councils.csv", "council_finance.csv", "key_facts.csv",
                           "typical_savings.csv", "sources.csv", "parameters.yaml"),
         exports=("savings_headlines.json",)),
    Step("context", reads=("councils.csv", "key_facts.csv", "timeline.csv", "lga_shared_services_map.csv",
                           "conflicting_figures.csv", "council_finance.csv", "sources.csv", "parameters.yaml"),
         exports=("context_headlines.json",)),
    Step("risk", reads=("baseline_costs.csv", "councils.csv", "council_finance.csv", "risk_register.csv",
                        "case_studies.csv", "sources.csv", "parameters.yaml"),
         exports=("risk_headlines.json",), needs=("reference_class.csv",)),
    Step("data_log", reads=("*",), exports=("data_log_headlines.json",)),  # "*": every file in data/
    Step("assumptions_log", reads=("parameters.yaml", "sources.csv", "baseline_costs.csv", "council_finance.csv"),
         exports=("assumptions_log_headlines.json",)),
)
