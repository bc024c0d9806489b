from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "securebase.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Django's pattern: connect the receivers once the app registry is ready.
        from securebase.accounts import signals  # noqa: F401, PLC0415
