"""Where things are on the real admin portal: one locator table per page (reference = §-numbers of
/work/shared/reference/real-portal-pages.md; tags [R] real run, [P] production script, [F] fallback,
[N] note, [I] inference).

**Stable API** for the other page modules (menus, hub): everything re-exported from
:mod:`regctl.steps.portal.locate` (``Find``, ``Loc``, ``PageTable``, ``register``, ``resolve``,
``probe``, ``set_drift_hook``, ``wait_loader_gone``, ``wait_url_on_host``, …) and the table names
below. Tables are only ever added to or mended; keys are not renamed.

Rules: a primary locator goes by what the user sees — a role and name, a visible text, or the text
of a field's label (:func:`field`) — unless the reference shows no such text for the element (e.g.
the sidebar is icons only, the address box has no recorded label); then the evidenced structure is
the primary. Styled-components classes (``section__SettingsSectionWrapper-VLcLJ gVhfCf``) change
with the portal's builds and appear only as fallbacks or where nothing else is evidenced. No id or
class appears here that the reference does not show (tests/test_portal_locators.py).

``{param}`` placeholders are filled by :func:`resolve`'s keyword arguments; ``probe_params`` are the
values ``regctl doctor --portal`` uses to check a parametrised locator without changing anything.
"""

from __future__ import annotations

from regctl.steps.portal.locate import (
    LOADER_TIMEOUT_MS,
    DriftHook,
    Find,
    Kind,
    Loc,
    PageTable,
    Resolution,
    css,
    drift_hook_of,
    drift_message,
    field,
    probe,
    register,
    resolve,
    role,
    set_drift_hook,
    table,
    tables,
    text,
    url_glob,
    wait_loader_gone,
    wait_present,
    wait_url_on_host,
    xpath,
)

__all__ = [
    "COLOUR_PICKER",
    "CREATE",
    "DASHBOARD",
    "DEVELOPERS",
    "INTEGRATIONS",
    "LOADER_TIMEOUT_MS",
    "LOGIN",
    "MODAL",
    "OPEN_SECTION",
    "PAYMENTS",
    "RESTAURANT",
    "SELECTADV",
    "SERVICES",
    "SETTINGS",
    "SETTINGS_TABS",
    "UPLOADCARE",
    "WEBSITE",
    "DriftHook",
    "Find",
    "Kind",
    "Loc",
    "PageTable",
    "Resolution",
    "css",
    "drift_hook_of",
    "drift_message",
    "field",
    "probe",
    "register",
    "resolve",
    "role",
    "set_drift_hook",
    "table",
    "tables",
    "text",
    "url_glob",
    "wait_loader_gone",
    "wait_present",
    "wait_url_on_host",
    "xpath",
]

# Structural prefixes the reference repeats (§1.5, §9).
CONTENT = "#scroll-root > div > div > div > div > div"
SECTION_WRAPPER = f"{CONTENT} > div.section__SettingsSectionWrapper-VLcLJ.gVhfCf"
OPEN_BLOCK = "div.block__Block-ljvlRq.epsQby > div.block__Content-bopatn.lbcjnQ"
GROUP = "div.group__FormGroupContent-ccjnpO.kpPgpj"
SELECTADV_OPTIONS = "div.selectadv__Dropdown-eSUwYi.dtQnDO > div"

SA_WRAPPER = "div[starts-with(@class, 'selectadv__Wrapper-')]"  # xpath steps for field(): class prefixes
SA_INNER = "div[starts-with(@class, 'selectadv__WrapperInner-')]"
SWATCH = "div[starts-with(@class, 'colorpicker__SwatchWrapper-')]"
SERVICE_ROW = "form > div > div > div > div > div > div:nth-child({row}) > div"

SETTINGS_TABS = ("System", "Services", "Payments", "Website", "Integrations")  # [P] §9, in order

LOGIN = register(PageTable("login", "Login (/login)", "§3.2", (
    Loc("email", "the e-mail input", css('input[type="email"]', "[P] §3.2 LR:182"),
        (css("input#email", "[F] §3.2 SY:218"),)),
    Loc("password", "the password input", css('input[type="password"]', "[P] §3.2 LR:186"),
        (css("input#password", "[F] §3.2 SY:219"),)),
    Loc("submit", "the login button", css('button[type="submit"]', "[P] §3.2 LR:194 U"),
        (role("button", "Login", "[F] §3.2 IM:198"), role("button", "Log in", "[F] §3.2 SY:222"),
         role("button", "Sign In", "[F] §3.2 IM:198"))),
)))

DASHBOARD = register(PageTable("dashboard", "Restaurant list (/, \"Dashboard\")", "§3.3, §15", (
    Loc("loader", "the loading cover", css(".cover-loader", "[P] §3.2 LR:218-221"), probe=False),
    Loc("names", "the restaurant names", css("h4", "[P] §3.3 LR:807-834"), probe=False),
    Loc("item", "restaurant list item {i}", css("#restaurant-list-item-{i}", "[P] §3.3 LR:834"),
        probe_params={"i": 0}, probe=False),
    Loc("manage", "the Manage button of the list item", role("button", "Manage", "[P] §3.3 LR:834"),
        (css("div.flex-line.centered.child-mr-10.m-t-2 > button:first-child", "[F] §3.3 IMb:214"),),
        probe=False),
    Loc("create", "the Create New Restaurant button",
        role("button", "Create New Restaurant", "[R] §3.3 SES:8 LR:233 U"),
        (role("button", "Add Restaurant", "[F] §3.3 LR:238"),
         role("button", "New Restaurant", "[F] §3.3 LR:238"),
         role("link", "Add Restaurant", "[F] §3.3 LR:238"))),
    Loc("developers", "the Developers link of the top nav",
        role("link", "Developers", "[N] §15 finalise-setup.md:91"),
        (css("#scroll-root > div > div > menu > div > div:nth-child(1) > nav > a:nth-child(4)",
             "[P] §15 AK:177 U"),)),
)))

CREATE = register(PageTable("create", "Create New Restaurant (modal over /)", "§4, §20.3", (
    Loc("form", "the create-restaurant form", css("form", "[P] §4 LR:255-261")),
    Loc("name", "the restaurant name input", css('form input[type="text"]', "[P] §4 LR:267", nth=0)),
    Loc("subdomain", "the subdomain input group",
        css("div.inputgroup__InputGroupField-cWVTlp.ezKAHp", "[R] §4 LR:286 SES:8 U")),
    Loc("subdomain_input", "the subdomain input",
        css("div.inputgroup__InputGroupField-cWVTlp.ezKAHp input", "[P] §4 LR:300"),
        (css('form input[type="text"]', "[P] §4 LR:305", nth=1),)),
    Loc("google_maps", "the Google Maps choice", role("button", "Google Maps", "[R] §4 LR:318 SES:8"),
        (css('label:has-text("Google Maps")', "[F] §4 SEL:45"),)),
    Loc("address", "the address search box",
        css(f"form > div:nth-child(4) > div > {GROUP} > div > div.selectasync__WrapperInner-fSgFTI.eMHWRb",
            "[P] §4 LR:331 U"),
        (css("div.selectasync__WrapperInner-fSgFTI", "[P] §4 LR:338"),)),
    Loc("address_dropdown", "the address suggestions", css("div.selectasync__Dropdown-bYdgnM.dIqlbY",
                                                           "[P] §4 LR:353"), probe=False),
    Loc("address_option", "an address suggestion",
        css("div.selectasync__DropdownOption-gQpgNZ", "[P] §4 LR:366"),
        probe=False),
    Loc("phone", "the phone input", field("Phone Number", "[P] §4 LR:397"),
        (css('input[type="tel"]', "[P] §4 LR:394"),)),
    Loc("add_slot", "the Add Time Slot button", role("button", "Add Time Slot", "[R] §4 LR:457 SES:8 U")),
    Loc("day_selects", "the day selects of the opening hours",
        css('select:has(option:has-text("Monday"))', "[R] §4 LR:475 SES:8")),
    Loc("times", "the opening-hours time inputs", css('form > div:nth-child(6) input[type="text"]',
                                                      "[R] §4 LR:492 SES:8")),
    Loc("locale", "the System Locale dropdown",
        field("System Locale", "[P] §4 LR:545", SA_WRAPPER),
        (css(f"form > div:nth-child(7) > div > {GROUP} > div", "[P] §4 LR:556 U"),)),
    Loc("timezone", "the Timezone dropdown",
        field("Timezone", "[P] §4 LR:579", SA_WRAPPER),
        (css(f"form > div:nth-child(9) > div > {GROUP} > div", "[P] §4 LR:590 U"),)),
    Loc("currency", "the Currency dropdown",
        field("Currency", "[P] §4 LR:613", SA_WRAPPER),
        (css(f"form > div:nth-child(12) > div > {GROUP} > div", "[P] §4 LR:624 U"),)),
    Loc("tax", "the Tax in Prices toggle", field("Tax in Prices", "[P] §4 LR:647", "label"),
        (css(f"form > div:nth-child(13) > div > {GROUP} > div > label", "[P] §4 LR:659 U"),
         css('label:has(span:has-text("Off"))', "[F] §4 RP:640"))),
    Loc("submit", "the Create Restaurant button", css("form > button", "[P] §4 LR:674 U"),
        (role("button", "Create Restaurant", "[F] §4 SEL:76"),)),
)))

SELECTADV = register(PageTable("selectadv", "selectadv / selectasync dropdowns (shared)", "§1.9, §4", (
    Loc("options", "the options of the open dropdown", css(SELECTADV_OPTIONS, "[P] §4 LR:567"),
        (css("div.selectadv__DropdownOption-bmnJxJ", "[P] §12 FO:528"),), probe=False),
    Loc("icon", "the dropdown's open icon", css("div.selectadv__InputIcon-dZhktu.PrPXn", "[P] §10 SY:1022"),
        probe=False),
)))

RESTAURANT = register(PageTable("restaurant", "Restaurant management (/restaurant/RES…)", "§5", (
    # The sidebar is icons ("the 4th icon … fork and knife", IM:418): no visible text to go by.
    Loc("nav_settings", "the Settings link of the sidebar", css("#nav-link-settings", "[P] §5 SV:327"),
        (css('nav a:has-text("Settings")', "[F] §5 SV:350"), css('a[href*="settings"]', "[F] §5 SV:360"))),
    Loc("nav_menus", "the Menus link of the sidebar", css("#nav-link-menus", "[P] §5 IM:421"),
        (css('aside a[href*="/menu"], nav a[href*="/menu"]', "[F] §5 IM:425"),)),
    Loc("nav_view_store", "the View Store link of the sidebar",
        css("#nav-link-view-store", "[P] §5 WD:1423")),
    Loc("scroll_root", "the scroll container", css("#scroll-root", "[P] §1.5 SV:490")),
    Loc("top_nav", "the sticky top nav", css("menu.topnav__WrapperComponent-cVhDxE.eLvhDr", "[R] §9 SES:12")),
)))

SETTINGS = register(PageTable("settings", "Settings shell (tabs, sections, the open block)", "§9", (
    Loc("tab", "the {name} tab of Settings", text("{name}", "[P] §9 SV:389"),
        (css('[class*="TabSelectComponent"] :text-is("{name}")', "[P] §9 NAV-website-settings:178"),
         css('button:has-text("{name}")', "[F] §9 SV:403")), probe_params={"name": "System"}),
    Loc("section", "the {title} section header", text("{title}", "[P] §11 WD:576"),
        (css(f"{SECTION_WRAPPER} > div > div:nth-child({{n}})", "[P] §9 SV:432"),),
        probe_params={"title": "General Settings", "n": 2}),
    Loc("open_block", "the open section's content",
        css(f"{SECTION_WRAPPER} > div > {OPEN_BLOCK}", "[P] §9 SV:457"),
        (css(OPEN_BLOCK, "[P] §9"),), probe=False),
    Loc("save", "the Save button of the open section", role("button", "Save", "[P] §11.1 WD:676"),
        (css("form > div > button", "[P] §9 WD:676 SV:478"),), probe=False),
    Loc("inner_tab", "the {name} tab of the open section", text("{name}", "[P] §12 SV:441"),
        (css("#{bar}-tab-options-tab-select-content > div.components__TabSelectOptionsComponent-USxIn.cCRcoK"
             " > div:nth-child({n}) > div", "[P] §9 §12 SV:631"),), probe=False),
)))

MODAL = register(PageTable("modal", "Modals (id ending in -content)", "§1.10, §20.8", (
    Loc("modal", "the open modal", css('[id$="-content"]', "[P] §13 ST:445")),
    Loc("content", "the modal's content", css("div.content__Content-hOzsB.UWPkM", "[P] §6.2 IM:476"),
        probe=False),
    Loc("close", "the modal's close button", css(".modal__CloseButton-ciHmJi", "[P] §14 FO:459 U")),
)))

COLOUR_PICKER = register(PageTable("colour_picker", "Colour picker (shared: Website, Item Tags)", "§11.2", (
    Loc("swatch", "the colour swatch of {label}",
        field("{label}", "[P] §11.1 WD:628", SWATCH),
        (css(f"form > div > div:nth-child({{k}}) > div > {GROUP} > div > "
             "div.colorpicker__SwatchWrapper-kmfhwV.hqNLmj",
             "[P] §11.1 WD:628"),), probe_params={"label": "Primary", "k": 1}, probe=False),
    Loc("popover", "the open colour picker",
        css("div.colorpicker__DropWrapper-hDQMcy.cAaOXs", "[P] §11.2 WD:629"),
        probe=False),
    Loc("hex", "the hex input of the open colour picker",
        css("div.colorpicker__DropWrapper-hDQMcy.cAaOXs div.flexbox-fix input", "[P] §11.1 WD:629 U"),
        (css('input[type="text"][value^="#"]', "[F] §11.1 WD:649"),), probe=False),
)))

UPLOADCARE = register(PageTable("uploadcare", "Uploadcare dialog (shared)", "§11.3", (
    Loc("dialog", "the Uploadcare dialog", css(".uploadcare--dialog", "[P] §11.3 WD:844"), probe=False),
    Loc("choose", "the Choose a local file button", role("button", "Choose a local file", "[P] §11.3 WD:857"),
        (css('button:has-text("Choose a local file")', "[P] §11.3 WD:857"),), probe=False),
    Loc("preview", "the uploaded preview", css(".uploadcare--preview__image", "[P] §11.3 WD:900"),
        (css('img[src*="ucarecdn.com"]', "[P] §11.3 WD:900"),), probe=False),
    Loc("add", "the Add button of the dialog", role("button", "Add", "[P] §11.3 WD:905"),
        (role("button", "Done", "[P] §11.3 WD:910"),), probe=False),
    Loc("error", "the upload error", text("Something went wrong during the upload", "[P] §11.3 WD:872",
                                          exact=False), probe=False),
    Loc("retry", "the Please try again button", role("button", "Please try again", "[P] §11.3 WD:880"),
        probe=False),
)))

def _rows(row: str, evidence: str) -> tuple[Loc, ...]:
    """The row controls of a settings form whose rows are ``{row}:nth-child(N)`` (§1.8, §9):
    found by their label text first, by position second."""
    at = f"{row}:nth-child({{row}}) > div > {GROUP}"
    return (
        Loc("input", "the {label} input", field("{label}", evidence),
            (css(f"{at} input", evidence),), probe=False),
        Loc("toggle", "the {label} toggle", field("{label}", evidence, "label"),
            (css(f"{at} > div > label", evidence),), probe=False),
        Loc("selectadv", "the {label} dropdown", field("{label}", evidence, SA_WRAPPER),
            (css(f"{at} > div", evidence),), probe=False),
        Loc("select", "the {label} select", field("{label}", evidence, "select"),
            (css(f"{at} > select", evidence),), probe=False),
        Loc("upload", "the upload button of {label}", field("{label}", evidence, "button"),
            (css(f"{at} button:nth-child(1)", evidence),), probe=False),
        Loc("textarea", "the code textareas", css("textarea", "[P] §11.1 WD:1357"), probe=False),
    )


WEBSITE = register(PageTable("settings.website", "Settings → Website", "§11", (
    Loc("themes", "the Themes section header", text("Themes", "[P] §11 WD:576"),
        (css(f"{SECTION_WRAPPER} > div > div:nth-child(2)", "[P] §11 WD:580"),)),
    Loc("theme_button", "the {theme} button", role("button", "{theme}", "[P] §11.1 WL:588"),
        (css(f"{OPEN_BLOCK} > div > div > div > div > button:nth-child({{n}})", "[P] §11.1 WL:588"),),
        probe_params={"theme": "Light Theme", "n": 2}, probe=False),
    Loc("font", "the {label} font dropdown", field("{label}", "[I] §11.1", SA_INNER),
        (css(f"form > div > div:nth-child({{row}}) > div > {GROUP} > div > "
             "div.selectadv__WrapperInner-iDIBDX.WOtfi", "[P] §11.1 WD:717"),), probe=False),
    Loc("logo_preview", "the uploaded logo", css(f"form > div > div:nth-child(3) > div > {GROUP} > a > img",
                                                 "[P] §11.1 WD:935"), probe=False),
    *_rows("form > div > div", "[P] §11.1 WD:628"),
)))

SERVICES = register(PageTable("settings.services", "Settings → Services", "§12", (
    Loc("pickups", "the Pickups section header", text("Pickups", "[P] §12 SV:432"),
        (css(f"{SECTION_WRAPPER} > div > div:nth-child(1)", "[P] §12 SV:432"),)),
    Loc("auto_status", "the {label} auto-status toggle", field("{label}", "[P] §12 SV:519", "div"),
        (css(f"form > div > div > div > div > div > div:nth-child(2) > div > {GROUP} > "
             "div:nth-child({k}) > div", "[P] §12 SV:519"),), probe=False),
    Loc("provider", "the Default Delivery Provider dropdown",
        field("Default Delivery Provider", "[P] §12 FO:514", SA_WRAPPER),
        (css("div.selectadv__Wrapper-cKWklP > div.selectadv__InputIcon-dZhktu.PrPXn", "[P] §12 FO:514"),),
        probe=False),
    Loc("checkout_delete", "the delete buttons of the checkout fields",
        css("div.preview__FieldActions-fEoEZR.jZeUTf > button:first-child", "[P] §12 SV:807"), probe=False),
    *_rows("form > div > div > div > div > div > div", "[P] §12 SV:457"),
)))

PAYMENTS = register(PageTable("settings.payments", "Settings → Payments", "§13", (
    Loc("add_method", "the Add Payment Method control", text("Add Payment Method", "[P] §13 ST:437"),
        (css(f"{SECTION_WRAPPER} > div > div.heading__SettingsSectionHeading-gINcTH.hDzVir.flex-l-r-center"
             " > div.flex-line.centered.cursor", "[P] §13 ST:437"),)),
    Loc("stripe_option", "the Stripe option of the Add Payment Method modal",
        text("Stripe", "[I] §13 ST:445"),
        (css('div[id$="-content"] > div:nth-child(4) > div > div:nth-child(1)', "[P] §13 ST:445"),),
        probe=False),
    Loc("add_method_button", "the Add Method button", role("button", "Add Method", "[P] §13 ST:453"),
        (css('div[id$="-content"] > div:nth-child(5) > button', "[P] §13 ST:453 U"),), probe=False),
    Loc("stripe", "the Stripe section header", text("Stripe", "[I] §13 ST:476"),
        (css(f"{SECTION_WRAPPER} > div > div:nth-child(4)", "[P] §13 ST:476"),), probe=False),
    Loc("connect", "the Connect to Stripe button", role("button", "Connect to Stripe", "[P] §13 ST:589"),
        (css("form > div > div:nth-child(2) > div > div > button", "[P] §13 ST:589 U"),), probe=False),
    *_rows("form > div > div", "[P] §13 ST:483"),
)))

# A state of the Website tab: its Colors section open (what a save needs). Copies of the shared
# locators with sample parameters, so that the drift probe checks them read-only.
OPEN_SECTION = register(PageTable("settings.open_section", "Settings → Website, Colors open", "§9, §11", (
    Loc("open_block", "the open section's content", SETTINGS["open_block"].primary,
        SETTINGS["open_block"].fallbacks),
    Loc("save", "the Save button of the open section", SETTINGS["save"].primary, SETTINGS["save"].fallbacks),
    Loc("swatch", "the colour swatch of Primary", COLOUR_PICKER["swatch"].primary,
        COLOUR_PICKER["swatch"].fallbacks, probe_params={"label": "Primary", "k": 1}),
)))

INTEGRATIONS = register(PageTable("settings.integrations", "Settings → Integrations", "§14", (
    Loc("uber", "the Uber Delivery Management card", text("Uber Delivery Management", "[P] §14 FO:395"),
        (css(f"{CONTENT} > div.m-t-4.grid-2.md.sm-gap > div:nth-child(11)", "[P] §14 FO:395"),)),
)))

DEVELOPERS = register(PageTable("developers", "Developers (account level)", "§15", (
    Loc("create_key", "the Create API Key button", role("button", "Create API Key", "[P] §15 AK:193"),
        (css(f"{CONTENT} > div:nth-child(1) > div.flex-l-r-center.m-b-7 > button", "[P] §15 AK:193 U"),)),
    Loc("key_name", "the API key name input",
        css("#api-form-modal-content > div.content__Content-hOzsB.UWPkM > form > div:nth-child(1) > div > "
            f"{GROUP} > input", "[P] §15 AK:203 U"), probe=False),
    Loc("key_save", "the API key Save button",
        css("#api-form-modal-content > div.content__Content-hOzsB.UWPkM > form > button", "[P] §15 AK:279 U"),
        probe=False),
    Loc("new_key", "the newest API key",
        css(f"{CONTENT} > div:nth-child(1) > div.item-list__ItemListWrapper-dyLBYn.jkyIVq > div > div > "
            "div.p-lr-4.p-tb-2 > p.small > span", "[P] §15 AK:295"), probe=False),
)))
