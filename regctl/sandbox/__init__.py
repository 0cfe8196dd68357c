"""The sandbox target (SPEC §8): local, faithful stand-ins for every external system regctl drives.

Start one with :func:`regctl.sandbox.server.running_sandbox` (in-process, free loopback port) or
``regctl sandbox serve``. See docs/sandbox.md for the URL layout, credentials, fixtures and faults.
Nothing here imports click, rich or questionary.
"""
