"""Use cases: load rows, call the domain, write, audit — one transaction each."""
