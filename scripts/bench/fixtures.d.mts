export declare const API_KEY: string;
export declare const TRIGGER_BODY: {
  applicationId: string;
  input: { params: Record<string, string> };
};
export declare const RUN_ID: string;
