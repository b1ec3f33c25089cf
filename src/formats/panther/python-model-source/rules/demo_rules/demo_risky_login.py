def rule(event):
    if str(event.get("event_type_id")) not in ["5", "6"]:
        return False
    return int(event.get("risk_score")) == 80
