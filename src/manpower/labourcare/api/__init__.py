"""Labour care through the public API (the mobile app), one module per area."""
