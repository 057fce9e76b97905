"""Neutral models: what every channel shares."""
