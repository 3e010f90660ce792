// Files at the edge: text, JSON and schema problems reported with file and line; atomic writes; what --out may
// replace; lock files.

export { sha256 } from "./hash.js";
export {
  arrayElementLines,
  assertReadableFile,
  lineAndColumn,
  parseJson,
  readJson,
  readText,
} from "./json.js";
export {
  acquireLockFile,
  holderDetails,
  isAbandoned,
  isAlive,
  type LockFile,
  type LockFileOptions,
  type LockHolder,
  ownerTag,
} from "./lock-file.js";
export { checkOutFiles, type InputDir } from "./out-file.js";
export { PACKAGE_ROOT } from "./package-root.js";
export { distinctFiles, fileIdentity, repeatedFile } from "./same-file.js";
export { describeIssue, describeIssues, issuePath } from "./schema.js";
export { withTempDir } from "./temp-dir.js";
export { decodeUtf8, readUtf8Stream, strictUtf8 } from "./utf8.js";
export {
  assertWritableDir,
  creatingFor,
  errnoOf,
  FileExistsError,
  makeDirectory,
  NotWritableError,
  notWritable,
  notWritableReason,
  UNWRITABLE,
  type WriteFileOptions,
  writeFileAtomic,
  writeFilesAtomic,
} from "./write.js";
