"""Files people send: uploaded once, kept in an object store, served through signed URLs."""
