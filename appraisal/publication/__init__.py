"""Publication: number formats, numbered figures and tables, downloads, the figures register and releases."""
