from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.index, name="index"),
    path("vacancies/<str:number>/", views.vacancy, name="vacancy"),
    path("vacancies/<str:number>/apply", views.apply, name="apply"),
    path("me/", views.profile, name="profile"),
    path("me/register", views.register, name="register"),
    path("me/qualifications", views.qualification_add, name="qualification-add"),
    path("me/cv", views.cv_upload, name="cv"),
    path("me/applications/", views.my_applications, name="my-applications"),
    path("me/applications/<str:number>/<str:action>", views.my_application_act, name="my-act"),
    path("officer/", views.officer, name="officer"),
    path("officer/review/<str:number>", views.review, name="review"),
    path("establishments/<str:cr>/", views.employer_vacancies, name="employer-vacancies"),
    path("establishments/<str:cr>/new", views.post_vacancy, name="post"),
    path("establishments/<str:cr>/<str:number>/", views.employer_vacancy, name="employer-vacancy"),
    path("establishments/<str:cr>/<str:number>/withdraw", views.withdraw, name="withdraw"),
    path(
        "establishments/<str:cr>/<str:number>/<str:application>/<str:action>",
        views.candidate_act,
        name="candidate-act",
    ),
]
