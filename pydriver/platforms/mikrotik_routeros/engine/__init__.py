"""An emulated MikroTik RouterOS v7 router: console language, configuration state, export."""
