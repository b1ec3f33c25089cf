ALLOWED_SUFFIXES = [".example.com", ".okta.com"]
LOOKALIKE_WORDS = ["login", "sso"]


def rule(event):
    for domain in event.get("p_any_domain_names", []):
        allowed = [s for s in ALLOWED_SUFFIXES if domain.lower().endswith(s)]
        if allowed:
            continue
        if [w for w in LOOKALIKE_WORDS if w in domain.lower()]:
            return True
    return False
