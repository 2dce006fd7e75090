"""Install, uninstall and status: plan every file first, then apply."""
