import type { ProviderSpec } from './types.js';

// Event names are the Reports API's `events.name` (ASSIGN_ROLE, login_failure, change_user_access);
// the application (admin, login, drive, token ...) is which report they come from.
export const googleWorkspace: ProviderSpec = {
  id: 'google-workspace',
  name: 'Google Workspace',
  selectors: {
    panther: [
      {
        sources: ['logtype:GSuite.*', '*gsuite_activityevent', '*gsuite_reports'],
        where: [{ field: 'p_log_type', values: ['GSuite.*'] }],
        eventFields: ['name', 'events.name', 'events[0].name'],
      },
    ],
    sigma: [{ sources: ['gcp/google_workspace.*', 'service:google_workspace.*'], eventFields: ['eventName', 'methodName'] }],
    splunk: [
      {
        sources: ['sourcetype:gws:reports:*', 'sourcetype:gsuite:*'],
        eventFields: ['event.name', 'events{}.name', 'name', 'events.name'],
      },
    ],
    'azure-monitor': [
      {
        sources: ['GWorkspaceActivityReports', 'GWorkspace_ReportsAPI_*', 'GWorkspaceReports'],
        eventFields: ['EventMessage', 'EventName', 'events_name_s'],
      },
    ],
    ecs: [
      {
        sources: ['logs-google_workspace*'],
        where: [
          { field: 'event.dataset', values: ['google_workspace.*'] },
          { field: 'data_stream.dataset', values: ['google_workspace.*'] },
          { field: 'event.module', values: ['google_workspace'] },
        ],
        eventFields: ['event.action', 'google_workspace.event.name'],
      },
    ],
    udm: [
      {
        sources: ['vendor:Google Workspace', 'log_type:WORKSPACE_*', 'product:Google Workspace*'],
        eventFields: ['metadata.product_event_type'],
      },
    ],
  },
};
