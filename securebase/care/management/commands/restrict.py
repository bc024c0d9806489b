from securebase.care.erasure import domain as erasure
from securebase.care.management.rights import RightsCommand


class Command(RightsCommand):
    help = (
        "Restrict the processing of a client's record at their request: it is kept and the care "
        "team can read it, but the programme is paused and nothing new is saved. --lift ends it."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--lift", action="store_true", help="Lift the restriction.")

    def act(self, admin, client, *, lift, **options) -> str:
        if lift:
            erasure.lift_restriction_of(by=admin, client_id=client)
            return "The restriction was lifted."
        erasure.restrict_record(by=admin, client_id=client)
        return "The record is restricted: kept, but nothing new is saved."
