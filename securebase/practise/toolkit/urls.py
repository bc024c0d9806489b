from django.urls import path

from securebase.practise.toolkit import views

urlpatterns = [
    path("home/toolkit/", views.toolkit_home, name="toolkit_home"),
    path("home/toolkit/breathing/", views.breathing, name="toolkit_breathing"),
    path("home/toolkit/grounding/", views.grounding, name="toolkit_grounding"),
    path("home/toolkit/rituals/", views.rituals, name="rituals"),
    path("home/toolkit/rituals/new/", views.ritual_new, name="ritual_new"),
    path("home/toolkit/rituals/<str:ritual_id>/", views.ritual_edit, name="ritual_edit"),
    path("home/toolkit/rituals/<str:ritual_id>/use/", views.ritual_use, name="ritual_use"),
    path("home/toolkit/reframes/", views.reframes, name="reframes"),
    path("home/toolkit/reframes/new/", views.reframe_new, name="reframe_new"),
    path("home/toolkit/requests/", views.requests_list, name="requests"),
    path("home/toolkit/requests/new/", views.request_new, name="request_new"),
    path("home/toolkit/requests/<str:request_id>/", views.request_detail, name="request_detail"),
]
