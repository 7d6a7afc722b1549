/** Silences: matchers that mute signals between two instants, with who made them and why. */
export interface SilencesTable {
  id: string;
  /** The matchers as a JSON array of text (`name="value"`), parsed again on load. */
  matchers: string;
  starts_at: number;
  ends_at: number;
  created_by: string;
  comment: string;
  created_at: number;
  updated_at: number;
}

export interface SilenceTables {
  silences: SilencesTable;
}
