"""URLs of learning from misses: the missed-risk report, and the admins' page."""

from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.safety.learning import views

urlpatterns = [
    path(f"{CARE_TEAM}missed-risk/", views.missed_risk_new, name="missed_risk_new"),
    path("practice/risk-detector/", views.admin_page, name="risk_learning"),
    path("practice/risk-detector/add/", views.admin_add, name="risk_learning_add"),
    path(
        "practice/risk-detector/additions/<str:addition_id>/remove/",
        views.admin_remove,
        name="risk_learning_remove",
    ),
    path(
        "practice/risk-detector/reports/<str:report_id>/close/",
        views.admin_close,
        name="risk_learning_close",
    ),
]
