"""Page objects of the admin portal and the marketing hub: the one place that knows their pages.

One module per page. Each exposes async functions taking a Playwright ``Page`` and typed inputs;
they wait on real conditions (loader cleared, options loaded, navigation done), read the current
state first so callers can be idempotent (``list_restaurants``, ``current_theme``, ``toggle_state``,
``existing_option_sets`` …) and verify what they did. Failures raise regctl step errors:
``RetryableStepError`` when the page did not get ready, ``PermanentStepError`` when it said no.
"""
