"""The held-out services' records: one fictional restaurant's company, menu and onboarding row.

Values are fictional; their *shapes* follow the services' public documentation (README.md here).
"""

from __future__ import annotations

from typing import Any

NZBN_KEY = "heldout-nzbn-subscription-key"
FIRECRAWL_KEY = "fc-heldout0123456789abcdef"
UPLOADCARE_PUB_KEY = "heldoutpubkey0000000"
SUPABASE_SERVICE_KEY = "heldout.service.role.jwt"
INTEGRATOR_ID = "CWI_heldout-0000-0000-0000-000000000000"
INTEGRATOR_SECRET = "CWS_heldout-secret"
ADMIN_CODE = "heldout-admin-code"

RESTAURANT = {
    "name": "Kōwhai Noodle Bar",
    "address": "21 Tory Street, Te Aro, Wellington 6011",
    "city": "Wellington",
    "phone": "04 801 2345",
    "email": "Owner@KowhaiNoodle.example.nz",
}

COMPANY_NAME = "KOWHAI NOODLE BAR LIMITED"
COMPANY_NUMBER = "7712345"
NZBN = "9429049876543"
GST = "123-456-789"
COMPANY_EMAIL = "accounts@kowhainoodle.example.nz"
DIRECTOR = ("Mere", "Ann", "Tauroa")  # the active director (a ceased one is listed first)

# NZBN API v5: a full entity (GET /entities/{nzbn}) — every field the v5 definition lists for a
# company, optional ones null or absent as the API gives them; roles as v5 sends them.
ENTITY: dict[str, Any] = {
    "entityStatusCode": "50",
    "entityName": COMPANY_NAME,
    "nzbn": NZBN,
    "entityTypeCode": "LTD",
    "entityTypeDescription": "NZ Limited Company",
    "entityStatusDescription": "Registered",
    "registrationDate": "2019-03-14T00:00:00.000+1300",
    "sourceRegister": "COMPANY",
    "sourceRegisterUniqueIdentifier": COMPANY_NUMBER,
    "lastUpdatedDate": "2025-02-01T10:21:44.000+1300",
    "australianBusinessNumber": None,
    "hibernationStatusCode": None,
    "hibernationStatusDescription": None,
    "businessEthnicityIdentifiers": [],
    "emailAddresses": [
        {
            "uniqueIdentifier": "9001",
            "emailAddress": COMPANY_EMAIL,
            "emailPurpose": "Primary",
            "emailPurposeDescription": "Primary",
            "startDate": "2019-03-14T00:00:00.000+1300",
        }
    ],
    "addresses": {
        "links": [],
        "addressList": [
            {
                "uniqueIdentifier": "9101",
                "startDate": "2019-03-14T00:00:00.000+1300",
                "endDate": None,
                "careOf": None,
                "address1": "Level 1",
                "address2": "21 Tory Street",
                "address3": "Te Aro",
                "address4": "Wellington",
                "postCode": "6011",
                "countryCode": "NZ",
                "addressType": "REGISTERED",
                "pafId": None,
            },
            {
                "uniqueIdentifier": "9102",
                "startDate": "2019-03-14T00:00:00.000+1300",
                "endDate": None,
                "careOf": None,
                "address1": "21 Tory Street",
                "address2": "Te Aro",
                "address3": "Wellington",
                "address4": None,
                "postCode": "6011",
                "countryCode": "NZ",
                "addressType": "SERVICE",
                "pafId": None,
            },
        ],
    },
    "industryClassifications": [
        {
            "uniqueIdentifier": "9201",
            "classificationCode": "H451120",
            "classificationDescription": "Restaurant operation",
        }
    ],
    "phoneNumbers": [
        {
            "uniqueIdentifier": "9301",
            "phonePurpose": None,
            "phonePurposeDescription": None,
            "phoneCountryCode": "64",
            "phoneAreaCode": "04",  # typed by the business, trunk 0 kept
            "phoneNumber": "8012345",
            "startDate": "2019-03-14T00:00:00.000+1300",
        }
    ],
    "websites": [
        {
            "uniqueIdentifier": "9401",
            "url": "https://kowhainoodle.example.nz",
            "websitePurpose": None,
            "startDate": "2019-03-14T00:00:00.000+1300",
        }
    ],
    "tradingNames": [
        {
            "uniqueIdentifier": "9501",
            "name": "Kōwhai Noodle Bar",
            "startDate": "2019-03-14T00:00:00.000+1300",
            "endDate": None,
        }
    ],
    "gstNumbers": [
        {
            "uniqueIdentifier": "9601",
            "gstNumber": GST,
            "purpose": None,
            "startDate": "2019-04-01T00:00:00.000+1300",
        }
    ],
    "tradingAreas": [],
    "company-details": {
        "annualReturnFilingMonth": 3,
        "financialReportFilingMonth": None,
        "nzsxCode": None,
        "annualReturnLastFiled": "2025-03-02T00:00:00.000+1300",
        "hasConstitutionFiled": False,
        "countryOfOrigin": "NZ",
        "overseasCompany": "false",
        "extensiveShareholding": False,
        "stockExchangeListed": None,
        "removalCommenced": False,
        "shareholding": {
            "numberOfShares": 100,
            "shareAllocation": [
                {
                    "allocation": 100,
                    "shareholder": [
                        {
                            "type": "Individual",
                            "appointmentDate": "2019-03-14T00:00:00.000+1300",
                            "individualShareholder": {
                                "firstName": DIRECTOR[0],
                                "middleNames": DIRECTOR[1],
                                "lastName": DIRECTOR[2],
                                "fullName": " ".join(DIRECTOR).upper(),
                            },
                            "otherShareholder": None,
                            "shareholderAddress": None,
                        }
                    ],
                }
            ],
        },
        "ultimateHoldingCompany": None,
    },
    "supporting-information": None,
    "non-company-details": None,
}


# GET /entities/{nzbn}/roles — the full entity above carries no ``roles`` (like a verbatim v5 record);
# role objects as a v5 integration guide tested against production shows them: roleType "DIR",
# roleTypeDescription "Director", roleStatus "Current", an endDate on a ceased role.
ROLES: list[dict[str, Any]] = [
    {
        "uniqueIdentifier": "9701",
        "roleType": "DIR",
        "roleTypeDescription": "Director",
        "roleStatus": None,
        "startDate": "2019-03-14T00:00:00.000+1300",
        "endDate": "2021-06-30T00:00:00.000+1200",
        "rolePerson": {"title": None, "firstName": "Hemi", "middleNames": None, "lastName": "Walker"},
        "roleEntity": None,
        "roleAddress": [],
    },
    {
        "uniqueIdentifier": "9702",
        "roleType": "DIR",
        "roleTypeDescription": "Director",
        "roleStatus": "Current",
        "startDate": "2019-03-14T00:00:00.000+1300",
        "endDate": None,
        "rolePerson": {
            "title": None,
            "firstName": DIRECTOR[0],
            "middleNames": DIRECTOR[1],
            "lastName": DIRECTOR[2],
        },
        "roleEntity": None,
        "roleAddress": [
            {
                "address1": "4 Kauri Street",
                "address2": "Miramar",
                "address3": "Wellington",
                "postCode": "6022",
                "countryCode": "NZ",
            }
        ],
    },
    {
        "uniqueIdentifier": "9703",
        "roleType": "SHR",
        "roleTypeDescription": "Shareholder",
        "roleStatus": "Current",
        "startDate": "2019-03-14T00:00:00.000+1300",
        "endDate": None,
        "rolePerson": {
            "title": None,
            "firstName": DIRECTOR[0],
            "middleNames": DIRECTOR[1],
            "lastName": DIRECTOR[2],
        },
        "roleEntity": None,
        "roleAddress": [],
    },
]


def search_item(entity: dict[str, Any]) -> dict[str, Any]:
    """A v5 search result item: the summary fields, no addresses, no roles."""
    return {
        "entityStatusCode": entity["entityStatusCode"],
        "entityName": entity["entityName"],
        "nzbn": entity["nzbn"],
        "entityTypeCode": entity["entityTypeCode"],
        "entityTypeDescription": entity["entityTypeDescription"],
        "entityStatusDescription": entity.get("entityStatusDescription"),
        "tradingNames": [
            {"name": t["name"], "startDate": t["startDate"], "endDate": t["endDate"]}
            for t in entity.get("tradingNames") or []
        ],
        "classifications": [
            {
                "classificationCode": c["classificationCode"],
                "classificationDescription": c["classificationDescription"],
            }
            for c in entity.get("industryClassifications") or []
        ],
        "previousEntityNames": [],
        "registrationDate": entity["registrationDate"],
        "sourceRegisterUniqueId": entity["sourceRegisterUniqueIdentifier"],
        "links": [{"rel": "self", "href": f"/entities/{entity['nzbn']}", "type": "GET"}],
    }


def _other(i: int) -> dict[str, Any]:
    """Other entities the name search also finds (the register is fuzzy): 72 of them, so two pages."""
    words = ["KOWHAI", "NOODLE", "BAR"][i % 3]
    return {
        "entityStatusCode": "80" if i % 4 == 0 else "50",
        "entityName": f"{words} {('HOLDINGS', 'TRADING', 'GROUP', 'PROPERTIES')[i % 4]} {i} LIMITED",
        "nzbn": f"94290{i:08d}",
        "entityTypeCode": "LTD",
        "entityTypeDescription": "NZ Limited Company",
        "entityStatusDescription": "Removed" if i % 4 == 0 else "Registered",
        "registrationDate": "2001-01-01T00:00:00.000+1300",
        "sourceRegister": "COMPANY",
        "sourceRegisterUniqueIdentifier": f"{100000 + i}",
        "tradingNames": [],
        "industryClassifications": [],
    }


ENTITIES: list[dict[str, Any]] = [ENTITY] + [_other(i) for i in range(72)]

# Firecrawl json-format output for the Companies Office search page: what an LLM fills in from
# the schema the client sent — fields it did not see are absent or null, as Firecrawl returns them.
OFFICE_ADDRESS_RESULTS = {
    "companies": [
        {
            "company_name": COMPANY_NAME,
            "company_number": COMPANY_NUMBER,
            "nzbn": NZBN,
            "status": "Registered",
            "incorporation_date": "14 Mar 2019",
            "registered_address": "Level 1, 21 Tory Street, Te Aro, Wellington, 6011, NZ",
        },
        {
            "company_name": "TORY STREET PROPERTIES LIMITED",
            "company_number": "556677",
            "nzbn": None,
            "status": "Registered",
        },
    ],
    "total_results": 2,
}

MENU_JSON = {  # answers the client's own schema (Firecrawl's json format follows the schema sent)
    "categories": [
        {
            "name": "Noodles",
            "items": [
                {
                    "name": "Dan Dan Noodles",
                    "price": 18.5,
                    "description": "Pork mince, chilli oil, peanuts",
                    "image_url": "{site}/img/dan-dan.jpg",
                },
                {
                    "name": "Kōwhai Laksa",
                    "price": 21,
                    "image_url": "{site}/img/laksa.jpg",
                    "option_sets": [
                        {
                            "name": "Spice",
                            "required": True,
                            "min_selections": 1,
                            "max_selections": 1,
                            "options": [{"name": "Mild", "price": 0}, {"name": "Hot", "price": 0}],
                        }
                    ],
                },
            ],
        },
        {"name": "Sides", "items": [{"name": "Pork Buns (2)", "price": 9}]},
    ],
}

BRAND = {"primary": "#C8102E", "accent": "#F2A900", "background": "#111111"}

ONBOARDING_COLUMNS = (
    "id",
    "user_id",
    "email",
    "name",
    "onboarding_status",
    "created_at",
    "updated_at",
    "restaurant_name",
    "trading_name",
    "organisation_name",
    "restaurant_id",
    "address",
    "phone",
    "contact_person",
    "director_mobile_number",
    "director_name",
    "venue_operating_hours",
    "primary_color",
    "secondary_color",
    "facebook_url",
    "instagram_url",
    "stripe_connect_link",
    "logo_url",
    "nzbn",
    "company_name",
    "gst_number",
    "google_oauth_client_id",
)
ONBOARDING_ID = "5b0f3c8e-6a1d-4e36-9f0c-3f8f0a7d2b11"


def onboarding_row() -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(ONBOARDING_COLUMNS)
    row.update(
        id=ONBOARDING_ID,
        user_id="2e7c1d35-90ab-4f6e-8d44-1c2b3a4d5e6f",
        email=RESTAURANT["email"].lower(),
        name="Mere Tauroa",
        onboarding_status="pending",
        created_at="2026-11-30T21:04:11.123456+00:00",
    )
    return row
