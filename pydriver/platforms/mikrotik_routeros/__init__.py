"""MikroTik RouterOS v7: the menu schema shared with the lab emulator, and the platform driver
(export parser, canonical form, item-identity diff, scheduler-armed push) built on it."""
