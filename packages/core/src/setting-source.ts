// Where a provider's client reads one setting from: the option in code, its env vars, and the name
// errors give it. Every provider declares its base URL so (and Kognitos its region).

/** The SettingSource fields that do not change per call (the value and env come with each call). */
export const settingSource = (optionName: string, envVarNames: readonly string[], description: string) => ({
  optionName,
  envVarNames,
  description,
});
