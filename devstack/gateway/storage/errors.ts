import { HttpError } from "../http.ts";

/**
 * The JSON body Supabase Storage sends with every error: the status it means as a string, a stable code, the
 * legacy `error` text and a message. Storage answers every such error with HTTP 400 and puts the status it
 * means in the body (its `userStatusCode`), so storage-js reports both: `error.status` (HTTP) and
 * `error.statusCode` (the body's).
 */
export interface StorageErrorBody {
  statusCode: string;
  code: string;
  error: string;
  message: string;
}

export function storageError(
  statusCode: number,
  code: string,
  message: string,
  error: string = code,
  httpStatus = statusCode >= 500 ? statusCode : 400,
): HttpError {
  const body: StorageErrorBody = { statusCode: String(statusCode), code, error, message };
  return new HttpError(httpStatus, body);
}

/** Storage's own errors (its ERRORS table), by name. */
export const errors = {
  noSuchBucket: () => storageError(404, "NoSuchBucket", "Bucket not found", "Bucket not found"),
  noSuchKey: () => storageError(404, "NoSuchKey", "Object not found", "not_found"),
  invalidKey: (key: string) => storageError(400, "InvalidKey", `Invalid key: ${key}`),
  invalidBucketName: () => storageError(400, "InvalidBucketName", "Bucket name invalid", "Invalid Input"),
  keyAlreadyExists: () => storageError(409, "KeyAlreadyExists", "The resource already exists", "Duplicate"),
  bucketAlreadyExists: () => storageError(409, "BucketAlreadyExists", "The resource already exists", "Duplicate"),
  bucketNotEmpty: () => storageError(409, "ResourceNotEmpty", "The bucket you tried to delete is not empty"),
  entityTooLarge: () =>
    storageError(413, "EntityTooLarge", "The object exceeded the maximum allowed size", "Payload too large"),
  invalidMimeType: (mimeType: string) =>
    storageError(415, "InvalidMimeType", `mime type ${mimeType} is not supported`, "invalid_mime_type"),
  accessDenied: (message: string) => storageError(403, "AccessDenied", message, "Unauthorized"),
  invalidJwt: (message: string) => storageError(400, "InvalidJWT", message),
  invalidSignature: () => storageError(400, "InvalidSignature", "Invalid signature"),
  invalidRequest: (message: string) => storageError(400, "InvalidRequest", message),
  invalidFileSizeLimit: () =>
    storageError(400, "InvalidRequest", "Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B"),
  missingParameter: (name: string) => storageError(400, "MissingParameter", `Missing Required Parameter ${name}`),
  /** What the local stack does not implement: said so, never ignored. */
  notImplemented: (what: string) =>
    storageError(501, "NotImplemented", `${what} is not implemented by the local stack`, "not_implemented"),
  routeNotFound: (method: string, path: string) =>
    storageError(404, "InvalidRequest", `Route ${method}:${path} not found`, "Not Found", 404),
  databaseTimeout: () =>
    storageError(544, "DatabaseTimeout", "The connection to the database timed out", "DatabaseTimeout", 544),
  databaseUnavailable: () =>
    storageError(503, "DatabaseConnectionLimit", "The database is not reachable. Please try again later."),
};
