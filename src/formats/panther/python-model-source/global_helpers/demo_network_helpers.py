from ipaddress import ip_address, ip_network


def in_any_network(ip_addr, networks):
    return any(ip_address(ip_addr) in ip_network(network) for network in networks)
