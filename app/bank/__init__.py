"""The question bank: schema, loading, validation and the LanceDB store."""
