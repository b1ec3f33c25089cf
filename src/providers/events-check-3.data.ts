// A third hand-checked list, of provider events neither of the other lists holds, across more
// providers (Azure Activity, Entra ID sign-in and audit, Kubernetes, GCP, GitHub, Google Workspace,
// Slack, 1Password, CrowdStrike, Linux auditd, Sysmon, Windows Security ...). Built before looking at
// what ruleatlas finds for these events, the same way and by the same rules as the others: every rule
// of the corpus that watches the event, found by grepping every platform for the event name (and its
// ids, REST and gRPC spellings), then reading each candidate's query. A rule counts when the event is
// what its query selects, positively (a wildcard or term that covers the event counts; an exclusion,
// a note, a reference link or a commented-out line does not). Panther rules whose Python file the
// corpus lacks do not count, nor do files holding an older copy of a rule another file holds (the
// catalog keeps one: Sentinel's GitHub and 1Password solutions have such pairs). A grep cannot see
// an event inside a Splunk macro or a LIKE pattern: four rules (two such patterns, one macro, one
// the first reading skipped) were found by comparing with ruleatlas's output afterwards, and each
// was read before it was added. A comment marks a doubtful entry.

import type { CheckedEvent } from './events-check.data.js';

export const checkedEvents: CheckedEvent[] = [
  {
    provider: 'aws-cloudtrail',
    event: 'ModifyImageAttribute',
    rules: [
      'chronicle/rules/community/aws/cloudtrail/aws_ec2_ami_or_snapshot_shared_publicly.yaral',
      'elastic/rules/integrations/aws/exfiltration_ec2_ami_shared_with_separate_account.toml',
      'kql-community/falconfriday/0xFF-0236-Resource_Shared_with_Unknown_External_Account-AWS.md',
      // EC2 calls `LIKE '%Image%'` (Describe* left out): found by the comparison.
      'panther/queries/aws_queries/ec2_crud_activity_by_role_query.yml',
      'panther/queries/aws_queries/ec2_crud_activity_by_useragent_query.yml',
      'splunk/detections/cloud/aws_ami_attribute_modification_for_exfiltration.yml',
    ],
  },
  {
    provider: 'aws-cloudtrail',
    event: 'GetPasswordData',
    rules: [
      'chronicle/rules/community/aws/cloudtrail/aws_ec2_get_windows_admin_password.yaral',
      'elastic/rules/integrations/aws/credential_access_aws_getpassword_for_ec2_instance.toml',
      'kql-community/falconfriday/0xFF-0235-AWS_User_Accessing_Excessive_Secrets-AWS.md',
      'splunk/detections/cloud/aws_credential_access_getpassworddata.yml',
    ],
  },
  {
    provider: 'aws-cloudtrail',
    event: 'CreateNetworkAclEntry',
    rules: [
      'elastic/rules/integrations/aws/defense_evasion_ec2_nacl_all_traffic_allowed_new_identity.toml',
      'elastic/rules/integrations/aws/persistence_ec2_network_acl_creation.toml',
      'sentinel/Solutions/Amazon Web Services/Analytic Rules/AWS_NetworkACLOpenToAllPorts.yaml',
      'sentinel/Solutions/Amazon Web Services/Analytic Rules/AWS_ChangeToVPC.yaml',
      'sigma/rules/cloud/aws/cloudtrail/aws_cloudtrail_new_acl_entries.yml',
      'splunk/detections/cloud/aws_network_access_control_list_created_with_all_open_ports.yml',
      // Its `network_acl_events` macro lists the network ACL calls: found by the comparison.
      'splunk/detections/deprecated/detect_spike_in_network_acl_activity.yml',
    ],
  },
  // Elastic's logging-bucket deletion rule is GCP's DeleteBucket (gcp-audit), not S3's.
  {
    provider: 'aws-cloudtrail',
    event: 'DeleteBucket',
    rules: [
      'sigma/rules/cloud/aws/cloudtrail/aws_cloudtrail_bucket_deleted.yml',
      'splunk/detections/cloud/detect_spike_in_s3_bucket_deletion.yml',
    ],
  },
  {
    provider: 'azure-activity',
    event: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/RUNCOMMAND/ACTION',
    rules: [
      'elastic/rules/cross-platform/execution_azure_vm_run_command_powershell_unrestricted_script.toml',
      'elastic/rules/integrations/azure/execution_compute_vm_command_executed.toml',
    ],
  },
  // The Key Vault rule of unusual users watches every vault operation (`MICROSOFT.KEYVAULT/VAULTS/*`).
  {
    provider: 'azure-activity',
    event: 'MICROSOFT.KEYVAULT/VAULTS/DELETE',
    rules: [
      'elastic/rules/integrations/azure/impact_key_vault_modified_by_unusual_user.toml',
      'sigma/rules/cloud/azure/activity_logs/azure_keyvault_modified_or_deleted.yml',
    ],
  },
  // The Microsoft 365 management activity log spells it with a final period (Entra ID's workload there).
  {
    provider: 'entra-id-audit',
    event: 'Disable Strong Authentication',
    rules: [
      'elastic/rules/integrations/azure/persistence_entra_id_mfa_disabled_for_user.toml',
      'sigma/rules/cloud/azure/audit_logs/azure_mfa_disabled.yml',
      'sigma/rules/cloud/m365/audit/microsoft365_disabling_mfa.yml',
      'splunk/detections/cloud/azure_ad_multi_factor_authentication_disabled.yml',
      'splunk/detections/cloud/o365_disable_mfa.yml',
    ],
  },
  {
    provider: 'entra-id-audit',
    event: 'Set federation settings on domain',
    rules: [
      'elastic/rules/integrations/azure/privilege_escalation_entra_id_tenant_domain_federation_via_audit_logs.toml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/ADFSDomainTrustMods.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/NRT_ADFSDomainTrustMods.yaml',
      'sigma/rules/cloud/azure/audit_logs/azure_federation_modified.yml',
    ],
  },
  // Sentinel's password-spray rule reads 53003 only in a joined baseline of successes it counts: left out.
  {
    provider: 'entra-id-signin',
    event: '53003',
    rules: [
      'sigma/rules/cloud/azure/signin_logs/azure_conditional_access_failure.yml',
      'sigma/rules/cloud/azure/signin_logs/azure_user_login_blocked_by_conditional_access.yml',
    ],
  },
  {
    provider: 'okta',
    event: 'security.threat.detected',
    rules: [
      'chronicle/rules/community/okta/okta_threatinsight_login_failure_with_high_unknown_users.yaral',
      'chronicle/rules/community/okta/okta_threatinsight_suspected_brute_force_attack.yaral',
      'chronicle/rules/community/okta/okta_threatinsight_suspected_password_spray_attack.yaral',
      'elastic/rules/integrations/okta/okta_threatinsight_threat_suspected_promotion.toml',
      'sentinel/Solutions/Okta Single Sign-On/Analytic Rules/DeviceRegistrationMaliciousIP.yaml',
      'sigma/rules/identity/okta/okta_security_threat_detected.yml',
      'splunk/detections/application/okta_threatinsight_threat_detected.yml',
      'splunk/detections/deprecated/okta_threatinsight_login_failure_with_high_unknown_users.yml',
      'splunk/detections/deprecated/okta_threatinsight_suspected_passwordspray_attack.yml',
    ],
  },
  {
    provider: 'okta',
    event: 'user.mfa.factor.update',
    rules: [
      'elastic/rules/integrations/okta/persistence_stolen_credentials_used_to_login_to_okta_account_after_mfa_reset.toml',
      'panther/queries/okta_queries/okta_mfa_password_reset_audit.yml',
      'sentinel/Solutions/Okta Single Sign-On/Hunting Queries/RareMFAOperation.yaml',
    ],
  },
  {
    provider: 'github-audit',
    event: 'org.disable_two_factor_requirement',
    rules: [
      'chronicle/rules/community/github/github_two_factor_authentication_requirement_disabled.yaral',
      'sentinel/Solutions/GitHub/Analytic Rules/GitHub - Two Factor Authentication Disabled in GitHub.yaml',
      'sentinel/Solutions/GitHub/Analytic Rules/NRT Two Factor Authentication Disabled.yaml',
      'sigma/rules/application/github/audit/github_disable_high_risk_configuration.yml',
    ],
  },
  // Named by a wildcard over its package and version (`google.logging.v*.ConfigServiceV*.DeleteSink`).
  {
    provider: 'gcp-audit',
    event: 'DeleteSink',
    rules: ['elastic/rules/integrations/gcp/defense_evasion_gcp_logging_sink_deletion.toml'],
  },
  {
    provider: 'gcp-audit',
    event: 'DestroyCryptoKeyVersion',
    rules: ['chronicle/rules/community/gcp/gcp_multiple_kms_keys_disabled_or_destroyed.yaral'],
  },
  // No rule spells the REST method whole: a regex (`compute.firewalls.insert$`), wildcards
  // (`*.compute.firewalls.insert`, `v*.Compute.Firewalls.Insert`) and a KQL term (`firewalls.insert`).
  {
    provider: 'gcp-audit',
    event: 'v1.compute.firewalls.insert',
    rules: [
      'chronicle/rules/community/gcp/gcp_firewall_rule_opened_to_world.yaral',
      'elastic/rules/integrations/gcp/defense_evasion_gcp_firewall_rule_created.toml',
      'sentinel/Solutions/Google Cloud Platform Audit Logs/Analytic Rules/GCPOpenFirewallRuleCreated.yaml',
      'sigma/rules/cloud/gcp/audit/gcp_firewall_rule_modified_or_deleted.yml',
    ],
  },
  // Native audit (verb, resource, subresource), AKS through Azure platform logs, and GKE's method name.
  {
    provider: 'kubernetes-audit',
    event: 'create serviceaccounts/token',
    rules: [
      'elastic/rules/integrations/azure/credential_access_azure_aks_service_account_token_requested.toml',
      'elastic/rules/integrations/gcp/credential_access_gcp_gke_service_account_token_created_via_tokenrequest.toml',
      'elastic/rules/integrations/kubernetes/credential_access_kubernetes_service_account_token_created_via_tokenrequest.toml',
    ],
  },
  // Sentinel's mail-forwarding rule has it commented out; Sigma's PowerShell-script rule is another log.
  {
    provider: 'microsoft-365',
    event: 'Set-Mailbox',
    rules: [
      'elastic/rules/integrations/o365/collection_exchange_new_inbox_rule.toml',
      'elastic/rules/integrations/o365/persistence_exchange_suspicious_mailbox_permission_delegation.toml',
      'sentinel/Solutions/Microsoft 365/Analytic Rules/RareOfficeOperations.yaml',
      'sigma/rules-threat-hunting/cloud/m365/audit/microsoft365_susp_email_forwarding_activity.yml',
      'splunk/detections/cloud/o365_mailbox_email_forwarding_enabled.yml',
      'splunk/detections/deprecated/o365_suspicious_admin_email_forwarding.yml',
      'splunk/detections/deprecated/o365_suspicious_user_email_forwarding.yml',
    ],
  },
  {
    provider: 'microsoft-365',
    event: 'Add-MailboxFolderPermission',
    rules: [
      'sentinel/Solutions/Microsoft 365/Analytic Rules/RareOfficeOperations.yaml',
      'splunk/detections/cloud/o365_mailbox_folder_read_permission_granted.yml',
    ],
  },
  {
    provider: 'windows-security',
    event: '4704',
    rules: [
      'elastic/rules/windows/credential_access_seenabledelegationprivilege_assigned_to_user.toml',
      'sigma/rules/windows/builtin/security/win_security_alert_active_directory_user_control.yml',
    ],
  },
  {
    provider: 'linux-auditd',
    event: 'init_module',
    rules: [
      'elastic/rules/linux/persistence_kernel_driver_load.toml',
      'elastic/rules/linux/persistence_kernel_driver_load_by_non_root.toml',
    ],
  },
  // Splunk's rule names the log by its `linux_auditd` macro.
  {
    provider: 'linux-auditd',
    event: 'ADD_USER',
    rules: [
      'sigma/rules/linux/auditd/syscall/lnx_auditd_create_account.yml',
      'splunk/detections/endpoint/linux_auditd_add_user_account_type.yml',
    ],
  },
  // Sigma's create_remote_thread category is any product's, not Sysmon's log: it does not count.
  {
    provider: 'sysmon',
    event: '8',
    rules: [
      'elastic/rules/windows/defense_evasion_injection_msbuild.toml',
      'splunk/detections/endpoint/create_remote_thread_in_shell_application.yml',
      'splunk/detections/endpoint/create_remote_thread_into_lsass.yml',
      'splunk/detections/endpoint/powershell_remote_thread_to_known_windows_process.yml',
      'splunk/detections/endpoint/rundll32_create_remote_thread_to_a_process.yml',
      'splunk/detections/endpoint/rundll32_createremotethread_in_browser.yml',
      'splunk/detections/endpoint/windows_process_injection_of_wermgr_to_known_browser.yml',
      'splunk/detections/endpoint/windows_process_injection_remote_thread.yml',
      'splunk/detections/endpoint/windows_process_injection_with_public_source_path.yml',
    ],
  },
  {
    provider: 'google-workspace',
    event: 'ADD_TRUSTED_DOMAINS',
    rules: [
      'chronicle/rules/community/workspace/google_workspace_new_trusted_domain_added.yaral',
      'elastic/rules/integrations/google_workspace/defense_evasion_domain_added_to_google_workspace_trusted_domains.toml',
    ],
  },
  {
    provider: 'google-workspace',
    event: 'CREATE_ROLE',
    rules: [
      'chronicle/rules/community/workspace/google_workspace_custom_admin_role_created.yaral',
      'elastic/rules/integrations/google_workspace/persistence_google_workspace_custom_admin_role_created.toml',
    ],
  },
  {
    provider: 'onepassword',
    event: 'create invite',
    rules: [
      'sentinel/Solutions/1Password/Analytics Rules/1Password - Manual Account Creation.yaml',
      'sentinel/Solutions/1Password/Analytics Rules/1Password - Manual account creation.yaml',
    ],
  },
  // The export before a suspension is read in a joined subquery (missed by the first reading).
  {
    provider: 'onepassword',
    event: 'export vault',
    rules: [
      'sentinel/Solutions/1Password/Analytics Rules/1Password - Vault export prior to account suspension or deletion.yaml',
      'sentinel/Solutions/1Password/Analytics Rules/1Password - Vault Export Post Account Creation.yaml',
      'sentinel/Solutions/1Password/Analytics Rules/1Password - Vault Export.yaml',
    ],
  },
  // Both read it in a joined subquery (a login after a deactivation, a login with another address).
  {
    provider: 'slack-audit',
    event: 'user_login',
    rules: [
      'sentinel/Solutions/SlackAudit/Analytic Rules/SlackAuditUserEmailChanged.yaml',
      'sentinel/Solutions/SlackAudit/Analytic Rules/SlackAuditUserLoginAfterDeactivated.yaml',
    ],
  },
  // The older query reads the same FDR events from the table of unrecognised CrowdStrike events.
  {
    provider: 'crowdstrike-fdr',
    event: 'ZipFileWritten',
    rules: [
      'panther/queries/crowdstrike_queries/CrowdStrike_Large_Zip_Creation.yml',
      'panther/queries/crowdstrike_queries/CrowdStrike_Large_Zip_Creation_FDREvent.yml',
    ],
  },
];
