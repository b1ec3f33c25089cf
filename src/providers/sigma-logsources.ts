// Which Windows log each Sigma logsource reads: categories by channel and event id (Sysmon's
// event ids, Security 4688 for process creation, PowerShell's script and module logs), services by
// channel. What pySigma's Windows and Sysmon pipelines add to a rule as conditions, kept as data
// so that a rule is evaluated only on events of the log it reads (evaluate/, languages/sigma/evaluate.ts).

export interface WindowsLogSelection {
  channel: string;
  /** Event ids of the channel the category stands for; all of them when absent. */
  eventIds?: string[];
  /** Sigma field → the field this log names it by (Security 4688 logs `NewProcessName`, Sysmon `Image`). */
  fields?: Record<string, string>;
}

const sysmonChannel = 'Microsoft-Windows-Sysmon/Operational';
const sysmon = (...ids: number[]): WindowsLogSelection => ({ channel: sysmonChannel, eventIds: ids.map(String) });
const powershell = (channel: string, id: number): WindowsLogSelection => ({ channel, eventIds: [String(id)] });

/** Sigma `product: windows` categories → the logs that hold them. */
export const sigmaWindowsCategories: Record<string, WindowsLogSelection[]> = {
  process_creation: [
    sysmon(1),
    { channel: 'Security', eventIds: ['4688'], fields: { Image: 'NewProcessName', ParentImage: 'ParentProcessName' } },
  ],
  file_change: [sysmon(2)],
  network_connection: [sysmon(3)],
  sysmon_status: [sysmon(4, 16)],
  process_termination: [sysmon(5)],
  driver_load: [sysmon(6)],
  image_load: [sysmon(7)],
  create_remote_thread: [sysmon(8)],
  raw_access_thread: [sysmon(9)],
  raw_access_read: [sysmon(9)],
  process_access: [sysmon(10)],
  file_event: [sysmon(11)],
  registry_add: [sysmon(12)],
  registry_delete: [sysmon(12)],
  registry_set: [sysmon(13)],
  registry_rename: [sysmon(14)],
  registry_event: [sysmon(12, 13, 14)],
  create_stream_hash: [sysmon(15)],
  pipe_created: [sysmon(17, 18)],
  wmi_event: [sysmon(19, 20, 21)],
  dns_query: [sysmon(22)],
  file_delete: [sysmon(23, 26)],
  file_delete_detected: [sysmon(26)],
  clipboard_capture: [sysmon(24)],
  process_tampering: [sysmon(25)],
  file_block_executable: [sysmon(27)],
  file_block_shredding: [sysmon(28)],
  file_executable_detected: [sysmon(29)],
  sysmon_error: [sysmon(255)],
  ps_module: [powershell('Microsoft-Windows-PowerShell/Operational', 4103)],
  ps_script: [powershell('Microsoft-Windows-PowerShell/Operational', 4104)],
  ps_classic_start: [powershell('Windows PowerShell', 400)],
  ps_classic_provider_start: [powershell('Windows PowerShell', 600)],
  ps_classic_script: [powershell('Windows PowerShell', 800)],
};

/** Sigma `product: windows` services → their channels. */
export const sigmaWindowsServices: Record<string, string[]> = {
  security: ['Security'],
  system: ['System'],
  application: ['Application'],
  sysmon: [sysmonChannel],
  powershell: ['Microsoft-Windows-PowerShell/Operational'],
  'powershell-classic': ['Windows PowerShell'],
  taskscheduler: ['Microsoft-Windows-TaskScheduler/Operational'],
  wmi: ['Microsoft-Windows-WMI-Activity/Operational'],
  windefend: ['Microsoft-Windows-Windows Defender/Operational'],
  'dns-server': ['DNS Server'],
  'dns-server-analytic': ['Microsoft-Windows-DNS-Server/Analytical'],
  'driver-framework': ['Microsoft-Windows-DriverFrameworks-UserMode/Operational'],
  ntlm: ['Microsoft-Windows-NTLM/Operational'],
  'firewall-as': ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'],
  'bits-client': ['Microsoft-Windows-Bits-Client/Operational'],
  'codeintegrity-operational': ['Microsoft-Windows-CodeIntegrity/Operational'],
  applocker: [
    'Microsoft-Windows-AppLocker/MSI and Script',
    'Microsoft-Windows-AppLocker/EXE and DLL',
    'Microsoft-Windows-AppLocker/Packaged app-Deployment',
    'Microsoft-Windows-AppLocker/Packaged app-Execution',
  ],
  'msexchange-management': ['MSExchange Management'],
  'printservice-admin': ['Microsoft-Windows-PrintService/Admin'],
  'printservice-operational': ['Microsoft-Windows-PrintService/Operational'],
  'smbclient-security': ['Microsoft-Windows-SmbClient/Security'],
  'smbclient-connectivity': ['Microsoft-Windows-SmbClient/Connectivity'],
  'terminalservices-localsessionmanager': ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational'],
  'microsoft-servicebus-client': ['Microsoft-ServiceBus-Client'],
  ldap_debug: ['Microsoft-Windows-LDAP-Client/Debug'],
  'security-mitigations': ['Microsoft-Windows-Security-Mitigations/Kernel Mode', 'Microsoft-Windows-Security-Mitigations/User Mode'],
  'diagnosis-scripted': ['Microsoft-Windows-Diagnosis-Scripted/Operational'],
  'shell-core': ['Microsoft-Windows-Shell-Core/Operational'],
  openssh: ['OpenSSH/Operational'],
  bitlocker: ['Microsoft-Windows-BitLocker/BitLocker Management'],
  vhdmp: ['Microsoft-Windows-VHDMP/Operational'],
  'appxdeployment-server': ['Microsoft-Windows-AppXDeploymentServer/Operational'],
  'appxpackaging-om': ['Microsoft-Windows-AppxPackaging/Operational'],
  capi2: ['Microsoft-Windows-CAPI2/Operational'],
  'certificateservicesclient-lifecycle-system': ['Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational'],
  dhcp: ['Microsoft-Windows-DHCP-Server/Operational'],
  'kernel-shimengine': ['Microsoft-Windows-Kernel-ShimEngine/Operational'],
  'lsa-server': ['Microsoft-Windows-LSA/Operational'],
  'iis-configuration': ['Microsoft-IIS-Configuration/Operational'],
  'dns-client': ['Microsoft-Windows-DNS Client Events/Operational'],
  'smbserver-connectivity': ['Microsoft-Windows-SMBServer/Connectivity'],
};
