from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs themselves up: clients arrive by invitation, clinicians are added by an admin."""

    def is_open_for_signup(self, request) -> bool:
        return False
