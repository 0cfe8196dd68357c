"""Storage: the schema (SQLAlchemy Core tables), the store (the only SQL), per-dialect claims."""
