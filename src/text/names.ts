/** How an input is named to a person: "-" is standard input. */
export function sourceName(name: string): string {
  return name === "-" ? "standard input" : name;
}
