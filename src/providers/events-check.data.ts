// Hand-checked: every rule of the corpus (../shared/corpus, paths relative to it) that watches a
// provider event, found by grepping each platform for the event name, its synonyms, macros and
// patterns, and reading the candidates. Rules whose detection logic is not in the corpus (Panther
// YAML whose Python file is absent) are left out: nothing in the corpus says what they match.
// Mentions in notes, tests or commented-out lines do not count; nor do PowerShell-log rules that
// look for the cmdlet New-InboxRule (another provider's event). Deprecated rules the corpus still
// holds count when their logic watches the event. Panther Python and YAML tests that merely spell
// an event, and runbooks or investigation notes naming one (Elastic's notes name many), do not.

export interface CheckedEvent {
  provider: string;
  event: string;
  rules: string[];
}

export const checkedEvents: CheckedEvent[] = [
  {
    provider: 'okta',
    event: 'user.session.impersonation.initiate',
    rules: [
      'sentinel/Solutions/Okta Single Sign-On/Analytic Rules/UserSessionImpersonation.yaml',
      'sentinel/Solutions/Okta Single Sign-On/Hunting Queries/ImpersonationSession.yaml',
      'elastic/rules/integrations/okta/credential_access_user_impersonation_access.toml',
      'panther/queries/okta_queries/okta_support_access.yml',
    ],
  },
  {
    provider: 'aws-cloudtrail',
    event: 'StopLogging',
    rules: [
      'sentinel/Solutions/Amazon Web Services/Analytic Rules/AWS_ClearStopChangeTrailLogs.yaml',
      'sentinel/Solutions/Amazon Web Services/Analytic Rules/AWS_ConfigServiceResourceDeletion.yaml',
      'elastic/rules/integrations/aws/defense_evasion_cloudtrail_logging_suspended.toml',
      'elastic/rules/integrations/aws/lateral_movement_k8_assumed_web_identity_session_with_multi_phase_api_use.toml',
      'sigma/rules/cloud/aws/cloudtrail/aws_cloudtrail_disable_logging.yml',
      'splunk/detections/cloud/asl_aws_defense_evasion_stop_logging_cloudtrail.yml',
      'splunk/detections/cloud/aws_defense_evasion_stop_logging_cloudtrail.yml',
      'chronicle/rules/community/aws/cloudtrail/aws_cloudtrail_logging_tampered.yaral',
    ],
  },
  {
    provider: 'aws-cloudtrail',
    event: 'DeleteTrail',
    rules: [
      'sentinel/Solutions/Amazon Web Services/Analytic Rules/AWS_ClearStopChangeTrailLogs.yaml',
      'sentinel/Solutions/Amazon Web Services/Analytic Rules/AWS_ConfigServiceResourceDeletion.yaml',
      'elastic/rules/integrations/aws/defense_evasion_cloudtrail_logging_deleted.toml',
      'elastic/rules/integrations/aws/lateral_movement_k8_assumed_web_identity_session_with_multi_phase_api_use.toml',
      'sigma/rules/cloud/aws/cloudtrail/aws_cloudtrail_disable_logging.yml',
      'splunk/detections/cloud/asl_aws_defense_evasion_delete_cloudtrail.yml',
      'splunk/detections/cloud/aws_defense_evasion_delete_cloudtrail.yml',
      'chronicle/rules/community/aws/cloudtrail/aws_cloudtrail_logging_tampered.yaral',
    ],
  },
  {
    provider: 'windows-security',
    event: '1102',
    rules: [
      'elastic/rules/windows/defense_evasion_clearing_windows_security_logs.toml', // event.action audit-log-cleared
      'sentinel/Detections/SecurityEvent/SecurityEventLogCleared.yaml',
      'sentinel/Solutions/Windows Security Events/Analytic Rules/NRT_SecurityEventLogCleared.yaml',
      'sigma/rules/windows/builtin/security/win_security_audit_log_cleared.yml',
      'splunk/detections/endpoint/windows_event_log_cleared.yml',
    ],
  },
  {
    provider: 'windows-security',
    event: '4720',
    rules: [
      'sentinel/Detections/SecurityEvent/FakeComputerAccountCreated.yaml',
      'sigma/rules/windows/builtin/security/win_security_hidden_user_creation.yml',
      'sigma/rules/windows/builtin/security/win_security_new_or_renamed_user_account_with_dollar_sign.yml',
      'sigma/rules/windows/builtin/security/win_security_susp_local_anon_logon_created.yml',
      'sigma/rules/windows/builtin/security/win_security_user_creation.yml',
      'splunk/detections/application/windows_increase_in_user_modification_activity.yml',
      'splunk/detections/endpoint/detect_new_local_admin_account.yml',
      'splunk/detections/endpoint/short_lived_windows_accounts.yml', // the Change data model's result_id
      'splunk/detections/endpoint/windows_create_local_account.yml', // the Change data model's result_id
    ],
  },
  {
    provider: 'github-audit',
    event: 'repo.destroy',
    rules: [
      'sentinel/Solutions/GitHub/Analytic Rules/GitHub - Repository was destroyed.yaml',
      'elastic/rules/integrations/github/impact_github_repository_deleted.toml',
      'sigma/rules/application/github/audit/github_delete_action_invoked.yml',
      'chronicle/rules/community/github/github_repository_archived_or_deleted.yaral',
    ],
  },
  {
    provider: 'microsoft-365',
    event: 'New-InboxRule',
    rules: [
      'sentinel/Solutions/Microsoft 365/Analytic Rules/Malicious_Inbox_Rule.yaml',
      'sentinel/Solutions/Microsoft 365/Analytic Rules/RareOfficeOperations.yaml',
      'elastic/rules/integrations/o365/collection_exchange_new_inbox_rule.toml',
      'elastic/rules/integrations/o365/defense_evasion_exchange_inbox_rule_obfuscated_name.toml',
      'elastic/rules/integrations/o365/defense_evasion_exchange_new_inbox_rule_delete_or_move.toml',
      'sigma/rules-threat-hunting/cloud/m365/audit/microsoft365_susp_email_forwarding_activity.yml', // via contains New-InboxRule
      'sigma/rules-threat-hunting/cloud/m365/audit/microsoft365_susp_inbox_rule_creation_or_update_activity.yml',
      'splunk/detections/cloud/o365_new_email_forwarding_rule_created.yml',
    ],
  },
  {
    provider: 'aws-cloudtrail',
    event: 'ConsoleLogin',
    rules: [
      'chronicle/rules/community/aws/cloudtrail/aws_console_login_without_mfa.yaral',
      'chronicle/rules/community/aws/cloudtrail/aws_high_number_of_unknown_user_authentication_attempts.yaral',
      'chronicle/rules/community/aws/cloudtrail/aws_privilege_escalation_using_iam_login_profile.yaral',
      'chronicle/rules/community/aws/cloudtrail/aws_successful_console_authentication_from_multiple_ips.yaral',
      'chronicle/rules/community/aws/cloudtrail/aws_successful_login_after_multiple_failed_attempts.yaral',
      'chronicle/rules/community/aws/cloudtrail/aws_unusual_number_of_failed_authentications_from_the_same_ip.yaral',
      'elastic/rules/_deprecated/privilege_escalation_root_login_without_mfa.toml',
      'elastic/rules/integrations/aws/credential_access_root_console_failure_brute_force.toml',
      'elastic/rules/integrations/aws/initial_access_console_login_iam_user_multiple_geolocations.toml',
      'elastic/rules/integrations/aws/initial_access_console_login_root.toml',
      'elastic/rules/integrations/aws/initial_access_iam_user_console_login_without_mfa.toml',
      'elastic/rules/integrations/aws/initial_access_signin_console_login_federated_user.toml',
      'elastic/rules/integrations/aws/lateral_movement_ec2_instance_console_login.toml',
      'panther/queries/aws_queries/AWS_Authentication_from_CrowdStrike_Unmanaged_Device_FDREvent.yml',
      'panther/queries/aws_queries/cloudtrail_password_spraying_query.yml',
      'panther/queries/crowdstrike_queries/AWS_Authentication_from_CrowdStrike_Unmanaged_Device_Query.yml',
      'sentinel/Solutions/Amazon Web Services/Analytic Rules/AWS_ConsoleLogonWithoutMFA.yaml',
      'sentinel/Solutions/Amazon Web Services/Analytic Rules/NRT_AWS_ConsoleLogonWithoutMFA.yaml',
      'sigma/rules-placeholder/cloud/aws/cloudtrail/aws_cloudtrail_console_login_success_from_susp_locations.yml',
      'sigma/rules/cloud/aws/cloudtrail/aws_cloudtrail_console_login_failed_authentication.yml',
      'sigma/rules/cloud/aws/cloudtrail/aws_cloudtrail_console_login_success_without_mfa.yml',
      'splunk/detections/cloud/aws_console_login_failed_during_mfa_challenge.yml',
      'splunk/detections/cloud/aws_createloginprofile.yml',
      'splunk/detections/cloud/aws_credential_access_failed_login.yml',
      'splunk/detections/cloud/aws_high_number_of_failed_authentications_for_user.yml',
      'splunk/detections/cloud/aws_high_number_of_failed_authentications_from_ip.yml',
      'splunk/detections/cloud/aws_multiple_failed_mfa_requests_for_user.yml',
      'splunk/detections/cloud/aws_multiple_users_failing_to_authenticate_from_ip.yml',
      'splunk/detections/cloud/aws_successful_console_authentication_from_multiple_ips.yml',
      'splunk/detections/cloud/aws_successful_single_factor_authentication.yml',
      'splunk/detections/cloud/aws_unusual_number_of_failed_authentications_from_ip.yml',
      'splunk/detections/cloud/detect_aws_console_login_by_new_user.yml',
      'splunk/detections/cloud/detect_aws_console_login_by_user_from_new_city.yml',
      'splunk/detections/cloud/detect_aws_console_login_by_user_from_new_country.yml',
      'splunk/detections/cloud/detect_aws_console_login_by_user_from_new_region.yml',
      'splunk/detections/deprecated/detect_new_user_aws_console_login.yml',
    ],
  },
  // Also through the Microsoft 365 management log (`Add member to role.`); PIM activities are others.
  {
    provider: 'entra-id-audit',
    event: 'Add member to role',
    rules: [
      'chronicle/rules/community/microsoft/entra_id/entra_id_add_user_to_admin_role.yaral',
      'chronicle/rules/community/microsoft/entra_id/entra_id_recently_created_user_assigned_azuread_roles.yaral',
      'chronicle/rules/community/microsoft/o365/o365_add_user_to_admin_role.yaral',
      'chronicle/rules/community/microsoft/o365/o365_recently_created_entra_id_user_assigned_roles.yaral',
      'elastic/rules/integrations/azure/persistence_entra_id_global_administrator_role_assigned.toml',
      'elastic/rules/integrations/o365/persistence_entra_id_global_administrator_role_assign.toml',
      'kql-community/bert-janp/Azure Active Directory/ADRoleAdditions.md',
      'kql-community/bert-janp/Azure Active Directory/CloudPersistenceActivityByUserAtRisk.md', // has_any ("add member", ...): a term of it
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/BulkChangestoPrivilegedAccountPermissions.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/MultipleAdmin_membership_removals_from_NewAdmin.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/NRT_PrivlegedRoleAssignedOutsidePIM.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/NRT_UseraddedtoPrivilgedGroups.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/PrivlegedRoleAssignedOutsidePIM.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/UserAssignedNewPrivilegedRole.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/UserAssignedPrivilegedRole.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/UseraddedtoPrivilgedGroups.yaml',
      'sigma/rules/cloud/azure/audit_logs/azure_ad_user_added_to_admin_role.yml',
      'sigma/rules/cloud/azure/audit_logs/azure_ad_users_added_to_device_admin_roles.yml',
      'sigma/rules/cloud/azure/audit_logs/azure_app_role_added.yml',
      'splunk/detections/cloud/azure_ad_admin_consent_bypassed_by_service_principal.yml',
      'splunk/detections/cloud/azure_ad_application_administrator_role_assigned.yml',
      'splunk/detections/cloud/azure_ad_global_administrator_role_assigned.yml',
      'splunk/detections/cloud/azure_ad_privileged_authentication_administrator_role_assigned.yml',
      'splunk/detections/cloud/azure_ad_privileged_role_assigned.yml',
      'splunk/detections/cloud/azure_ad_privileged_role_assigned_to_service_principal.yml',
      'splunk/detections/cloud/o365_high_privilege_role_granted.yml',
      'splunk/detections/cloud/o365_privileged_role_assigned.yml',
      'splunk/detections/cloud/o365_privileged_role_assigned_to_service_principal.yml',
    ],
  },
  // The gRPC method on any service (project, BigQuery, IAM admin); REST `*.setIamPolicy` are others.
  {
    provider: 'gcp-audit',
    event: 'SetIamPolicy',
    rules: [
      'chronicle/rules/community/gcp/gcp_admin_privileged_roles_added_to_service_accounts.yaral',
      'chronicle/rules/community/gcp/gcp_bigquery_datasets_opened_to_public.yaral',
      'chronicle/rules/community/gcp/gcp_cloud_audit_logging_removed_from_all_services.yaral',
      'chronicle/rules/community/gcp/gcp_exempt_principals_from_audit_log.yaral',
      'chronicle/rules/community/gcp/gcp_free_gmail_domains_added_to_iam_policy.yaral',
      'elastic/rules/integrations/gcp/persistence_gcp_service_account_impersonation_role_grant.toml',
      'sentinel/Solutions/Google Cloud Platform Audit Logs/Analytic Rules/GCPDataAccessLoggingExemption.yaml',
      'sentinel/Solutions/GoogleCloudPlatformIAM/Analytic Rules/GCPIAMDisableDataAccessLogging.yaml',
      'sentinel/Solutions/GoogleCloudPlatformIAM/Analytic Rules/GCPIAMHighPrivilegedRoleAdded.yaml',
      'sentinel/Solutions/GoogleCloudPlatformIAM/Analytic Rules/GCPIAMPublicBucket.yaml',
    ],
  },
  // EKS, AKS and GKE (`io.k8s.core.v1.pods.exec.create`); any verb on pods/exec includes create.
  {
    provider: 'kubernetes-audit',
    event: 'create pods/exec',
    rules: [
      // Newer than this list: any of six verbs, create among them, on pods/exec (attach, portforward, log).
      'elastic/rules/cross-platform/execution_d4c_k8s_mda_kubernetes_api_activity_by_unusual_utilities.toml',
      'elastic/rules/integrations/azure/execution_azure_aks_user_exec_into_pod.toml',
      'elastic/rules/integrations/gcp/credential_access_gcp_gke_pod_exec_cloud_instance_metadata.toml',
      'elastic/rules/integrations/gcp/credential_access_gcp_gke_pod_exec_sensitive_file_access.toml',
      'elastic/rules/integrations/gcp/execution_gcp_gke_pod_exec_curl_wget_https.toml',
      'elastic/rules/integrations/gcp/execution_gcp_gke_pod_exec_potential_reverse_shell.toml',
      'elastic/rules/integrations/gcp/execution_gcp_gke_user_exec_into_pod.toml',
      'elastic/rules/integrations/kubernetes/credential_access_kubernetes_pod_exec_cloud_instance_metadata.toml',
      'elastic/rules/integrations/kubernetes/credential_access_kubernetes_pod_exec_sensitive_file_access.toml',
      'elastic/rules/integrations/kubernetes/execution_kubernetes_pod_exec_curl_wget_https.toml',
      'elastic/rules/integrations/kubernetes/execution_kubernetes_pod_exec_potential_reverse_shell.toml',
      'elastic/rules/integrations/kubernetes/execution_user_exec_to_pod.toml',
      'panther/queries/kubernetes_queries/kubernetes_unauthorized_pod_execution_query.yml',
      'sigma/rules/application/kubernetes/audit/kubernetes_audit_exec_into_container.yml',
    ],
  },
  {
    provider: 'google-workspace',
    event: 'ASSIGN_ROLE',
    rules: [
      'chronicle/rules/community/workspace/google_workspace_admin_role_assignment.yaral',
      'elastic/rules/integrations/google_workspace/persistence_google_workspace_admin_role_assigned_to_user.toml',
    ],
  },
  {
    provider: 'okta',
    event: 'user.mfa.factor.deactivate',
    rules: [
      'chronicle/rules/community/okta/okta_user_password_and_mfa_factor_reset_or_deactivated.yaral',
      'elastic/rules/integrations/okta/persistence_mfa_deactivation_with_no_reactivation.toml',
      'panther/queries/okta_queries/okta_mfa_password_reset_audit.yml',
      'sentinel/Solutions/Okta Single Sign-On/Analytic Rules/NewDeviceLocationCriticalOperation.yaml',
      'sigma/rules/identity/okta/okta_mfa_reset_or_deactivated.yml',
      'splunk/detections/application/okta_multi_factor_authentication_disabled.yml',
    ],
  },
  {
    provider: 'github-audit',
    event: 'org.add_member',
    rules: [
      'elastic/rules/integrations/github/persistence_github_org_owner_added.toml',
      'elastic/rules_building_block/persistence_github_new_user_added_to_organization.toml',
      'sentinel/Solutions/GitHub/Analytic Rules/GitHub - User was added to the organization.yaml',
      'sigma/rules/application/github/audit/github_new_org_member.yml',
    ],
  },
  {
    provider: 'microsoft-365',
    event: 'Add-MailboxPermission',
    rules: [
      'elastic/rules/integrations/o365/persistence_exchange_suspicious_mailbox_permission_delegation.toml',
      'sentinel/Solutions/Microsoft 365/Analytic Rules/RareOfficeOperations.yaml',
      'splunk/detections/cloud/o365_elevated_mailbox_permission_assigned.yml',
      'splunk/detections/deprecated/o365_suspicious_rights_delegation.yml',
    ],
  },
  {
    provider: 'windows-security',
    event: '4732',
    rules: [
      'elastic/rules/windows/persistence_user_account_added_to_privileged_group_ad.toml', // event.action added-member-to-group (4728, 4732, 4756)
      'sentinel/Detections/SecurityEvent/GroupCreatedAddedToPrivlegeGroup_1h.yaml',
      'sigma/rules/windows/builtin/security/win_security_user_added_to_local_administrators.yml',
      'splunk/detections/application/windows_increase_in_user_modification_activity.yml',
      'splunk/detections/endpoint/detect_new_local_admin_account.yml',
      'splunk/detections/endpoint/windows_dnsadmins_new_member_added.yml',
    ],
  },
  // Any verb list holding create; Azure Activity's CLUSTERROLEBINDINGS/WRITE (Arc) is another provider's.
  {
    provider: 'kubernetes-audit',
    event: 'create clusterrolebindings',
    rules: [
      // Newer than this list: any of six verbs, create among them, on seventeen resources.
      'elastic/rules/cross-platform/execution_d4c_k8s_mda_kubernetes_api_activity_by_unusual_utilities.toml',
      'elastic/rules/_deprecated/privilege_escalation_gcp_kubernetes_rolebindings_created_or_patched.toml',
      'elastic/rules/integrations/gcp/persistence_gcp_gke_cluster_admin_role_binding.toml',
      'elastic/rules/integrations/gcp/persistence_gcp_gke_role_binding_referencing_service_account.toml',
      'elastic/rules/integrations/gcp/privilege_escalation_gcp_gke_service_account_modified_rbac_objects.toml',
      'elastic/rules/integrations/kubernetes/persistence_cluster_admin_rolebinding_created.toml',
      'elastic/rules/integrations/kubernetes/persistence_service_account_bound_to_clusterrole.toml',
      'elastic/rules/integrations/kubernetes/privilege_escalation_service_account_rbac_write_operation.toml',
      'sigma/rules/application/kubernetes/audit/kubernetes_audit_rolebinding_modification.yml',
      'sigma/rules/cloud/gcp/audit/gcp_kubernetes_rolebinding.yml',
    ],
  },
];
