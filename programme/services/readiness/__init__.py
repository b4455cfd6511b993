"""The go-live gate, one module per use case: its criteria (`gate_criteria`), a locality's
exceptions (`gate_exceptions`) and sign-offs (`sign_offs`), each locality's readiness
(`evaluation`) and its page (`locality_page`), the board's view (`board`), go-live decisions
(`decisions`) and the daily snapshots with their trends (`snapshots`). Every reading of readiness
goes through `evaluation.readiness_of`, which reads its facts through `services/facts.py`.
Import the module you need; nothing is re-exported here."""
