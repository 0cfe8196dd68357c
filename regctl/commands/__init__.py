"""One module per command family. Each exposes ``COMMANDS``; regctl.cli discovers them."""
