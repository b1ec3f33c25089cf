import ipaddress


def rule(event):
    if event.get("eventName") != "AuthorizeSecurityGroupIngress":
        return False
    cidr = event.get("ingress", {}).get("cidr")
    if cidr == "0.0.0.0/0":
        return True
    return not ipaddress.ip_network(cidr).is_private
