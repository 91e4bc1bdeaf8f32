export { AnyJobError, ConfigError, InvalidRequestError, type ValidationIssue } from './errors.js';
export {
  type CommonClientSettings,
  createProviderClient,
  type ProviderClientOptions,
} from './provider-client.js';
export {
  loadApiKey,
  loadOptionalSetting,
  loadSetting,
  normalizeBaseUrl,
  type SettingSource,
} from './settings.js';
export {
  assertValidRequest,
  checkRequest,
  checkSchema,
  installValidation,
  type OperationSchemas,
  type OperationTable,
  type RequestParts,
  ResponseValidationError,
  type StandardSchema,
  type ValidationSettings,
} from './validation.js';
