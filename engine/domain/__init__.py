"""Domain records of a watch network's partner collaborations, as plain data."""
