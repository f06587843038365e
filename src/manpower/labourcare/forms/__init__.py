"""Labour care's portal forms, one module per area."""
