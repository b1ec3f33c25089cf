MINING_DOMAINS = ["pool.example", "miner.test"]


def query_name(event):
    name = event.get("query")
    if name:
        name = name.rstrip(".")
    return name


def rule(event):
    query = event.get("query")
    if not query or not query.strip():
        return False
    for domain in MINING_DOMAINS:
        if query.rstrip(".").endswith(domain):
            return True
    return query_name(event) == "coin.example"
