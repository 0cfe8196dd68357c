"""Human decisions: waiting requests, policies, prompt flows, recording, audit, notifications.

- ``requests``     waiting decisions (batch, restaurant, step, waiting since)
- ``policies``     answers a manifest lets the supervisor give (``evaluate`` is the engine's hook)
- ``decisions``    ``record_decision``: schema check → ``apply`` → ``store.answer_step`` (first wins)
- ``manual``       ``regctl complete`` / ``regctl skip``: steps finished by hand, audited
- ``session``      a `regctl review` walk over the waiting decisions ("n of m", apply-to-all)
- ``flows``        the prompt flows, on the ``protocol.Prompter``: ``company_flow`` (the company
                   picker), ``config_flow`` (the Yolo mode settings), ``schema_prompts`` (the rest)
- ``entry``        checks for details typed by hand (e-mail, NZ phone, NZBN, company number)
- ``prompter``     the questionary/rich Prompter (the only module here importing them)
- ``notify``       webhook messages when a batch waits, finishes or fails
- ``validation``   JSON Schema errors that name the field path

See docs/review.md.
"""
