"""MikroTik RouterOS v7: the menu schema shared by the diff and the lab emulator."""
