"""How a staff member's name is written on pages, receipts, certificates and e-mails."""


def display_name(user) -> str:
    """Family name first with no space, as Chinese names are written (王丽娟); the username
    when the account has no name."""
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()
