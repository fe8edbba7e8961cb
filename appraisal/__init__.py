"""Appraisal of the 3C shared ICT and legal services: data, model and publication pipeline."""
