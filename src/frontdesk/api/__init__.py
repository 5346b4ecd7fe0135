"""HTTP only: routers parse, check access, call one action and serialise."""
