"""The build: change detection, notebook execution, staging, the site and the PDF."""
