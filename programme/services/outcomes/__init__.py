"""Outcome indicators (issue 20): the catalogue (`catalogue`), each locality's baseline and
target (`targets`), the values recorded (`values`) and what the pages show (`pages`)."""
