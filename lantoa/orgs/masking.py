"""Masks for private data shown in lists: enough to recognise, not enough to use."""


def mask_phone(value: str) -> str:
    return f"{value[:3]}{'•' * (len(value) - 5)}{value[-2:]}" if len(value) > 5 else ""


def mask_citizen_id(value: str) -> str:
    return f"{'•' * (len(value) - 3)}{value[-3:]}" if len(value) > 3 else ""


def mask_email(value: str) -> str:
    if "@" not in value:
        return ""
    local, _at, domain = value.partition("@")
    return f"{local[:1]}•••@{domain}"
