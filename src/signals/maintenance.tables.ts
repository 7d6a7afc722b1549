/** Maintenance windows made through the API (the routing config may declare more). */
export interface MaintenanceWindowsTable {
  id: string;
  service: string;
  time_zone: string;
  /** Local wall-clock "YYYY-MM-DDTHH:MM" in time_zone. */
  start_local: string;
  end_local: string;
  /** The first occurrence as instants (epoch ms), to find current windows without reading every row. */
  start_at: number;
  end_at: number;
  /** "none" or "weekly". */
  recurrence: string;
  /** JSON array of outcomes held back. */
  outcomes: string;
  reason: string;
  created_by: string;
  created_at: number;
}

export interface MaintenanceTables {
  maintenance_windows: MaintenanceWindowsTable;
}
