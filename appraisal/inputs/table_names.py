"""The data tables in `data/`, in the order they are read and reported. Each has a schema in
appraisal.inputs.schemas (tests/test_checked_tables_store.py checks the two lists agree); this list is apart from
the schemas so that reading tables already checked needs no schema library."""
TABLES = ("sources.csv", "councils.csv", "baseline_costs.csv", "council_finance.csv", "lga_shared_services_map.csv",
          "key_facts.csv", "timeline.csv", "conflicting_figures.csv", "case_studies.csv", "case_study_outcomes.csv",
          "one_off_costs.csv", "typical_savings.csv", "risk_register.csv")
