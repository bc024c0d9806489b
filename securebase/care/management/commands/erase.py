from securebase.care.erasure import domain as erasure
from securebase.care.management.rights import RightsCommand


class Command(RightsCommand):
    help = (
        "Erase a discharged client's record once its retention period has run out: the first run "
        "(by one practice admin) asks, a second run by another admin confirms, and the client's "
        "data key is destroyed. Their words become unreadable; the rows and the audit log stay."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--after-retention",
            action="store_true",
            required=True,
            help="Required: erase only once the retention period has run out (it always checks).",
        )
        parser.add_argument("--withdraw", action="store_true", help="Withdraw the request.")

    def act(self, admin, client, *, withdraw, **options) -> str:
        if withdraw:
            erasure.cancel_erasure(by=admin, client_id=client)
            return "The erasure request was withdrawn."
        if erasure.erasure_case(admin, client).client.erasure_requested_at is None:
            erasure.request_erasure(by=admin, client_id=client)
            return "Erasure asked for. Another practice admin confirms it with the same command."
        erasure.confirm_erasure(by=admin, client_id=client)
        return "Erased: the client's data key is destroyed."
