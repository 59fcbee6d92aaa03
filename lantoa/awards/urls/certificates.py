"""URLs for certificates: an award's PDF, a decision's batch, the public verification."""

from django.urls import path

from lantoa.awards.views import certificates

urlpatterns = [
    path(
        "awards/awards/<int:pk>/certificate.pdf",
        certificates.award_certificate,
        name="award_certificate",
    ),
    # GET shows the decision's certificates; POST starts a batch (both names, one page)
    path(
        "awards/decisions/<int:pk>/certificates/",
        certificates.decision_certificates,
        name="decision_certificates",
    ),
    path(
        "awards/decisions/<int:pk>/certificates/",
        certificates.decision_certificates,
        name="certificate_batch_start",
    ),
    path(
        "awards/certificates/batches/<int:pk>/",
        certificates.certificate_batch,
        name="certificate_batch",
    ),
    path(
        "awards/certificates/batches/<int:pk>/progress/",
        certificates.certificate_batch_progress,
        name="certificate_batch_progress",
    ),
    path(
        "awards/certificates/batches/<int:pk>/certificates.zip",
        certificates.certificate_batch_zip,
        name="certificate_batch_zip",
    ),
    path("verify/", certificates.verify, name="verify"),
    path("verify/<str:code>/", certificates.verify_code, name="verify_code"),
]
