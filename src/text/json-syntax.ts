/**
 * Where JSON text stops being JSON, as a person finds it in an editor: line and column, and what
 * was expected there. V8's messages give a character offset at best, and some quote the whole
 * input back (a 50 MB line, or patient data, in an error message); this scanner says neither.
 */

export interface SyntaxProblem {
  readonly line: number; // 1-based
  readonly column: number; // 1-based, in UTF-16 code units as editors count them
  readonly message: string; // "expected a value, found '}'"
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ["true", "false", "null"] as const;

type State = "value" | "valueOrClose" | "key" | "keyOrClose" | "colon" | "after";

/** The first syntax error in `text`, or undefined when it is one valid JSON value. */
export function findSyntaxError(text: string): SyntaxProblem | undefined {
  const scan = new Scanner(text);
  const offset = scan.run();
  if (offset === undefined) return undefined;
  return { ...lineAndColumn(text, offset.at), message: offset.message };
}

/** "line 2, column 7: expected …" (or "column 7: …" for one-line text). */
export function describeSyntaxError(text: string): string {
  const problem = findSyntaxError(text);
  if (!problem) return "not valid JSON";
  const where = text.includes("\n") ? `line ${problem.line}, column ${problem.column}` : `column ${problem.column}`;
  return `${where}: ${problem.message}`;
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

class Scanner {
  private i = 0;
  private readonly stack: string[] = []; // open "{" and "[", innermost last

  constructor(private readonly text: string) {}

  run(): { at: number; message: string } | undefined {
    let state: State = "value";
    for (;;) {
      this.skipSpace();
      const next = this.step(state);
      if (typeof next !== "string") return next === null ? undefined : next;
      state = next;
    }
  }

  /** One token: the next state, null when the text ended well, or the problem. */
  private step(state: State): State | null | { at: number; message: string } {
    const ch = this.text[this.i];
    switch (state) {
      case "valueOrClose":
        if (ch === "]") return this.close();
        return this.value();
      case "value":
        return this.value();
      case "keyOrClose":
        if (ch === "}") return this.close();
        return this.key();
      case "key":
        return this.key();
      case "colon":
        if (ch !== ":") return this.problem("expected ':' after the property name");
        this.i++;
        return "value";
      case "after":
        return this.after();
    }
  }

  private value(): State | { at: number; message: string } {
    const ch = this.text[this.i];
    if (ch === "{" || ch === "[") {
      this.stack.push(ch);
      this.i++;
      return ch === "{" ? "keyOrClose" : "valueOrClose";
    }
    if (ch === '"') return this.string() ? "after" : this.problem("a string is not closed, or holds a bad escape or a raw line break");
    NUMBER.lastIndex = this.i;
    const number = NUMBER.exec(this.text);
    if (number && number[0] !== "-") {
      this.i += number[0].length;
      return "after";
    }
    const literal = LITERALS.find((word) => this.text.startsWith(word, this.i));
    if (literal) {
      this.i += literal.length;
      return "after";
    }
    return this.problem("expected a value (an object, array, string, number, true, false or null)");
  }

  private key(): State | { at: number; message: string } {
    if (this.text[this.i] !== '"') return this.problem("expected a property name in double quotes");
    return this.string() ? "colon" : this.problem("a property name is not closed, or holds a bad escape");
  }

  private after(): State | null | { at: number; message: string } {
    const top = this.stack[this.stack.length - 1];
    const ch = this.text[this.i];
    if (top === undefined) return this.i >= this.text.length ? null : this.problem("more text after the end of the JSON value");
    const closer = top === "{" ? "}" : "]";
    if (ch === ",") {
      this.i++;
      return top === "{" ? "key" : "value";
    }
    if (ch === closer) return this.close();
    return this.problem(`expected ',' or '${closer}'`);
  }

  private close(): State {
    this.stack.pop();
    this.i++;
    return "after";
  }

  /** Moves past a string starting at the quote; false (left at the bad character) when it is broken. */
  private string(): boolean {
    const { text } = this;
    this.i++;
    while (this.i < text.length) {
      const code = text.charCodeAt(this.i);
      if (code === 0x22) {
        this.i++;
        return true;
      }
      if (code < 0x20) return false;
      if (code === 0x5c) {
        const esc = text[this.i + 1];
        if (esc === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.i + 2, this.i + 6))) return false;
          this.i += 6;
          continue;
        }
        if (esc === undefined || !'"\\/bfnrt'.includes(esc)) return false;
        this.i += 2;
        continue;
      }
      this.i++;
    }
    return false;
  }

  private skipSpace(): void {
    const { text } = this;
    while (this.i < text.length) {
      const ch = text.charCodeAt(this.i);
      if (ch !== 0x20 && ch !== 0x09 && ch !== 0x0a && ch !== 0x0d) return;
      this.i++;
    }
  }

  private problem(what: string): { at: number; message: string } {
    const ch = this.text[this.i];
    const found = ch === undefined ? "the end of the text" : /\s/.test(ch) ? "a line break or space" : `'${ch}'`;
    return { at: this.i, message: `${what}, found ${found}` };
  }
}
