"""Plans: activity types, funnel math, weekly behaviour plans, preferences and pace."""
