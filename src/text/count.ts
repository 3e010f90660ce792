// A count with its noun, for what tagsmith prints and renders: "1 item", "78 items", never "1 items".

export function counted(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}
