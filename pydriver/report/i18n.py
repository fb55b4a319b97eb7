"""The report's words in Bahasa Indonesia (the default for the BSSN evidence pack) and in
English: one small message catalogue per language, the same keys in both.

A catalogue, not gettext: the documents are generated, the vocabulary is a few hundred
words, and a missing translation must be an error at once (a test checks both catalogues
have the same keys), not an English word slipped silently into an Indonesian document.
"""

from __future__ import annotations

from collections.abc import Callable

from pydriver.errors import PydriverError

LANGUAGES = ("id", "en")

_STATUS = {
    "id": {"pass": "lulus", "fail": "gagal", "waived": "dikecualikan",
           "not-assessed": "belum dinilai", "not-applicable": "tidak berlaku"},
    "en": {"pass": "pass", "fail": "fail", "waived": "waived",
           "not-assessed": "not assessed", "not-applicable": "not applicable"},
}
_KIND = {
    "id": {"opd_office": "kantor OPD", "upt": "UPT", "kecamatan": "kecamatan",
           "kelurahan": "kelurahan", "puskesmas": "puskesmas",
           "public_wifi": "Wi-Fi publik", "hub": "hub pusat data", "network": "jaringan"},
    "en": {"opd_office": "OPD office", "upt": "technical unit (UPT)",
           "kecamatan": "district (kecamatan)", "kelurahan": "ward (kelurahan)",
           "puskesmas": "health centre (puskesmas)", "public_wifi": "public Wi-Fi",
           "hub": "data-centre hub", "network": "network"},
}

_SEVERITY = {
    "id": {"critical": "kritis", "high": "tinggi", "medium": "sedang", "low": "rendah"},
    "en": {"critical": "critical", "high": "high", "medium": "medium", "low": "low"},
}

_MESSAGES: dict[str, dict[str, str]] = {
    "id": {
        # dashboard
        "dash.title": "Kepatuhan JIP (dinilai dari: {source})",
        "dash.summary": "Ringkasan", "dash.findings": "Temuan",
        "dash.by.opd": "Per OPD", "dash.by.kind": "Per jenis situs",
        "dash.by.platform": "Per platform", "dash.by.rule": "Per aturan",
        "dash.filter.status": "Status", "dash.filter.rule": "Aturan",
        "dash.filter.opd": "OPD", "dash.filter.kind": "Jenis situs",
        "dash.filter.platform": "Platform", "dash.filter.text": "Cari",
        "dash.all": "(semua)", "dash.reset": "Atur ulang",
        "dash.shown": "{shown} dari {total} temuan ditampilkan",
        "dash.col.status": "Status", "dash.col.rule": "Aturan",
        "dash.col.severity": "Tingkat", "dash.col.router": "Router",
        "dash.col.opd": "OPD / situs", "dash.col.evidence": "Bukti",
        "dash.col.finding": "Temuan", "dash.col.basis": "Dasar",
        "dash.waiver": "Pengecualian", "dash.waivers": "Pengecualian (waiver)",
        "dash.no_waivers": "Tidak ada temuan yang dikecualikan.",
        "dash.rules": "Aturan", "dash.network": "jaringan",
        # the pack
        "pack.title": "Paket Bukti Kepatuhan BSSN",
        "pack.region": "Wilayah",
        "pack.generated": "Tanggal penyusunan",
        "pack.sot": "Sumber kebenaran (source of truth)",
        "pack.sot.commit": "commit git", "pack.sot.digest": "ringkasan (digest) berkas inventori",
        "pack.from": "Konfigurasi yang dinilai",
        "pack.from.rendered": "konfigurasi hasil render dari sumber kebenaran",
        "pack.from.backups": "konfigurasi berjalan dari repositori cadangan (backup)",
        "pack.contents": "Isi paket", "pack.col.file": "Berkas",
        "pack.col.what": "Isi", "pack.col.basis": "Dasar",
        "pack.basis.a": "Peraturan BSSN No. 4 Tahun 2021 Pasal 33 ayat (1) huruf a",
        "pack.basis.b": "Peraturan BSSN No. 4 Tahun 2021 Pasal 33 ayat (1) huruf b",
        "pack.basis.33": "Peraturan BSSN No. 4 Tahun 2021 Pasal 33",
        "pack.note": "Paket ini disusun otomatis oleh pydriver dari sumber kebenaran yang "
                     "sama dengan konfigurasi router; berkas yang sama menghasilkan isi "
                     "yang sama. Tidak ada rahasia (kata sandi, kunci) di dalamnya.",
        "file.architecture": "Dokumen arsitektur (HTML mandiri dan Markdown)",
        "file.topology": "Diagram topologi (SVG, sumber Graphviz DOT)",
        "file.assets": "Inventaris aset: router dan server (CSV, XLSX)",
        "file.bandwidth": "Alokasi bandwidth internet per OPD terhadap kapasitas uplink",
        "file.compliance": "Kepatuhan per OPD beserta pengecualian",
        "file.dashboard": "Dasbor kepatuhan interaktif (HTML mandiri)",
        "file.findings": "Seluruh temuan kepatuhan (JSON, format v1)",
        # architecture
        "arch.title": "Dokumen Arsitektur Jaringan Intra Pemerintah (JIP)",
        "arch.region": "Wilayah",
        "arch.region.code": "Kode wilayah (Kemendagri)", "arch.region.name": "Nama",
        "arch.region.level": "Tingkat", "arch.region.domain": "Domain intranet",
        "arch.region.asn": "ASN hub (privat)", "arch.region.site_asn": "ASN situs",
        "arch.region.timezone": "Zona waktu", "arch.region.csirt": "Kontak CSIRT",
        "arch.region.overbooking": "Rasio overbooking uplink",
        "arch.dc": "Pusat data",
        "arch.dc.role.primary": "utama", "arch.dc.role.dr": "pemulihan bencana (DR)",
        "arch.dc.zones": "Zona", "arch.dc.uplinks": "Uplink internet",
        "arch.dc.hubs": "Router hub", "arch.col.code": "Kode", "arch.col.name": "Nama",
        "arch.col.role": "Peran", "arch.col.address": "Alamat",
        "arch.col.zone": "Zona", "arch.col.prefix": "Prefiks",
        "arch.col.isp": "ISP", "arch.col.contract": "Kontrak", "arch.col.mbps": "Mbps",
        "arch.col.hostname": "Nama host", "arch.col.platform": "Platform",
        "arch.col.model": "Model", "arch.col.loopback": "Loopback",
        "arch.col.mgmt": "Alamat manajemen", "arch.col.datacenter": "Pusat data",
        "arch.zone.core": "inti (core)", "arch.zone.server": "server",
        "arch.zone.management": "manajemen", "arch.zone.dmz": "DMZ",
        "arch.topology": "Topologi",
        "arch.topology.legend": "Garis tebal: fiber milik sendiri (dirutekan langsung pada "
                                "VLAN); garis putus-putus: metro ISP; garis titik-titik: VPN "
                                "melalui internet. Setiap jalur yang melintasi jaringan "
                                "pihak lain dilindungi tunnel IPsec (label: nama tunnel). "
                                "Garis abu-abu ke Internet: uplink internet pusat data.",
        "arch.addressing": "Rencana pengalamatan",
        "arch.addressing.intro": "Semua alamat diturunkan dari id situs yang tetap dan "
                                 "pool wilayah, sehingga penambahan situs tidak pernah "
                                 "mengubah alamat situs lain.",
        "arch.col.pool": "Pool", "arch.col.use": "Penggunaan", "arch.col.what": "Apa",
        "arch.col.rule": "Aturan",
        "arch.pool.loopback": "loopback router (hub: +1..31, situs: +32+id)",
        "arch.pool.transit": "transit /30 per tautan situs",
        "arch.pool.site_lan": "blok LAN per situs",
        "arch.pool.management": "zona manajemen pusat data",
        "arch.rule.block": "blok LAN situs",
        "arch.rule.block.how": "blok /{prefix} ke-id dari pools.site_lan",
        "arch.rule.zones": "zona LAN",
        "arch.rule.zones.how": "blok dibagi empat, urutan tetap: staff, cctv, guest_wifi, "
                               "vicon; gateway = host pertama",
        "arch.rule.loopback": "loopback", "arch.rule.loopback.how":
            "pools.loopback + 32 + id (hub: + id hub, 1..31)",
        "arch.rule.transit": "transit/tunnel", "arch.rule.transit.how":
            "tautan ke-n situs: /30 nomor id*4 + n dari pools.transit; hub .1, situs .2",
        "arch.rule.vlan": "VLAN fiber di hub", "arch.rule.vlan.how": "1000 + id",
        "arch.rule.asn": "ASN situs", "arch.rule.asn.how": "site_asn_base + id",
        "arch.sites": "Situs", "arch.col.id": "Id", "arch.col.kind": "Jenis",
        "arch.col.lan": "Blok LAN", "arch.col.zones": "Zona LAN", "arch.col.asn": "ASN",
        "arch.tiers": "Interkoneksi antar tingkat",
        "arch.tiers.intro": "Interkoneksi dengan wilayah tingkat lain (pusat, provinsi, "
                            "kabupaten/kota), masing-masing dikelola timnya sendiri. Setiap "
                            "interkoneksi dideklarasikan oleh kedua pihak dan diperiksa "
                            "kesesuaiannya; hanya prefiks yang dideklarasikan yang dikirim "
                            "dan diterima (tanpa rute default, tanpa transit wilayah ketiga). "
                            "Diagram: tingkat federasi, dari pusat ke kabupaten/kota.",
        "arch.tiers.this": "wilayah ini",
        "arch.col.peer": "Wilayah mitra", "arch.col.peer_hub": "Hub mitra",
        "arch.col.exports": "Dikirim", "arch.col.accepts": "Diterima",
        "arch.col.max_prefix": "Maks. prefiks",
        "arch.routing": "Desain routing dan tunnel",
        "arch.routing.intro": "eBGP hub-and-spoke. Hub berbagi ASN privat wilayah dan "
                              "saling ber-iBGP melalui core pusat data; setiap situs "
                              "memiliki ASN privatnya sendiri dan ber-peer dengan hub di "
                              "ujung setiap tautannya. Hub mengirim rute default (internet "
                              "dibeli terpusat dan keluar di pusat data, tempat hub "
                              "melakukan source-NAT LAN situs) dan zona pusat data, dan dari "
                              "setiap situs hanya menerima zona dan loopback situs itu. "
                              "Tautan cadangan diturunkan preferensinya di kedua arah "
                              "(local-pref 50 masuk, AS path di-prepend dua kali keluar).",
        "arch.tunnels.intro": "Tunnel diturunkan untuk setiap tautan situs yang melintasi "
                              "jaringan yang bukan milik wilayah (metro ISP, VPN internet); "
                              "tautan fiber milik sendiri dirutekan langsung pada VLAN port "
                              "fiber hub. Kedua ujung dibangun dari tautan situs yang sama.",
        "arch.bgp": "Sesi BGP", "arch.col.router": "Router", "arch.col.router_id": "Router-id",
        "arch.col.neighbors": "Tetangga BGP", "arch.col.networks": "Jaringan yang diumumkan",
        "arch.tunnels": "Tautan dan tunnel", "arch.col.site": "Situs",
        "arch.col.link": "Tautan", "arch.col.medium": "Media", "arch.col.hub": "Hub",
        "arch.col.link_role": "Peran tautan", "arch.col.capacity": "Kapasitas (Mbps)",
        "arch.col.provider": "Penyedia", "arch.col.tunnel": "Tunnel",
        "arch.col.encap": "Enkapsulasi", "arch.col.crypto": "Profil kripto",
        "arch.col.transit": "Transit",
        "arch.medium.own_fibre": "fiber milik sendiri", "arch.medium.isp_metro": "metro ISP",
        "arch.medium.internet_vpn": "VPN melalui internet",
        "arch.link.primary": "utama", "arch.link.backup": "cadangan",
        "arch.encap.none": "tanpa tunnel (VLAN {vlan})",
        "arch.encap.gre-ipsec": "GRE + IPsec mode transport",
        "arch.encap.ipsec-tunnel": "IPsec mode tunnel",
        "arch.crypto": "Kebijakan kriptografi",
        "arch.crypto.intro": "Hanya IKEv2; profil ditulis lengkap di setiap platform dan "
                             "diperiksa terhadap NIST SP 800-77r1. Kunci bersama (PSK) "
                             "hanya dirujuk, tidak pernah ditulis di berkas mana pun.",
        "arch.col.profile": "Profil", "arch.col.ike": "IKE", "arch.col.esp": "ESP",
        "arch.col.dh": "Grup DH", "arch.col.pfs": "PFS", "arch.col.lifetime": "Masa berlaku (s)",
        "arch.management": "Zona manajemen",
        "arch.management.intro": "Manajemen router (SSH, Winbox di RouterOS, SNMP) hanya "
                                 "dari zona manajemen pusat data; layanan yang tidak "
                                 "digunakan dimatikan; akun administrator bernama dengan "
                                 "AAA melalui RADIUS pusat data; syslog jarak jauh; NTP; "
                                 "SNMPv3 authPriv; banner login; Wi-Fi tamu tidak dapat "
                                 "menjangkau intranet.",
        "arch.mgmt.pool": "Pool manajemen", "arch.mgmt.zones": "Zona manajemen per pusat data",
        "arch.mgmt.services": "Layanan bersama", "arch.col.service": "Layanan",
        "arch.col.servers": "Server", "arch.mgmt.admins": "Administrator bernama",
        "arch.col.account": "Akun", "arch.col.full_name": "Nama lengkap",
        "arch.mgmt.snmp": "Pengguna SNMPv3 (authPriv)", "arch.mgmt.banner": "Banner login",
        "yes": "ya", "no": "tidak",
        # assets
        "assets.title": "Inventaris Aset", "asset.type": "Jenis", "asset.name": "Nama",
        "asset.opd": "OPD / pemilik", "asset.site": "Kode situs", "asset.role": "Peran",
        "asset.model": "Model", "asset.platform": "Platform", "asset.firmware": "Firmware",
        "asset.mgmt": "Alamat manajemen", "asset.location": "Lokasi",
        "asset.router": "router", "asset.server": "server",
        "asset.role.hub": "hub", "asset.role.site": "router situs",
        "asset.unknown": "tidak diketahui",
        # bandwidth
        "bw.title": "Alokasi Bandwidth Internet per OPD",
        "bw.intro": "Bandwidth internet dibeli terpusat di pusat data dan dibagi per OPD. "
                    "Jumlah bandwidth terjamin per uplink tidak boleh melebihi kapasitas "
                    "uplink x rasio overbooking ({over}).",
        "bw.col.uplink": "Uplink", "bw.col.datacenter": "Pusat data", "bw.col.isp": "ISP",
        "bw.col.contract": "Kontrak", "bw.col.mbps": "Kapasitas (Mbps)",
        "bw.col.budget": "Anggaran terjamin (Mbps)", "bw.col.guaranteed": "Terjamin (Mbps)",
        "bw.col.max": "Maksimum (Mbps)", "bw.col.priority": "Prioritas",
        "bw.col.use": "Pemakaian anggaran", "bw.col.status": "Status",
        "bw.col.opd": "OPD / situs", "bw.col.site": "Kode situs", "bw.col.kind": "Jenis",
        "bw.col.share": "Porsi kapasitas", "bw.total": "Jumlah",
        "bw.ok": "sesuai", "bw.over": "melebihi anggaran",
        "bw.uplinks": "Ringkasan per uplink", "bw.sites": "Alokasi per OPD",
        # compliance
        "comp.title": "Kepatuhan per OPD",
        "comp.intro": "Aturan keamanan JIP (Peraturan BSSN No. 4 Tahun 2021 Pasal 33) "
                      "dinilai pada setiap router dan pada jaringan; temuan yang "
                      "dikecualikan disertai justifikasi, pemberi persetujuan dan masa "
                      "berlakunya.",
        "comp.summary": "Ringkasan per OPD", "comp.details": "Temuan per OPD",
        "comp.col.opd": "OPD / situs", "comp.col.rule": "Aturan",
        "comp.col.severity": "Tingkat", "comp.col.status": "Status",
        "comp.col.router": "Router", "comp.col.finding": "Temuan",
        "comp.col.evidence": "Bukti", "comp.all_pass": "Semua aturan lulus.",
        "comp.waivers": "Pengecualian yang tercatat di sumber kebenaran",
        "comp.col.scope": "Cakupan", "comp.col.justification": "Justifikasi",
        "comp.col.approver": "Disetujui oleh", "comp.col.expires": "Berlaku sampai",
        "comp.no_waivers": "Tidak ada pengecualian.",
        "comp.scope.all": "semua router", "comp.scope.router": "router {name}",
        "comp.scope.site": "situs {name}", "comp.scope.platform": "platform {name}",
        "comp.rules": "Aturan", "comp.secret": "[rahasia]",
    },
}

_MESSAGES["en"] = {
    "dash.title": "JIP compliance (assessed from: {source})",
    "dash.summary": "Summary", "dash.findings": "Findings",
    "dash.by.opd": "By OPD", "dash.by.kind": "By site kind", "dash.by.platform": "By platform",
    "dash.by.rule": "By rule", "dash.filter.status": "Status", "dash.filter.rule": "Rule",
    "dash.filter.opd": "OPD", "dash.filter.kind": "Site kind", "dash.filter.platform": "Platform",
    "dash.filter.text": "Search", "dash.all": "(all)", "dash.reset": "Reset",
    "dash.shown": "{shown} of {total} findings shown",
    "dash.col.status": "Status", "dash.col.rule": "Rule", "dash.col.severity": "Severity",
    "dash.col.router": "Router", "dash.col.opd": "OPD / site", "dash.col.evidence": "Evidence",
    "dash.col.finding": "Finding", "dash.col.basis": "Basis",
    "dash.waiver": "Waiver", "dash.waivers": "Waivers",
    "dash.no_waivers": "No finding is waived.", "dash.rules": "Rules",
    "dash.network": "network",
    "pack.title": "BSSN Evidence Pack", "pack.region": "Region",
    "pack.generated": "Generated on", "pack.sot": "Source of truth",
    "pack.sot.commit": "git commit", "pack.sot.digest": "digest of the inventory files",
    "pack.from": "Configurations assessed",
    "pack.from.rendered": "configurations rendered from the source of truth",
    "pack.from.backups": "running configurations from the backups repository",
    "pack.contents": "Contents", "pack.col.file": "File", "pack.col.what": "What",
    "pack.col.basis": "Basis",
    "pack.basis.a": "BSSN Regulation No. 4 of 2021, Article 33(1)(a)",
    "pack.basis.b": "BSSN Regulation No. 4 of 2021, Article 33(1)(b)",
    "pack.basis.33": "BSSN Regulation No. 4 of 2021, Article 33",
    "pack.note": "This pack is generated by pydriver from the same source of truth as the "
                 "router configurations; the same files give the same content. It holds no "
                 "secret (password, key).",
    "file.architecture": "Architecture document (self-contained HTML and Markdown)",
    "file.topology": "Topology diagram (SVG, Graphviz DOT source)",
    "file.assets": "Asset inventory: routers and servers (CSV, XLSX)",
    "file.bandwidth": "Internet bandwidth allocation per OPD against the uplinks' capacity",
    "file.compliance": "Compliance per OPD with the waivers",
    "file.dashboard": "Interactive compliance dashboard (self-contained HTML)",
    "file.findings": "Every compliance finding (JSON, format v1)",
    "arch.title": "Government Intranet (JIP) Architecture Document",
    "arch.region": "Region", "arch.region.code": "Region code (Kemendagri)",
    "arch.region.name": "Name", "arch.region.level": "Level",
    "arch.region.domain": "Intranet domain", "arch.region.asn": "Hub ASN (private)",
    "arch.region.site_asn": "Site ASNs", "arch.region.timezone": "Time zone",
    "arch.region.csirt": "CSIRT contact", "arch.region.overbooking": "Uplink overbooking ratio",
    "arch.dc": "Data centres", "arch.dc.role.primary": "primary",
    "arch.dc.role.dr": "disaster recovery (DR)", "arch.dc.zones": "Zones",
    "arch.dc.uplinks": "Internet uplinks", "arch.dc.hubs": "Hub routers",
    "arch.col.code": "Code", "arch.col.name": "Name", "arch.col.role": "Role",
    "arch.col.address": "Address", "arch.col.zone": "Zone", "arch.col.prefix": "Prefix",
    "arch.col.isp": "ISP", "arch.col.contract": "Contract", "arch.col.mbps": "Mbps",
    "arch.col.hostname": "Hostname", "arch.col.platform": "Platform", "arch.col.model": "Model",
    "arch.col.loopback": "Loopback", "arch.col.mgmt": "Management address",
    "arch.col.datacenter": "Data centre",
    "arch.zone.core": "core", "arch.zone.server": "server", "arch.zone.management": "management",
    "arch.zone.dmz": "DMZ", "arch.topology": "Topology",
    "arch.topology.legend": "Bold line: own fibre (routed directly on a VLAN); dashed: ISP "
                            "metro; dotted: VPN over the internet. Every path across a "
                            "network the region does not own is protected by an IPsec "
                            "tunnel (label: the tunnel's name). Grey line to the Internet: a "
                            "data centre's internet uplink.",
    "arch.addressing": "Address plan",
    "arch.addressing.intro": "Every address is derived from the site's stable id and the "
                             "region's pools, so adding a site never renumbers another.",
    "arch.col.pool": "Pool", "arch.col.use": "Use", "arch.col.what": "What",
    "arch.col.rule": "Rule",
    "arch.pool.loopback": "router loopbacks (hubs: +1..31, sites: +32+id)",
    "arch.pool.transit": "a /30 transit per site link",
    "arch.pool.site_lan": "a LAN block per site",
    "arch.pool.management": "the data centres' management zones",
    "arch.rule.block": "site LAN block",
    "arch.rule.block.how": "the id-th /{prefix} of pools.site_lan",
    "arch.rule.zones": "LAN zones",
    "arch.rule.zones.how": "the block cut in four, in a fixed order: staff, cctv, guest_wifi, "
                           "vicon; gateway = first host",
    "arch.rule.loopback": "loopback",
    "arch.rule.loopback.how": "pools.loopback + 32 + id (hubs: + hub id, 1..31)",
    "arch.rule.transit": "transit/tunnel",
    "arch.rule.transit.how": "link n of the site: /30 number id*4 + n of pools.transit; hub .1, "
                             "site .2",
    "arch.rule.vlan": "own-fibre VLAN at the hub", "arch.rule.vlan.how": "1000 + id",
    "arch.rule.asn": "site ASN", "arch.rule.asn.how": "site_asn_base + id",
    "arch.sites": "Sites", "arch.col.id": "Id", "arch.col.kind": "Kind",
    "arch.col.lan": "LAN block", "arch.col.zones": "LAN zones", "arch.col.asn": "ASN",
    "arch.tiers": "Interconnects with the other tiers",
    "arch.tiers.intro": "Interconnects with regions of the other tiers (pusat, provinsi, "
                        "kabupaten/kota), each run by its own team. Every interconnect is "
                        "declared by both sides and checked to agree; only the declared "
                        "prefixes are sent and accepted (never a default route, never a third "
                        "region's). The diagram: the federation's tiers, from the centre "
                        "down.",
    "arch.tiers.this": "this region",
    "arch.col.peer": "Peer region", "arch.col.peer_hub": "Peer hub",
    "arch.col.exports": "Sends", "arch.col.accepts": "Accepts",
    "arch.col.max_prefix": "Max prefixes",
    "arch.routing": "Routing and tunnel design",
    "arch.routing.intro": "eBGP, hub and spoke. Hubs share the region's private ASN and peer "
                          "iBGP with each other over the data-centre core; every site has its "
                          "own private ASN and peers with the hub at the end of each of its "
                          "links. Hubs send the default route (the internet is bought "
                          "centrally and leaves at the data centre, where the hub source-NATs "
                          "the site LANs) and the data-centre zones, and accept from each "
                          "site only its own zones and loopback. A backup link is "
                          "depreferred both ways (local-pref 50 in, AS path prepended twice "
                          "out).",
    "arch.tunnels.intro": "A tunnel is derived for every site link that crosses a network the "
                          "region does not own (ISP metro, internet VPN); own-fibre links are "
                          "routed directly on a VLAN of the hub's fibre port. Both ends come "
                          "from the one site link.",
    "arch.bgp": "BGP sessions", "arch.col.router": "Router", "arch.col.router_id": "Router id",
    "arch.col.neighbors": "BGP neighbours", "arch.col.networks": "Networks announced",
    "arch.tunnels": "Links and tunnels", "arch.col.site": "Site", "arch.col.link": "Link",
    "arch.col.medium": "Medium", "arch.col.hub": "Hub", "arch.col.link_role": "Link role",
    "arch.col.capacity": "Capacity (Mbps)", "arch.col.provider": "Provider",
    "arch.col.tunnel": "Tunnel", "arch.col.encap": "Encapsulation",
    "arch.col.crypto": "Crypto profile", "arch.col.transit": "Transit",
    "arch.medium.own_fibre": "own fibre", "arch.medium.isp_metro": "ISP metro",
    "arch.medium.internet_vpn": "VPN over the internet",
    "arch.link.primary": "primary", "arch.link.backup": "backup",
    "arch.encap.none": "no tunnel (VLAN {vlan})",
    "arch.encap.gre-ipsec": "GRE + transport-mode IPsec",
    "arch.encap.ipsec-tunnel": "tunnel-mode IPsec",
    "arch.crypto": "Crypto policy",
    "arch.crypto.intro": "IKEv2 only; profiles are written out in full on every platform and "
                         "checked against NIST SP 800-77r1. Pre-shared keys are only "
                         "referenced, never written in any file.",
    "arch.col.profile": "Profile", "arch.col.ike": "IKE", "arch.col.esp": "ESP",
    "arch.col.dh": "DH groups", "arch.col.pfs": "PFS", "arch.col.lifetime": "Lifetimes (s)",
    "arch.management": "Management zone",
    "arch.management.intro": "Router management (SSH, Winbox on RouterOS, SNMP) only from the "
                             "data centres' management zones; unused services off; named "
                             "administrator accounts with AAA via the data centre's RADIUS; "
                             "remote syslog; NTP; SNMPv3 authPriv; a login banner; guest "
                             "Wi-Fi cannot reach the intranet.",
    "arch.mgmt.pool": "Management pool", "arch.mgmt.zones": "Management zone per data centre",
    "arch.mgmt.services": "Shared services", "arch.col.service": "Service",
    "arch.col.servers": "Servers", "arch.mgmt.admins": "Named administrators",
    "arch.col.account": "Account", "arch.col.full_name": "Full name",
    "arch.mgmt.snmp": "SNMPv3 user (authPriv)", "arch.mgmt.banner": "Login banner",
    "yes": "yes", "no": "no",
    "assets.title": "Asset Inventory", "asset.type": "Type", "asset.name": "Name",
    "asset.opd": "OPD / owner", "asset.site": "Site code", "asset.role": "Role",
    "asset.model": "Model", "asset.platform": "Platform", "asset.firmware": "Firmware",
    "asset.mgmt": "Management address", "asset.location": "Location",
    "asset.router": "router", "asset.server": "server", "asset.role.hub": "hub",
    "asset.role.site": "site router", "asset.unknown": "unknown",
    "bw.title": "Internet Bandwidth Allocation per OPD",
    "bw.intro": "Internet bandwidth is bought centrally at the data centre and shared out per "
                "OPD. The guaranteed bandwidth on an uplink may not exceed its capacity x "
                "the overbooking ratio ({over}).",
    "bw.col.uplink": "Uplink", "bw.col.datacenter": "Data centre", "bw.col.isp": "ISP",
    "bw.col.contract": "Contract", "bw.col.mbps": "Capacity (Mbps)",
    "bw.col.budget": "Guaranteed budget (Mbps)", "bw.col.guaranteed": "Guaranteed (Mbps)",
    "bw.col.max": "Maximum (Mbps)", "bw.col.priority": "Priority",
    "bw.col.use": "Budget used", "bw.col.status": "Status", "bw.col.opd": "OPD / site",
    "bw.col.site": "Site code", "bw.col.kind": "Kind", "bw.col.share": "Share of capacity",
    "bw.total": "Total", "bw.ok": "within budget", "bw.over": "over budget",
    "bw.uplinks": "Per uplink", "bw.sites": "Allocation per OPD",
    "comp.title": "Compliance per OPD",
    "comp.intro": "The JIP security rules (BSSN Regulation No. 4 of 2021, Article 33) judged "
                  "on every router and on the network; waived findings carry their "
                  "justification, approver and expiry.",
    "comp.summary": "Summary per OPD", "comp.details": "Findings per OPD",
    "comp.col.opd": "OPD / site", "comp.col.rule": "Rule", "comp.col.severity": "Severity",
    "comp.col.status": "Status", "comp.col.router": "Router", "comp.col.finding": "Finding",
    "comp.col.evidence": "Evidence", "comp.all_pass": "Every rule passes.",
    "comp.waivers": "Waivers recorded in the source of truth", "comp.col.scope": "Scope",
    "comp.col.justification": "Justification", "comp.col.approver": "Approved by",
    "comp.col.expires": "Expires", "comp.no_waivers": "No waivers.",
    "comp.scope.all": "every router", "comp.scope.router": "router {name}",
    "comp.scope.site": "site {name}", "comp.scope.platform": "platform {name}",
    "comp.rules": "Rules", "comp.secret": "[secret]",
}


def messages(lang: str) -> dict[str, str]:
    """Every message of ``lang`` (statuses under ``status.``, site kinds under ``kind.``,
    severities under ``severity.``)."""
    if lang not in LANGUAGES:
        raise PydriverError(f"language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    out = dict(_MESSAGES[lang])
    out.update({f"status.{k}": v for k, v in _STATUS[lang].items()})
    out.update({f"kind.{k}": v for k, v in _KIND[lang].items()})
    out.update({f"severity.{k}": v for k, v in _SEVERITY[lang].items()})
    return out


def catalogue(lang: str) -> Callable[[str], str]:
    """A lookup for ``lang``; an unknown key is a programming error and raises KeyError."""
    table = messages(lang)
    return table.__getitem__
