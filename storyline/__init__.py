"""storyline stage."""
