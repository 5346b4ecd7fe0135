"""Reports: metric facts written from the event log, hourly rollups that keep medians, queries."""
