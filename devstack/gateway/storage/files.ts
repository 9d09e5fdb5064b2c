import fs from "node:fs";
import path from "node:path";

const versionPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The bytes of objects, one file per object version under the stack's data directory. Files are named by the
 * version id the service generates, never by the object's name, so no name can reach outside the directory;
 * a version that is not one of those ids (a row written by hand in SQL) has no bytes.
 */
export class ObjectFiles {
  constructor(readonly root: string) {
    fs.mkdirSync(root, { recursive: true });
  }

  pathOf(version: unknown): string | null {
    return typeof version === "string" && versionPattern.test(version) ? path.join(this.root, version) : null;
  }

  async write(version: string, bytes: Buffer): Promise<void> {
    const file = this.pathOf(version)!;
    const temp = `${file}.partial`;
    await fs.promises.writeFile(temp, bytes);
    await fs.promises.rename(temp, file);
  }

  async copy(from: unknown, to: string): Promise<boolean> {
    const source = this.pathOf(from);
    if (!source) return false;
    try {
      await fs.promises.copyFile(source, this.pathOf(to)!);
      return true;
    } catch {
      return false;
    }
  }

  /** Removes the bytes of versions no row names any more; a missing file is no error. */
  async remove(versions: unknown[]): Promise<void> {
    await Promise.all(
      versions.map(async (v) => {
        const file = this.pathOf(v);
        if (file) await fs.promises.rm(file, { force: true });
      }),
    );
  }

  /** The file and its size, or null when the version has no bytes here. */
  async stat(version: unknown): Promise<{ file: string; size: number } | null> {
    const file = this.pathOf(version);
    if (!file) return null;
    try {
      const st = await fs.promises.stat(file);
      return { file, size: st.size };
    } catch {
      return null;
    }
  }
}
