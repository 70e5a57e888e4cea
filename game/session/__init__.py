"""The play session: the one play loop every front end drives, and its observers."""
