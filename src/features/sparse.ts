// Sparse vectors and row matrices on typed arrays: the representation features, models and kNN share.

export interface SparseVector {
  /** Feature indices, ascending. */
  indices: Int32Array;
  values: Float32Array;
}

/** Compressed sparse rows: row i holds indices/values[offsets[i] .. offsets[i + 1]). */
export interface SparseMatrix {
  rows: number;
  columns: number;
  offsets: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export function rowsToMatrix(rows: readonly SparseVector[], columns: number): SparseMatrix {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((row, i) => {
    offsets[i + 1] = offsets[i] + row.indices.length;
  });
  const nnz = offsets[rows.length];
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  rows.forEach((row, i) => {
    indices.set(row.indices, offsets[i]);
    values.set(row.values, offsets[i]);
  });
  return { rows: rows.length, columns, offsets, indices, values };
}

/** Scales a vector to unit length in place (a zero vector stays zero). */
export function normalizeL2(values: Float32Array): void {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] ** 2;
  if (sum === 0) return;
  const inverse = 1 / Math.sqrt(sum);
  for (let i = 0; i < values.length; i++) values[i] = values[i] * inverse;
}
