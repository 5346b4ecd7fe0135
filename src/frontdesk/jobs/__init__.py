"""The durable job runner and the thin job functions that call core actions."""
