"""Hardware models: which ports a chassis has and what it says about itself out of the box.

Only the physical ports matter for configuration: IOS refuses ``interface`` for a port the
chassis does not have, and always shows every port it does have in running-config.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HardwareModel:
    pid: str
    ports: tuple[str, ...]
    processor: str
    memory_kb: int
    serial: str


def _gi(n: int) -> tuple[str, ...]:
    return tuple(f"GigabitEthernet0/0/{i}" for i in range(n))


_MODELS: dict[str, HardwareModel] = {
    "ISR4331/K9": HardwareModel(
        "ISR4331/K9", (*_gi(3), "GigabitEthernet0"), "1762 MHz", 3_750_000, "FDO21520TGH"
    ),
    "ISR4451-X/K9": HardwareModel(
        "ISR4451-X/K9", (*_gi(4), "GigabitEthernet0"), "2200 MHz", 7_630_000, "FTX1842AHMC"
    ),
    "C8300-1N1S-4T2X": HardwareModel(
        "C8300-1N1S-4T2X",
        (*_gi(4), "TenGigabitEthernet0/1/0", "TenGigabitEthernet0/1/1", "GigabitEthernet0"),
        "2400 MHz",
        7_630_000,
        "FDO2437M0QS",
    ),
    "C8200-1N-4T": HardwareModel("C8200-1N-4T", _gi(4), "2000 MHz", 3_750_000, "FGL2451L1Q7"),
}


def hardware(pid: str) -> HardwareModel:
    """The model named ``pid``; an unknown one gets four GigabitEthernet ports and a mgmt port."""
    if pid in _MODELS:
        return _MODELS[pid]
    return HardwareModel(pid, (*_gi(4), "GigabitEthernet0"), "2200 MHz", 7_630_000, "FTX0000A0AA")


def factory_config(model: HardwareModel, hostname: str) -> str:
    """The startup-config a new router of ``model`` boots with."""
    ports = "".join(f"interface {p}\n no ip address\n negotiation auto\n!\n" for p in model.ports)
    return (
        "!\n"
        "version 17.9\n"
        "service timestamps debug datetime msec\n"
        "service timestamps log datetime msec\n"
        "platform qfp utilization monitor load 80\n"
        "platform punt-keepalive disable-kernel-core\n"
        "!\n"
        f"hostname {hostname}\n"
        "!\n"
        "boot-start-marker\n"
        "boot-end-marker\n"
        "!\n"
        "no aaa new-model\n"
        "!\n"
        "redundancy\n"
        " mode none\n"
        "!\n"
        f"{ports}"
        "ip forward-protocol nd\n"
        "ip http server\n"
        "ip http authentication local\n"
        "ip http secure-server\n"
        "!\n"
        "control-plane\n"
        "!\n"
        "line con 0\n"
        " stopbits 1\n"
        "line aux 0\n"
        " stopbits 1\n"
        "line vty 0 4\n"
        " login\n"
        " transport input ssh\n"
        "!\n"
        "end\n"
    )
