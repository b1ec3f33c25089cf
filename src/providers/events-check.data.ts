// Hand-checked: every rule of the corpus (../shared/corpus, paths relative to it) that watches a
// provider event, found by grepping each platform for the event name, its synonyms, macros and
// patterns, and reading the candidates. Rules whose detection logic is not in the corpus (Panther
// YAML whose Python file is absent) are left out: nothing in the corpus says what they match.
// Mentions in notes, tests or commented-out lines do not count; nor do PowerShell-log rules that
// look for the cmdlet New-InboxRule (another provider's event), nor deprecated copies.

export interface CheckedEvent {
  provider: string;
  event: string;
  rules: string[];
}

export const checkedEvents: CheckedEvent[] = [
  { provider: 'okta', event: 'user.session.impersonation.initiate', rules: [
    'sentinel/Solutions/Okta Single Sign-On/Analytic Rules/UserSessionImpersonation.yaml',
    'sentinel/Solutions/Okta Single Sign-On/Hunting Queries/ImpersonationSession.yaml',
    'elastic/rules/integrations/okta/credential_access_user_impersonation_access.toml',
    'panther/queries/okta_queries/okta_support_access.yml',
  ] },
  { provider: 'aws-cloudtrail', event: 'StopLogging', rules: [
    'sentinel/Solutions/Amazon Web Services/Analytic Rules/AWS_ClearStopChangeTrailLogs.yaml',
    'sentinel/Solutions/Amazon Web Services/Analytic Rules/AWS_ConfigServiceResourceDeletion.yaml',
    'elastic/rules/integrations/aws/defense_evasion_cloudtrail_logging_suspended.toml',
    'elastic/rules/integrations/aws/lateral_movement_k8_assumed_web_identity_session_with_multi_phase_api_use.toml',
    'sigma/rules/cloud/aws/cloudtrail/aws_cloudtrail_disable_logging.yml',
    'splunk/detections/cloud/asl_aws_defense_evasion_stop_logging_cloudtrail.yml',
    'splunk/detections/cloud/aws_defense_evasion_stop_logging_cloudtrail.yml',
    'chronicle/rules/community/aws/cloudtrail/aws_cloudtrail_logging_tampered.yaral',
  ] },
  { provider: 'aws-cloudtrail', event: 'DeleteTrail', rules: [
    'sentinel/Solutions/Amazon Web Services/Analytic Rules/AWS_ClearStopChangeTrailLogs.yaml',
    'sentinel/Solutions/Amazon Web Services/Analytic Rules/AWS_ConfigServiceResourceDeletion.yaml',
    'elastic/rules/integrations/aws/defense_evasion_cloudtrail_logging_deleted.toml',
    'elastic/rules/integrations/aws/lateral_movement_k8_assumed_web_identity_session_with_multi_phase_api_use.toml',
    'sigma/rules/cloud/aws/cloudtrail/aws_cloudtrail_disable_logging.yml',
    'splunk/detections/cloud/asl_aws_defense_evasion_delete_cloudtrail.yml',
    'splunk/detections/cloud/aws_defense_evasion_delete_cloudtrail.yml',
    'chronicle/rules/community/aws/cloudtrail/aws_cloudtrail_logging_tampered.yaral',
  ] },
  { provider: 'windows-security', event: '1102', rules: [
    'sentinel/Detections/SecurityEvent/SecurityEventLogCleared.yaml',
    'sentinel/Solutions/Windows Security Events/Analytic Rules/NRT_SecurityEventLogCleared.yaml',
    'sigma/rules/windows/builtin/security/win_security_audit_log_cleared.yml',
    'splunk/detections/endpoint/windows_event_log_cleared.yml',
  ] },
  { provider: 'windows-security', event: '4720', rules: [
    'sentinel/Detections/SecurityEvent/FakeComputerAccountCreated.yaml',
    'sigma/rules/windows/builtin/security/win_security_hidden_user_creation.yml',
    'sigma/rules/windows/builtin/security/win_security_new_or_renamed_user_account_with_dollar_sign.yml',
    'sigma/rules/windows/builtin/security/win_security_susp_local_anon_logon_created.yml',
    'sigma/rules/windows/builtin/security/win_security_user_creation.yml',
    'splunk/detections/application/windows_increase_in_user_modification_activity.yml',
    'splunk/detections/endpoint/detect_new_local_admin_account.yml',
  ] },
  { provider: 'github-audit', event: 'repo.destroy', rules: [
    'sentinel/Solutions/GitHub/Analytic Rules/GitHub - Repository was destroyed.yaml',
    'elastic/rules/integrations/github/impact_github_repository_deleted.toml',
    'sigma/rules/application/github/audit/github_delete_action_invoked.yml',
    'chronicle/rules/community/github/github_repository_archived_or_deleted.yaral',
  ] },
  { provider: 'microsoft-365', event: 'New-InboxRule', rules: [
    'sentinel/Solutions/Microsoft 365/Analytic Rules/Malicious_Inbox_Rule.yaml',
    'sentinel/Solutions/Microsoft 365/Analytic Rules/RareOfficeOperations.yaml',
    'elastic/rules/integrations/o365/collection_exchange_new_inbox_rule.toml',
    'elastic/rules/integrations/o365/defense_evasion_exchange_inbox_rule_obfuscated_name.toml',
    'elastic/rules/integrations/o365/defense_evasion_exchange_new_inbox_rule_delete_or_move.toml',
    'sigma/rules-threat-hunting/cloud/m365/audit/microsoft365_susp_email_forwarding_activity.yml', // via contains New-InboxRule
    'sigma/rules-threat-hunting/cloud/m365/audit/microsoft365_susp_inbox_rule_creation_or_update_activity.yml',
    'splunk/detections/cloud/o365_new_email_forwarding_rule_created.yml',
  ] },

];
