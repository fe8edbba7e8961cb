"""The build: validate inputs, run chapter notebooks with papermill, build the site with Jupyter Book."""
