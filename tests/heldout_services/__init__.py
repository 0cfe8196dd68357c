"""Held-out stand-ins for the real services, written from their public documentation only.

See ``app.py`` (the services) and ``README.md`` (the sources). Not the sandbox: nothing here was
written from, or shares code with, ``regctl/sandbox/``.
"""
