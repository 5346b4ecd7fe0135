"""Workflows: a trigger and a graph of steps, versioned, run durably on the job table."""
