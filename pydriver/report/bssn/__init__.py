"""The BSSN evidence pack: what Peraturan BSSN 4/2021 Pasal 33 asks a region to show
(the architecture document, the asset inventory, the bandwidth it shares out, compliance
per OPD with its waivers), generated from the source of truth so it cannot drift from the
network it describes. See :func:`pydriver.report.bssn.pack.build_pack`.
"""
