"""Pure domain logic for the programme tracker: no Flask, no database."""
