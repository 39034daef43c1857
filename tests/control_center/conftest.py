from tests.control_center.rankings_world import world  # noqa: F401  (the known week of the rankings tests)
