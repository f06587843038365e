app_name = "labourcards"
urlpatterns = []
