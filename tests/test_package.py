"""The package's public surface holds together."""

import regctl
from regctl import errors


def test_version_is_set() -> None:
    assert regctl.__version__


def test_errors_all_is_complete() -> None:
    public = {n for n in dir(errors) if not n.startswith("_") and isinstance(getattr(errors, n), type)}
    assert set(errors.__all__) == public - {"annotations"}


def test_cancelled_escapes_except_exception() -> None:
    try:
        try:
            raise errors.Cancelled()
        except Exception:
            raise AssertionError("Cancelled was swallowed") from None
    except errors.Cancelled:
        pass
