"""The durable engine: states and transitions, policies (retry/timeouts/limits), the supervisor."""
