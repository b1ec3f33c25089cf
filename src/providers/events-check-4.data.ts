// A fourth hand-checked list, of provider events none of the other lists holds (issue #12's fresh
// audit). Its events came two ways: those that the queries of 40 rules drawn at random (the audit's
// seeded sample, every language and platform but Panther Python) were read to watch; and more drawn
// at random (seeded shuffles) from the provider events with two to six rules in a whole-corpus
// catalog and in none of the other lists: the first eight with a Sigma rule, the first ten without
// but Kubernetes `get nodes` and `patch daemonsets` (verb and resource patterns too many to read).
// Then, as for the other lists: every rule of the corpus watching each event, found by grepping every
// platform for the event name (and the Splunk ESCU macros ruleatlas knows, which a grep of the
// corpus cannot see), and reading each candidate's query. A rule counts when the event is what its
// query selects, positively: a term or pattern that covers the event counts (Sentinel's `has_any
// ("Remove", "Disable")` with `contains "AntiPhish"`); a note, a reference link, an exclusion, a
// Panther rule whose Python file the corpus lacks, or a YAML test spelling the event does not. A
// comment marks a doubtful entry. DescribeInstances, from the sample, is left out for the same
// reason as the two above (dozens of `Describe*` and `^Describe.*` rules to read).

import type { CheckedEvent } from './events-check.data.js';

export const checkedEvents: CheckedEvent[] = [
  {
    provider: 'aws-cloudtrail',
    event: 'DeleteRecoveryPoint',
    rules: ['elastic/rules/integrations/aws/impact_backup_recovery_point_deleted.toml'],
  },
  {
    provider: 'aws-cloudtrail',
    event: 'TransferDomainToAnotherAwsAccount',
    rules: [
      'elastic/rules/integrations/aws/persistence_route_53_domain_transferred_to_another_account.toml',
      'sigma/rules/cloud/aws/cloudtrail/aws_route_53_domain_transferred_to_another_account.yml',
    ],
  },
  {
    provider: 'aws-cloudtrail',
    event: 'EnableMFADevice',
    rules: [
      'elastic/rules/integrations/aws/persistence_aws_attempt_to_register_virtual_mfa_device.toml',
      'chronicle/rules/community/aws/cloudtrail/aws_new_mfa_method_registered_for_user.yaral',
    ],
  },
  {
    provider: 'aws-cloudtrail',
    event: 'StopInstances',
    rules: [
      'elastic/rules/integrations/aws/execution_ec2_stop_start_with_user_data_modification.toml',
      // Through the `ec2_modification_api_calls` macro.
      'splunk/detections/deprecated/ec2_instance_modified_with_previously_unseen_user.yml',
    ],
  },
  {
    provider: 'microsoft-365',
    event: 'Remove-AntiPhishRule',
    rules: [
      // `Operation has_any ("Remove", "Disable")` and `contains "AntiPhish"`.
      'sentinel/Solutions/Microsoft 365/Analytic Rules/office_policytampering.yaml',
      'elastic/rules/integrations/o365/defense_evasion_exchange_anti_phish_rule_modification.toml',
      // `Operation IN ("Remove-*", ...) Operation IN ("*AntiPhish*", ...)`.
      'splunk/detections/cloud/o365_email_security_feature_changed.yml',
    ],
  },
  {
    provider: 'microsoft-365',
    event: 'Disable-AntiPhishRule',
    rules: [
      'sentinel/Solutions/Microsoft 365/Analytic Rules/office_policytampering.yaml',
      'elastic/rules/integrations/o365/defense_evasion_exchange_anti_phish_rule_modification.toml',
      'splunk/detections/cloud/o365_email_security_feature_changed.yml',
    ],
  },
  {
    provider: 'microsoft-365',
    event: 'AlertEntityGenerated',
    rules: [
      'splunk/detections/cloud/o365_email_reported_by_user_found_malicious.yml',
      'splunk/detections/cloud/o365_email_suspicious_behavior_alert.yml',
      'splunk/detections/cloud/o365_safe_links_detection.yml',
      'splunk/detections/cloud/o365_zap_activity_detection.yml',
    ],
  },
  {
    provider: 'dropbox',
    event: 'file_delete',
    rules: ['panther/queries/dropbox_queries/Dropbox_Many_Deletes_Query.yml'],
  },
  {
    provider: 'gcp-audit',
    event: 'jobservice.getqueryresults',
    rules: ['chronicle/rules/community/gcp/gcp_bigquery_results_downloaded_from_multiple_tables.yaral'],
  },
  {
    provider: 'github-audit',
    event: 'repo.access',
    rules: [
      'elastic/rules/integrations/github/exfiltration_github_private_repository_turned_public.toml',
      'chronicle/rules/community/github/github_repository_visibility_changed_to_public.yaral',
      'panther/queries/github_queries/nx_supply_chain_s1ngularity_repository_query.yml',
    ],
  },
  {
    provider: 'kubernetes-audit',
    event: 'create certificatesigningrequests',
    rules: [
      'elastic/rules/integrations/azure/credential_access_azure_aks_csr_created_or_approved.toml',
      'elastic/rules/integrations/gcp/persistence_gcp_gke_certificate_signing_request_self_approved.toml',
      'elastic/rules/integrations/gcp/persistence_gcp_gke_client_certificate_signing_request_created_or_approved.toml',
      'elastic/rules/integrations/gcp/privilege_escalation_gcp_gke_certificate_signing_request_api_client_signer_requested.toml',
      'elastic/rules/integrations/gcp/privilege_escalation_gcp_gke_certificate_signing_request_privileged_identity_requested.toml',
      'elastic/rules/integrations/kubernetes/persistence_kubernetes_client_certificate_signing_request_created_or_approved.toml',
    ],
  },
  {
    provider: 'kubernetes-audit',
    event: 'update certificatesigningrequests/approval',
    rules: [
      'elastic/rules/integrations/azure/credential_access_azure_aks_csr_created_or_approved.toml',
      'elastic/rules/integrations/gcp/persistence_gcp_gke_certificate_signing_request_self_approved.toml',
      'elastic/rules/integrations/gcp/persistence_gcp_gke_client_certificate_signing_request_created_or_approved.toml',
      // Doubtful: verb update on the resource, any subresource (so approvals too); the catalog names it
      // `update certificatesigningrequests`.
      'elastic/rules/integrations/kubernetes/persistence_kubernetes_client_certificate_signing_request_created_or_approved.toml',
    ],
  },
  {
    provider: 'kubernetes-audit',
    event: 'create mutatingwebhookconfigurations',
    rules: [
      'elastic/rules/integrations/gcp/persistence_gcp_gke_admission_webhook_created_or_modified.toml',
      'elastic/rules/integrations/kubernetes/persistence_kubernetes_admission_webhook_created_or_modified.toml',
      'sigma/rules/application/kubernetes/audit/kubernetes_audit_change_admission_controller.yml',
      'panther/queries/kubernetes_queries/kubernetes_admission_controller_created_query.yml',
      // Left out: Sigma's GCP rule (its method_name prefix `admissionregistration.k8s.io.v` is not
      // GKE's `io.k8s.admissionregistration.v1.`, so it selects no such event as written) and
      // Azure's `.../MUTATINGWEBHOOKCONFIGURATIONS/WRITE`, an Azure Activity operation.
    ],
  },
  {
    provider: 'windows-security',
    event: '4703',
    rules: [
      'splunk/detections/endpoint/windows_access_token_manipulation_sedebugprivilege.yml',
      // `signature_id=4703`: the Windows add-on's alias of EventCode.
      'splunk/detections/deprecated/detect_mimikatz_via_powershell_and_eventcode_4703.yml',
      // `event.action : "Token Right Adjusted Events"`: Winlogbeat's task category of 4703.
      'elastic/rules/windows/privilege_escalation_tokenmanip_sedebugpriv_enabled.toml',
    ],
  },
  {
    provider: 'windows-security',
    event: '4731',
    rules: [
      'sentinel/Detections/SecurityEvent/GroupCreatedAddedToPrivlegeGroup_1h.yaml',
      'sigma/rules-emerging-threats/2024/Exploits/CVE-2024-37085/win_security_exploit_cve_2024_37085_esxi_admins_group.yml',
      'splunk/detections/application/windows_increase_in_group_or_object_modification_activity.yml',
      'splunk/detections/endpoint/windows_privileged_group_modification.yml',
    ],
  },
  {
    provider: 'entra-id-audit',
    event: 'Add group',
    rules: [
      // Office 365's spelling, `Add group.`.
      'chronicle/rules/community/microsoft/o365/o365_group_creation_failure.yaral',
      'chronicle/rules/community/microsoft/o365/o365_group_creation_success.yaral',
      // `OperationName has_any (PersistenceEvents)`, the list holding "add group".
      'kql-community/bert-janp/Azure Active Directory/CloudPersistenceActivityByUserAtRisk.md',
    ],
  },
  {
    provider: 'entra-id-audit',
    event: 'Delete group',
    rules: [
      'chronicle/rules/community/microsoft/entra_id/entra_id_group_deletion_success.yaral',
      'chronicle/rules/community/microsoft/o365/o365_group_deletion_success.yaral',
    ],
  },
  {
    provider: 'entra-id-audit',
    event: 'Set Company Information',
    rules: [
      'sigma/rules/cloud/azure/audit_logs/azure_ad_new_root_ca_added.yml',
      'splunk/detections/cloud/o365_bypass_mfa_via_trusted_ip.yml',
    ],
  },
  {
    provider: 'entra-id-audit',
    event: 'Consent to application',
    rules: [
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/CredentialAddedAfterAdminConsent.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/EndUserConsentMailboxOfflineAccess.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/ExchangeFullAccessGrantedToApp.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/MailPermissionsAddedToApplication.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/MaliciousOAuthApp_O365AttackToolkit.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/MaliciousOAuthApp_PwnAuth.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/RareApplicationConsent.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/SuspiciousOAuthApp_OfflineAccess.yaml',
      'elastic/rules/integrations/azure/initial_access_entra_id_illicit_consent_grant_via_registered_application.toml',
      'elastic/rules/integrations/o365/initial_access_identity_illicit_consent_grant_via_registered_application.toml',
      'splunk/detections/cloud/azure_ad_oauth_application_consent_granted_by_user.yml',
      'splunk/detections/cloud/azure_ad_tenant_wide_admin_consent_granted.yml',
      'splunk/detections/cloud/azure_ad_user_consent_blocked_for_risky_application.yml',
      'splunk/detections/cloud/o365_file_permissioned_application_consent_granted_by_user.yml',
      'splunk/detections/cloud/o365_mail_permissioned_application_consent_granted_by_user.yml',
      'splunk/detections/cloud/o365_tenant_wide_admin_consent_granted.yml',
      'splunk/detections/cloud/o365_user_consent_blocked_for_risky_application.yml',
      'panther/queries/azure_queries/Entra_ID_Anomalous_Application_Consent_Query.yml',
      // Left out: Sigma's end-user consent rule selects `ConsentContext.IsAdminConsent: 'false'`,
      // names no operation.
    ],
  },
  {
    provider: 'entra-id-signin',
    event: '50055',
    rules: [
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/DistribPassCrackAttempt.yaml',
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/SigninPasswordSpray.yaml',
      'elastic/rules/integrations/azure/credential_access_entra_id_brute_force_activity.toml',
      'elastic/rules/integrations/azure/credential_access_entra_id_signin_brute_force_microsoft_365.toml',
    ],
  },
  {
    provider: 'aws-cloudtrail',
    event: 'RevokeSecurityGroupEgress',
    rules: [
      'sentinel/Solutions/Amazon Web Services/Analytic Rules/AWS_IngressEgressSecurityGroupChange.yaml',
      'elastic/rules/integrations/aws/persistence_ec2_security_group_configuration_change_detection.toml',
      'sigma/rules/cloud/aws/cloudtrail/aws_cloudtrail_security_group_change_ingress_egress.yml',
    ],
  },
  {
    provider: 'aws-cloudtrail',
    event: 'DisableDomainTransferLock',
    rules: [
      'elastic/rules/integrations/aws/persistence_route_53_domain_transfer_lock_disabled.toml',
      'sigma/rules/cloud/aws/cloudtrail/aws_route_53_domain_transferred_lock_disabled.yml',
    ],
  },
  {
    provider: 'aws-cloudtrail',
    event: 'CreateCluster',
    rules: [
      // Redshift's and EKS's: CloudTrail names both so.
      'elastic/rules/_deprecated/persistence_redshift_instance_creation.toml',
      'sigma/rules/cloud/aws/cloudtrail/aws_eks_cluster_created_or_deleted.yml',
    ],
  },
  {
    provider: 'entra-id-audit',
    event: 'Update Service principal',
    rules: [
      'sigma/rules/cloud/azure/audit_logs/azure_app_appid_uri_changes.yml',
      'kql-community/bert-janp/Azure Active Directory/CloudPersistenceActivityByUserAtRisk.md',
      // Left out: Sigma's credential-added rule compares with `Update Service principal/Update Application`, one string.
    ],
  },
  {
    provider: 'entra-id-audit',
    event: 'Invite external user with reset invitation status',
    rules: [
      'sentinel/Solutions/Microsoft Entra ID/Analytic Rules/UnusualGuestActivity.yaml',
      // `has_any` of the term "Invite external user", which this operation's name holds.
      'kql-community/bert-janp/Azure Active Directory/CloudPersistenceActivityByUserAtRisk.md',
      // Left out: the rules comparing the operation with "Invite external user" exactly.
    ],
  },
  {
    provider: 'entra-id-audit',
    event: 'Update policy',
    rules: [
      // Office 365's spelling, `Update policy.`.
      'splunk/detections/cloud/o365_external_identity_policy_changed.yml',
      'chronicle/rules/community/microsoft/entra_id/entra_id_conditional_access_policy_modification.yaral',
    ],
  },
  {
    provider: 'sysmon',
    event: '21',
    rules: [
      'elastic/rules/windows/persistence_sysmon_wmi_event_subscription.toml',
      'splunk/detections/endpoint/wmi_permanent_event_subscription___sysmon.yml',
      // Left out: Sigma's `wmi_event` category (Sysmon 19, 20 and 21: no one event) and a
      // TerminalServices rule's EventID 21 (another log).
    ],
  },
];
