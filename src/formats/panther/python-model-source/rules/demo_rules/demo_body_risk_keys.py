PASSTHROUGH = {"medium", "high"}


def rule(event):
    if event.get("operationName") != "Sign-in activity":
        return False
    for risk_type in ["riskLevelAggregated", "riskLevelDuringSignIn"]:
        if event.deep_get("properties", risk_type, default="").lower() in PASSTHROUGH:
            return True
    return False
