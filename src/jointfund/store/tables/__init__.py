"""The tables of the books, one module per part (SQLAlchemy Core; SQLite and PostgreSQL)."""
