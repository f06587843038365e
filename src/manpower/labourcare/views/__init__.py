"""Labour care's portal pages, one module per area; `labourcare/urls.py` lists them all."""
