"""Labour care's portal pages, under /labour-care/: each area (complaints, absconding,
inspections) adds its pages here, its views in `views/<area>.py`."""

app_name = "labourcare"

urlpatterns: list = []
