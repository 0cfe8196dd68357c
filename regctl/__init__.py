"""regctl — onboard restaurants onto an online-ordering platform in durable, resumable batches."""

__version__ = "0.1.0"
