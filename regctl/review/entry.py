"""Checks for details a person types by hand (select_company's manual entry).

Each checker takes the typed text and returns an error message, or None when the text is fine;
an empty text is fine (the field is optional) unless the caller says otherwise. :func:`normal`
gives the value to record (a phone or NZBN without its spaces).

The rules, and where they come from:
- e-mail: one ``@``, something before it, a dotted domain after it, no spaces (what the platform's
  registration form and the onboarding database accept as an address — not the full RFC 5322);
- NZ phone: digits after removing spaces, dashes, dots and brackets; ``+64``/``0064`` becomes ``0``;
  then ``0`` and 8 to 10 digits (landlines ``09 376 1234``, mobiles ``021 123 4567``, ``0800``
  numbers) — the New Zealand numbering plan's national lengths;
- NZBN: 13 digits (spaces allowed), beginning ``94`` (New Zealand's GS1 prefix). The GS1 check digit
  is not enforced: the sandbox's fictional NZBNs do not carry one (docs/review.md);
- company number: the Companies Office's number, 1 to 8 digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["CHECKS", "check_company_number", "check_email", "check_nz_phone", "check_nzbn", "normal"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_PHONE_NOISE = re.compile(r"[\s\-.()]")


def check_email(text: str) -> str | None:
    if not text or _EMAIL.match(text.strip()):
        return None
    return "not an e-mail address (expected name@example.co.nz)"


def _phone_digits(text: str) -> str:
    digits = _PHONE_NOISE.sub("", text.strip())
    for prefix in ("+64", "0064"):
        if digits.startswith(prefix):
            return "0" + digits[len(prefix):]
    return digits


def check_nz_phone(text: str) -> str | None:
    if not text:
        return None
    digits = _phone_digits(text)
    if digits.isdigit() and digits.startswith("0") and 9 <= len(digits) <= 11:
        return None
    return "not a New Zealand phone number (expected e.g. 09 376 1234, 021 123 4567 or +64 9 376 1234)"


def check_nzbn(text: str) -> str | None:
    if not text:
        return None
    digits = text.replace(" ", "")
    if digits.isdigit() and len(digits) == 13 and digits.startswith("94"):
        return None
    return "an NZBN is 13 digits beginning 94 (e.g. 9429040791900)"


def check_company_number(text: str) -> str | None:
    if not text:
        return None
    if text.strip().isdigit() and len(text.strip()) <= 8:
        return None
    return "a company number is 1 to 8 digits (e.g. 5103700)"


CHECKS: dict[str, Callable[[str], str | None]] = {
    "contact_email": check_email,
    "contact_phone": check_nz_phone,
    "nzbn": check_nzbn,
    "company_number": check_company_number,
}


def normal(field: str, text: str) -> str:
    """The value to record for ``field``: trimmed; a phone's or NZBN's spaces removed."""
    text = text.strip()
    if field == "nzbn":
        return text.replace(" ", "")
    if field == "contact_phone":
        return " ".join(text.split())
    return text
