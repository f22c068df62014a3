"""tell stage."""
