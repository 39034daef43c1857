"""Ground floor: helpers that import no app of the project."""
