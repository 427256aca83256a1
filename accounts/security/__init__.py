"""Account security (regulation 5.2): lockout, sessions, breach reports,
forced password changes, resets by support, and the second factor."""
