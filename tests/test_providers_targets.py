"""targets: production profiles from REGCTL_TARGET_<PROFILE>_…, the sandbox, missing credentials."""

from __future__ import annotations

import pytest

from regctl.errors import ConfigError
from regctl.targets import SANDBOX_URL_ENV, missing_credentials, resolve_target

ENV = {
    "REGCTL_TARGET_PROD_NZ_COMPANY_REGISTER_URL": "https://api.business.govt.nz/gateway/nzbn/v5/",
    "REGCTL_TARGET_PROD_NZ_COMPANY_REGISTER_KEY": "very-secret-nzbn",
    "REGCTL_TARGET_PROD_NZ_EXTRACTION_API_URL": "https://api.firecrawl.dev",
    "REGCTL_TARGET_PROD_NZ_TIMEZONE": "Wellington",
}


def test_profile_from_environment() -> None:
    target = resolve_target("prod-nz", ENV)
    register = target.system("company_register")
    assert register.url == "https://api.business.govt.nz/gateway/nzbn/v5"
    assert register.credential("key") == "very-secret-nzbn"
    assert target.timezone == "Wellington" and target.currency == "NZD"
    assert "very-secret-nzbn" not in repr(target)


def test_missing_credentials_name_the_variables_not_values() -> None:
    missing = missing_credentials(resolve_target("prod-nz", ENV))
    assert "REGCTL_TARGET_PROD_NZ_EXTRACTION_API_KEY" in missing
    assert "REGCTL_TARGET_PROD_NZ_ADMIN_PORTAL_URL" in missing  # per deployment: no default
    assert "REGCTL_TARGET_PROD_NZ_PLATFORM_API_URL" not in missing  # the real default URL
    assert "REGCTL_TARGET_PROD_NZ_COMPANY_REGISTER_KEY" not in missing
    with pytest.raises(ConfigError, match="REGCTL_TARGET_PROD_NZ_EXTRACTION_API_KEY"):
        resolve_target("prod-nz", ENV).system("extraction_api").credential("key")


def test_a_profile_uses_the_real_services_urls_by_default() -> None:
    target = resolve_target("prod-nz", ENV)
    assert target.system("image_cdn").url == "https://upload.uploadcare.com"
    assert target.system("image_cdn_files").url == "https://ucarecdn.com"  # files are not on the upload host
    assert target.system("platform_api").url == "https://api.cloudwaitress.com"
    assert target.system("extraction_api").url == "https://api.firecrawl.dev"  # the profile's own value


def test_unknown_profile_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="REGCTL_TARGET_NOWHERE_"):
        resolve_target("nowhere", {})


def test_sandbox_from_url_has_every_credential() -> None:
    target = resolve_target("sandbox", {SANDBOX_URL_ENV: "http://127.0.0.1:5999/"})
    assert target.system("company_register").url == "http://127.0.0.1:5999/nzbn/v5"
    assert target.system("extraction_api").url == "http://127.0.0.1:5999/firecrawl"
    assert target.system("image_cdn_files").url == "http://127.0.0.1:5999/ucarecdn"
    assert [m for m in missing_credentials(target) if "marketing_hub" not in m] == []
