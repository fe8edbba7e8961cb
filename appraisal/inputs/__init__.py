"""Inputs: reading and checking the data tables and the parameters file, and recording what a chapter reads."""
