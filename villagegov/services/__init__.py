"""Every write of the core app. Keyword-only, typed, atomic; each one audited."""
