"""Activities: logged calls, visits and meetings, and the sync layer that delivers them
exactly once from offline devices."""
