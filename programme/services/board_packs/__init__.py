"""Board packs: the programme workbook issued for a board meeting, kept byte for byte, with what
changed since the last pack. `state` captures what the next pack compares with, `issue` issues a
pack, `listing` lists and finds packs and works out the changes since the last one live, `sheet`
writes the Changes sheet."""
