"""Step types: the registry, the built-ins, and the onboarding pipeline's steps."""
