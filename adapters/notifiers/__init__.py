"""The notifier port: how a message leaves the service (DESIGN §9)."""
