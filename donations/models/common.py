"""What the donation models share: the public name of anonymous donors, the message length
and the generators of public, reference and check codes.
"""

import secrets

MESSAGE_MAX_LENGTH = 200
# What the public sees instead of the name of a donor who gives anonymously (UX.md).
ANONYMOUS_NAME = "爱心人士"

# Reference and check codes are read aloud and typed from paper: no 0/O, 1/I/L.
_READABLE = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_donation_code() -> str:
    """The secret part of a donation's public page address (the donor's "link to keep")."""
    return secrets.token_urlsafe(15)


def new_reference_code() -> str:
    """What a donor writes in the remark of a bank transfer so staff can match it."""
    return "JZ" + "".join(secrets.choice(_READABLE) for _ in range(8))


def new_check_code() -> str:
    return "".join(secrets.choice(_READABLE) for _ in range(8))
