app_name = "integration"
urlpatterns = []
