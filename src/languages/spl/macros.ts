// What Splunk ESCU macro names tell about a search. Data only: the analyser looks names up here.
//
// Sources are written `<kind>:<value>` with kind `sourcetype`, `source`, `index` or `eventtype`,
// the same spelling the analyser gives to `sourcetype=...` terms of a search. They follow the
// macro definitions shipped with Splunk Security Content (each says what its definition selects;
// a site may redefine them).

/** Macros that select a log: name → the sources their definition reads. */
export const SOURCE_MACROS: Readonly<Record<string, readonly string[]>> = {
  admon: ['source:ActiveDirectory'],
  amazon_security_lake: ['sourcetype:aws:cloudtrail:lake'],
  applocker: ['source:WinEventLog:Microsoft-Windows-AppLocker/*', 'source:XmlWinEventLog:Microsoft-Windows-AppLocker/*'],
  aws_cloudwatchlogs_eks: ['sourcetype:aws:cloudwatchlogs:eks'],
  aws_config: ['sourcetype:aws:config'],
  aws_description: ['sourcetype:aws:description'],
  aws_s3_accesslogs: ['sourcetype:aws:s3:accesslogs'],
  aws_securityhub_finding: ['sourcetype:aws:securityhub:finding'],
  aws_securityhub_firehose: ['sourcetype:aws:securityhub:firehose'],
  azure_audit: ['sourcetype:mscs:azure:audit'],
  azure_monitor_aad: ['sourcetype:azure:monitor:aad'],
  azuread: ['sourcetype:mscs:azure:eventhub'],
  bootloader_inventory: ['sourcetype:PwSh:bootloader'],
  capi2_operational: ['source:XmlWinEventLog:Microsoft-Windows-CAPI2/Operational'],
  certificateservices_lifecycle: [
    'source:XmlWinEventLog:Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational',
    'source:XmlWinEventLog:Microsoft-Windows-CertificateServicesClient-Lifecycle-User/Operational',
  ],
  circleci: ['sourcetype:circleci'],
  cisco_networks: ['eventtype:cisco_ios'],
  cloudtrail: ['sourcetype:aws:cloudtrail'],
  cloudwatch_eks: ['sourcetype:aws:cloudwatchlogs:eks'],
  cloudwatch_vpc: ['sourcetype:aws:cloudwatchlogs:vpcflow'],
  cloudwatchlogs_vpcflow: ['sourcetype:aws:cloudwatchlogs:vpcflow'],
  crowdstrike_identities: ['sourcetype:crowdstrike:identities'],
  crowdstrike_stream: ['sourcetype:CrowdStrike:Event:Streams:JSON'],
  crushftp: ['sourcetype:crushftp:sessionlogs'],
  driverinventory: ['sourcetype:PwSh:DriverInventory'],
  exchange: ['sourcetype:MSWindows:IIS'],
  f5_bigip_rogue: ['index:netops', 'sourcetype:f5:bigip:rogue'],
  // GitHub webhook events delivered through Firehose, not the GitHub audit log.
  github: ['sourcetype:aws:firehose:json'],
  google_gcp_pubnet_message: ['sourcetype:google:gcp:pubsub:message'],
  google_gcp_pubsub_message: ['sourcetype:google:gcp:pubsub:message'],
  gsuite_calendar: ['sourcetype:gsuite:calendar:json'],
  gsuite_drive: ['sourcetype:gsuite:drive:json'],
  gsuite_gmail: ['sourcetype:gsuite:gmail:bigquery'],
  gws_reports_admin: ['sourcetype:gws:reports:admin'],
  gws_reports_login: ['sourcetype:gws:reports:login'],
  iis_get_webglobalmodule: ['sourcetype:Pwsh:InstalledIISModules'],
  iis_operational_logs: ['sourcetype:IIS:Configuration:Operational'],
  ivanti_vtm_audit: ['sourcetype:ivanti_vtm_audit'],
  kube_audit: ['source:kubernetes'],
  kube_container_falco: ['sourcetype:kube:container:falco'],
  kube_objects_events: ['sourcetype:kube:objects:events'],
  kubernetes_azure: ['sourcetype:mscs:storage:blob:json'],
  kubernetes_container_controller: ['sourcetype:kube:container:controller'],
  kubernetes_metrics: ['index:kubernetes_metrics'],
  linux_auditd: ['sourcetype:linux:audit'],
  linux_hosts: ['index:unix'],
  moveit_sftp_logs: ['sourcetype:sftp_server_logs'],
  ms_defender: ['source:WinEventLog:Microsoft-Windows-Windows Defender/Operational'],
  msexchange_management: ['sourcetype:MSExchange:management'],
  netbackup: ['sourcetype:netbackup_logs'],
  nginx_access_logs: ['sourcetype:nginx:plus:kv', 'sourcetype:nginx:plus:access'],
  ntlm_audit: ['sourcetype:XmlWinEventLog:Microsoft-Windows-NTLM/Operational', 'source:XmlWinEventLog:Microsoft-Windows-NTLM/Operational'],
  o365_graph: ['sourcetype:o365:graph:api'],
  o365_management_activity: ['sourcetype:o365:management:activity'],
  okta: ['eventtype:okta_log', 'sourcetype:OktaIM2:log'],
  osquery_macro: ['sourcetype:osquery:results'],
  osquery_process: ['eventtype:osquery-process'],
  papercutng: ['sourcetype:papercutng'],
  pingid: ['source:PINGID'],
  powershell: ['source:WinEventLog:Microsoft-Windows-PowerShell/Operational', 'source:XmlWinEventLog:Microsoft-Windows-PowerShell/Operational'],
  printservice: ['source:wineventlog:microsoft-windows-printservice/operational', 'source:WinEventLog:Microsoft-Windows-PrintService/Admin'],
  remoteconnectionmanager: ['source:WinEventLog:Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational'],
  risk_index: ['index:risk'],
  s3_accesslogs: ['sourcetype:aws:s3:accesslogs'],
  stream_dns: ['sourcetype:stream:dns'],
  stream_http: ['sourcetype:stream:http'],
  stream_tcp: ['sourcetype:stream:tcp'],
  subjectinterfacepackage: ['sourcetype:PwSh:SubjectInterfacePackage'],
  suricata: ['sourcetype:suricata'],
  sysmon: [
    'sourcetype:XmlWinEventLog:Microsoft-Windows-Sysmon/Operational',
    'source:XmlWinEventLog:Microsoft-Windows-Sysmon/Operational',
    'source:Syslog:Linux-Sysmon/Operational',
  ],
  wineventlog_application: ['eventtype:wineventlog_application', 'source:XmlWinEventLog:Application'],
  wineventlog_security: ['eventtype:wineventlog_security', 'source:XmlWinEventLog:Security'],
  wineventlog_system: ['eventtype:wineventlog_system'],
  wineventlog_task_scheduler: ['source:XmlWinEventLog:Security'],
  wmi: ['sourcetype:wineventlog:microsoft-windows-wmi-activity/operational'],
  zeek_rpc: ['index:zeek', 'sourcetype:zeek:rpc:json'],
  zeek_ssl: ['index:zeek', 'sourcetype:zeek:ssl:json'],
  zeek_x509: ['sourcetype:zeek:x509:json'],
  zscaler_proxy: ['source:zscaler', 'sourcetype:zscalernss-web'],
};

/**
 * Macros that stand for a search condition: name → their definition in the search language.
 * Where a search uses one, the analyser puts the definition's predicates in its place (their
 * `text` is the macro call as written in the query). Site-specific allow-lists are left out.
 */
export const CONDITION_MACROS: Readonly<Record<string, string>> = {
  process_bitsadmin: '(Processes.process_name=bitsadmin.exe OR Processes.original_file_name=bitsadmin.exe)',
  process_certutil: '(Processes.process_name=certutil.exe OR Processes.original_file_name=CertUtil.exe)',
  process_cmd: '(Processes.process_name=cmd.exe OR Processes.original_file_name=Cmd.Exe)',
  process_copy:
    '(Processes.process_name=copy.exe OR Processes.original_file_name=copy.exe OR Processes.process_name=xcopy.exe OR Processes.original_file_name=xcopy.exe)',
  process_csc: '(Processes.process_name=csc.exe OR Processes.original_file_name=csc.exe)',
  process_curl: '(Processes.process_name=curl.exe OR Processes.original_file_name=Curl.exe)',
  process_diskshadow: '(Processes.process_name=diskshadow.exe OR Processes.original_file_name=diskshadow.exe)',
  process_dllhost: '(Processes.process_name=dllhost.exe OR Processes.original_file_name=dllhost.exe)',
  process_dsquery: '(Processes.process_name=dsquery.exe OR Processes.original_file_name=dsquery.exe)',
  process_dxdiag: '(Processes.process_name=dxdiag.exe OR Processes.original_file_name=dxdiag.exe)',
  process_esentutl: '(Processes.process_name=esentutl.exe OR Processes.original_file_name=esentutl.exe)',
  process_fodhelper: '(Processes.process_name=fodhelper.exe OR Processes.original_file_name=FodHelper.EXE)',
  process_gpupdate: '(Processes.process_name=gpupdate.exe OR Processes.original_file_name=GPUpdate.exe)',
  process_hh: '(Processes.process_name=hh.exe OR Processes.original_file_name=HH.EXE)',
  process_installutil: '(Processes.process_name=installutil.exe OR Processes.original_file_name=InstallUtil.exe)',
  process_microsoftworkflowcompiler:
    '(Processes.process_name=microsoft.workflow.compiler.exe OR Processes.original_file_name=Microsoft.Workflow.Compiler.exe)',
  process_msbuild: '(Processes.process_name=msbuild.exe OR Processes.original_file_name=MSBuild.exe)',
  process_mshta: '(Processes.process_name=mshta.exe OR Processes.original_file_name=MSHTA.EXE)',
  process_msiexec: '(Processes.process_name=msiexec.exe OR Processes.original_file_name=msiexec.exe)',
  process_net:
    '(Processes.process_name="net.exe" OR Processes.original_file_name="net.exe" OR Processes.process_name="net1.exe" OR Processes.original_file_name="net1.exe")',
  process_netsh: '(Processes.process_name=netsh.exe OR Processes.original_file_name=netsh.exe)',
  process_nltest: '(Processes.process_name=nltest.exe OR Processes.original_file_name=nltestrk.exe)',
  process_ntdsutil: '(Processes.process_name=ntdsutil.exe OR Processes.original_file_name=ntdsutil.exe)',
  process_ping: '(Processes.process_name=ping.exe OR Processes.original_file_name=ping.exe)',
  process_powershell:
    '(Processes.process_name=pwsh.exe OR Processes.process_name=sqlps.exe OR Processes.process_name=sqltoolsps.exe OR Processes.process_name=powershell.exe OR Processes.process_name=powershell_ise.exe OR Processes.original_file_name=pwsh.dll OR Processes.original_file_name=PowerShell.EXE OR Processes.original_file_name=powershell_ise.EXE)',
  process_procdump:
    '(Processes.process_name=procdump.exe OR Processes.process_name=procdump64.exe OR Processes.original_file_name=procdump)',
  process_psexec: '(Processes.process_name=psexec.exe OR Processes.process_name=psexec64.exe OR Processes.original_file_name=psexec.c)',
  process_rclone: '(Processes.original_file_name=rclone.exe OR Processes.process_name=rclone.exe)',
  process_reg: '(Processes.process_name=reg.exe OR Processes.original_file_name=reg.exe)',
  process_regasm: '(Processes.process_name=regasm.exe OR Processes.original_file_name=RegAsm.exe)',
  process_regsvcs: '(Processes.process_name=regsvcs.exe OR Processes.original_file_name=RegSvcs.exe)',
  process_regsvr32: '(Processes.process_name=regsvr32.exe OR Processes.original_file_name=REGSVR32.EXE)',
  process_route: '(Processes.process_name=route.exe OR Processes.original_file_name=route.exe)',
  process_runas: '(Processes.process_name=runas.exe OR Processes.original_file_name=runas.exe)',
  process_rundll32: '(Processes.process_name=rundll32.exe OR Processes.original_file_name=RUNDLL32.EXE)',
  process_schtasks: '(Processes.process_name=schtasks.exe OR Processes.original_file_name=schtasks.exe)',
  process_sdelete: '(Processes.process_name=sdelete.exe OR Processes.original_file_name=sdelete.exe)',
  process_setspn: '(Processes.process_name=setspn.exe OR Processes.original_file_name=setspn.exe)',
  process_verclsid: '(Processes.process_name=verclsid.exe OR Processes.original_file_name=verclsid.exe)',
  process_vssadmin: '(Processes.process_name=vssadmin.exe OR Processes.original_file_name=VSSADMIN.EXE)',
  process_wbadmin: '(Processes.process_name=wbadmin.exe OR Processes.original_file_name=WBADMIN.EXE)',
  process_wermgr: '(Processes.process_name=wermgr.exe OR Processes.original_file_name=wermgr.EXE)',
  process_wmic: '(Processes.process_name=wmic.exe OR Processes.original_file_name=wmic.exe)',
  windows_shells:
    '(Processes.process_name=cmd.exe OR Processes.process_name=powershell.exe OR Processes.process_name=pwsh.exe OR Processes.process_name=sh.exe OR Processes.process_name=bash.exe OR Processes.process_name=wscript.exe OR Processes.process_name=cscript.exe)',
  linux_shells:
    '(Processes.process_name IN ("sh", "ksh", "zsh", "bash", "dash", "rbash", "fish", "csh", "tcsh", "ion", "eshell"))',
  ec2_modification_api_calls:
    '(eventName=AssociateAddress OR eventName=AssociateIamInstanceProfile OR eventName=AttachClassicLinkVpc OR eventName=AttachNetworkInterface OR eventName=AttachVolume OR eventName=BundleInstance OR eventName=DetachClassicLinkVpc OR eventName=DetachVolume OR eventName=ModifyInstanceAttribute OR eventName=ModifyInstancePlacement OR eventName=MonitorInstances OR eventName=RebootInstances OR eventName=ResetInstanceAttribute OR eventName=StartInstances OR eventName=StopInstances OR eventName=TerminateInstances OR eventName=UnmonitorInstances)',
  network_acl_events:
    '(eventName = CreateNetworkAcl OR eventName = CreateNetworkAclEntry OR eventName = DeleteNetworkAcl OR eventName = DeleteNetworkAclEntry OR eventName = ReplaceNetworkAclEntry OR eventName = ReplaceNetworkAclAssociation)',
  security_group_api_calls:
    '(eventName=AuthorizeSecurityGroupIngress OR eventName=CreateSecurityGroup OR eventName=DeleteSecurityGroup OR eventName=DescribeClusterSecurityGroups OR eventName=DescribeDBSecurityGroups OR eventName=DescribeSecurityGroupReferences OR eventName=DescribeSecurityGroups OR eventName=DescribeStaleSecurityGroups OR eventName=RevokeSecurityGroupIngress OR eventName=UpdateSecurityGroupRuleDescriptionsIngress)',
  system_network_configuration_discovery_tools:
    '(process_name="arp.exe" OR process_name="at.exe" OR process_name="attrib.exe" OR process_name="cscript.exe" OR process_name="dsquery.exe" OR process_name="hostname.exe" OR process_name="ipconfig.exe" OR process_name="mimikatz.exe" OR process_name="nbstat.exe" OR process_name="net.exe" OR process_name="netsh.exe" OR process_name="nslookup.exe" OR process_name="ping.exe" OR process_name="quser.exe" OR process_name="qwinsta.exe" OR process_name="reg.exe" OR process_name="runas.exe" OR process_name="sc.exe" OR process_name="schtasks.exe" OR process_name="ssh.exe" OR process_name="systeminfo.exe" OR process_name="taskkill.exe" OR process_name="telnet.exe" OR process_name="tracert.exe" OR process_name="wscript.exe" OR process_name="xcopy.exe")',
};

/** Macros that stand for a list of values inside `field IN (...)`: name → the values. */
export const LIST_MACROS: Readonly<Record<string, readonly string[]>> = {
  uacbypass_process_name: [
    'BitlockerWizardElev.exe', 'cliconfg.exe', 'clipup.exe', 'cmstp.exe', 'CompMgmtLauncher.exe', 'consent.exe',
    'control.exe', 'credwiz.exe', 'dccw.exe', 'dismhost.exe', 'EventVwr.exe', 'fodhelper.exe', 'GWXUXWorker.exe',
    'inetmgr.exe', 'iscsicli.exe', 'mcx2prov.exe', 'migwiz.exe', 'mmc.exe', 'msconfig.exe', 'oobe.exe', 'osk.exe',
    'pkgmgr.exe', 'recdisc.exe', 'rstrui.exe', 'sdclt.exe', 'setupsqm.exe', 'slui.exe', 'sysprep.exe',
    'SystemPropertiesAdvanced.exe', 'taskhost.exe', 'TpmInit.exe', 'tzsync.exe', 'w32tm.exe', 'WerFault.exe',
    'WSReset.exe', 'wusa.exe',
  ],
};

/** `drop_dm_object_name(Processes)` removes the `Processes.` prefix from field names. */
export const DROP_PREFIX_MACRO = 'drop_dm_object_name';
