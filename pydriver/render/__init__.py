"""Render: DeviceIntent in, configuration files out (Jinja2, one template set per platform)."""
