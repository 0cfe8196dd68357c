"""Small HTTP clients, one per external system; the shared base is :mod:`regctl.providers.http`."""
