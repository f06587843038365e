"""Labour care on the public API (the mobile app), one module per area."""
