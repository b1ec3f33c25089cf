from ipaddress import ip_address

from demo_network_helpers import in_any_network

OFFICE_NETWORKS = ["52.10.0.0/16", "2a05:d000::/32"]


def rule(event):
    if event.get("dstport") != 22:
        return False
    source = ip_address(event.get("srcaddr"))
    if not (hasattr(source, "is_global") and source.is_global):
        return False
    return not in_any_network(event.get("srcaddr"), OFFICE_NETWORKS)
