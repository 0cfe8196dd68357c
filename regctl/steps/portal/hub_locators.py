"""Where things are on the real marketing hub (manage.pumpd.co.nz, §17): one locator table per view.

Evidence = §-numbers of /work/shared/reference/real-portal-pages.md with the prior scripts' lines
(OU = create-onboarding-user.js, OP = ordering-page-customization.js, NAV-x = the navigation
scripts, HUBN = the hub navigation note); tags as in :mod:`regctl.steps.portal.locators`. The hub is
shadcn/ui on Radix: tab triggers are ``role=tab`` with ids ``radix-:rN:-trigger-<value>``, panels
``…-content-<value>``; the scripts match those ids by substring (``[id*="trigger-presets"]``).
"""

from __future__ import annotations

from playwright.async_api import Page

from regctl.steps.portal.drift_probe import ProbeContext, visit
from regctl.steps.portal.locators import Loc, PageTable, css, field, register, role, text, xpath

__all__ = ["HUB_ADD_USER", "HUB_APP", "HUB_LOGIN", "HUB_ORDERING"]

HUB_LOGIN = register(PageTable("hub.login", "Hub login (manage. host, /)", "§17.1", (
    # No label text is recorded for the hub's inputs; their ids are (OP:86-87).
    Loc("email", "the hub's e-mail input", css("#email", "[P] §17.1 OP:86 OU:114"),
        (css('input[type="email"]', "[P] §17.1 OU:114"),)),
    Loc("password", "the hub's password input", css("#password", "[P] §17.1 OP:87 OU:118"),
        (css('input[type="password"]', "[F] §17.1"),)),
    Loc("submit", "the hub's Login button",
        role("button", "Login", "[P] §17.1 OU:130 NAV-manage-dashboard:105"),
        (css("button.bg-brand-yellow", "[P] §17.1 OP:98 OU:129"),
         css('button[type="submit"]', "[P] §17.1 OU:132"),
         role("button", "Sign In", "[F] §17.1 OU:131 (another label the script tries)"))),
)))

HUB_APP = register(PageTable("hub.app", "Hub (signed in): the nav and Super Admin", "§17.1, §17.2", (
    # `nav` scoping avoids the "Super Admin" role badge outside the nav (NAV-super-admin:134-136).
    Loc("nav", "the {name} button of the hub's nav", css('nav button:has-text("{name}")', "[P] §17.2 OU:164 "
                                                          "OP:107"),
        (role("button", "{name}", "[F] §17.2 (by name, outside nav)"),),
        probe_params={"name": "Super Admin"}),
    Loc("super_admin", "the Super Admin heading", role("heading", "Super Admin", "[P] §17.2 OU:173"),
        (css('h1:has-text("Super Admin")', "[P] §17.2 OU:173"), css('h2:has-text("Super Admin")',
                                                                     "[F] §17.2 NAV-super-admin:174"))),
    Loc("add_user", "the Add User button", role("button", "Add User", "[P] §17.2 OU:182"),
        (css('button[class*="bg-primary"]:has-text("Add User")', "[P] §17.2 OU:190"),)),
    Loc("user", "the user {email} in the users table", text("{email}", "[P] §17.2 OU:332"),
        probe_params={"email": "-"}, probe=False),
    Loc("nav_any", "a button of the hub's nav (signed in)",
        css("nav button", "[P] §17.1 NAV-manage-dashboard:134-150 (looks for nav)"), probe=False),
    Loc("user_cells", "the cells of the users table",
        css("table td", "[I] §17.2 (OU:332 finds the e-mail's text)"), probe=False),
)))

HUB_ADD_USER = register(PageTable("hub.add_user", "Hub → Super Admin → Add User dialog", "§17.2", (
    # by role: a page-wide "Name" text also heads the users table (a field() would start there)
    Loc("name", "the new user's Name input", role("textbox", "Name", "[P] §17.2 OU:217 (label)"),
        (css('label:has-text("Name") + input', "[P] §17.2 OU:217"),
         css('input[placeholder*="Name"]', "[P] §17.2 OU:217"))),
    Loc("email", "the new user's Email input", role("textbox", "Email", "[P] §17.2 OU:232 (label)"),
        (css('label:has-text("Email") + input', "[P] §17.2 OU:232"),
         css('input[type="email"]', "[P] §17.2 OU:232"))),
    Loc("password", "the new user's Password input", field("Password", "[P] §17.2 OU:257 (label)"),
        (xpath('//*[contains(@id, "password")]', "[P] §17.2 OU:247 U"),
         css('input[type="password"]', "[P] §17.2 OU:262"))),
    Loc("role", "the Role shown as New Sign Up", text("New Sign Up", "[P] §17.2 OU:269")),
    Loc("organisation", "the Organisation shown as None", text("None", "[P] §17.2 OU:281")),
    Loc("create", "the Create User button", role("button", "Create User", "[P] §17.2 OU:297-326"),
        (css('button:has-text("Create User")', "[P] §17.2 OU:297"),)),
)))

HUB_ORDERING = register(PageTable("hub.ordering_page", "Hub → Ordering Page code generator", "§17.3", (
    Loc("colours", "the brand colour inputs", css("input.font-mono.text-sm", "[P] §17.3 OP:125-153"),
        (css('input[value^="#"]', "[P] §17.3 OP:140"),)),
    Loc("light_mode", "the Light Mode switch", css("#light-mode", "[P] §17.3 OP:160")),
    Loc("presets", "the Presets tab", role("tab", "Presets", "[P] §17.3 OP:169 (text, Radix tab)"),
        (css('[id*="trigger-presets"]', "[P] §17.3 OP:170"),
         css('button:has-text("Presets")', "[P] §17.3 OP:169"))),
    Loc("preset", "the {name} preset", text("{name}", "[P] §17.3 OP:205-221 (text fallback)"),
        (css('[id*="content-category"] > div:nth-child(3) > div.grid.gap-3 > div:nth-child(2) > div',
             "[P] §17.3 OP:190"),), probe_params={"name": "Interactive Showcase"}, probe=False),
    Loc("components", "the Components tab", role("tab", "Components", "[P] §17.3 OP:225 (text, Radix tab)"),
        (css('[id*="trigger-components"]', "[P] §17.3 OP:226"),
         css('button:has-text("Components")', "[P] §17.3 OP:225"))),
    Loc("card", "the {title} component card", text("{title}", "[P] §17.3 OP:380 (text fallback)"),
        (css('[id*="content-components"] > div > div.space-y-6 > div:nth-child({c}) > div.space-y-2 > '
             "div:nth-child({k})", "[P] §17.3 OP:247-391"),),
        probe_params={"title": "Welcome Messages", "c": 6, "k": 3}, probe=False),
    Loc("option", "the {option_id} option", css("#{option_id}", "[P] §17.3 OP:267-399"),
        probe_params={"option_id": "navBarTextEffects-nav-logo-gradient"}, probe=False),
    Loc("options_of", "the options of the {group} card", css("[id^='{group}-']", "[P] §17.3 OP:267-399 "
                                                             "(option ids begin with the card's group)"),
        probe_params={"group": "welcomeMessages"}, probe=False),
    Loc("code_ready", "the {key} code, not being regenerated",
        css('[id*="content-{key}"]:not([aria-busy="true"]) > pre', "[I] §17.3 (the sandbox marks a panel "
                                                                     "aria-busy while regenerating)"),
        probe_params={"key": "head"}, probe=False),
    Loc("remove_gradient", "the Remove Gradient button",
        role("button", "Remove Gradient", "[P] §17.3 OP:408"),
        (css('button:has-text("Remove Gradient")', "[P] §17.3 OP:408"),), probe=False),
    Loc("restaurant_name", "the welcome editor's restaurant name input",
        css("div.mt-6.pt-4.border-t.border-gray-200 div.space-y-6 > div:nth-child(1) > div:nth-child(6) "
            "> input",
            "[P] §17.3 OP:427 U"), probe=False),
    Loc("head", "the head code",
        css('[id*="content-head"] pre, [id*="content-head"] code', "[P] §17.3 OP:459")),
    Loc("body_tab", "the Body tab of the code", role("tab", "Body", "[P] §17.3 OP:479 (text, Radix tab)"),
        (css('[id*="trigger-body"]', "[P] §17.3 OP:479"),
         css('button:has-text("Body")', "[P] §17.3 OP:479"))),
    Loc("body", "the body code",
        css('[id*="content-body"] pre, [id*="content-body"] code', "[P] §17.3 OP:486"), probe=False),
)))


# ---------------------------------------------------------------- doctor --portal visits -------
# The hub is reached with ctx.extra "hub_url", "hub_email", "hub_password" (regctl doctor fills them
# from the target's marketing_hub system). Read-only: the Add User dialog is opened, never saved.

def _hub(ctx: ProbeContext) -> str:
    url = ctx.extra.get("hub_url", "")
    if not url:
        raise RuntimeError("no marketing hub URL/login for the probe (target system marketing_hub)")
    return url.rstrip("/")


@visit("hub.login")
async def _visit_login(page: Page, ctx: ProbeContext) -> None:
    await page.goto(_hub(ctx) + "/", wait_until="domcontentloaded")


@visit("hub.app")
async def _visit_super_admin(page: Page, ctx: ProbeContext) -> None:
    from regctl.steps.portal.hub_login import hub_login
    from regctl.steps.portal.hub_super_admin import open_super_admin

    await hub_login(page, _hub(ctx), ctx.extra.get("hub_email", ""), ctx.extra.get("hub_password", ""))
    await open_super_admin(page)


@visit("hub.add_user")
async def _visit_add_user(page: Page, ctx: ProbeContext) -> None:
    await (await HUB_APP.find(page, "add_user")).first.click()
    await page.get_by_role("dialog").wait_for()


@visit("hub.ordering_page")
async def _visit_ordering_page(page: Page, ctx: ProbeContext) -> None:
    from regctl.steps.portal.hub_login import open_hub_page

    await page.keyboard.press("Escape")  # the Add User dialog, unsaved
    await open_hub_page(page, "Ordering Page")
