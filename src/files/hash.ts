// The sha256 hex digest used for checksums of downloaded data and model files.

import { createHash } from "node:crypto";

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}
