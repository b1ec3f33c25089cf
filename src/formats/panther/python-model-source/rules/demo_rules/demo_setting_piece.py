def rule(event):
    setting = event.get("setting", "").split("-")[0].strip()
    return setting == "Protection Settings"
