"""The weekly reminders: what each person's digest says (digests.py, from the facts loaded by
digest_facts.py) and sending each week's digests once (weekly.py)."""
