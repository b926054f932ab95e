"""The pilot: its success metrics from stored signals, and a simulator of pilot usage."""
