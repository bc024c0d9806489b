from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2idHasher(Argon2PasswordHasher):
    """Still Argon2id, with parameters cheap enough for a test suite."""

    time_cost = 1
    memory_cost = 64  # KiB: the least Argon2 allows for one lane is 8
    parallelism = 1
