"""One module per chapter: `compute(inputs)` returns everything the chapter shows."""
