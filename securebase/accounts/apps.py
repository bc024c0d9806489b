from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "securebase.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from securebase.accounts import signals  # noqa: F401
