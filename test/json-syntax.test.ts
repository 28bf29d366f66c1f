/** JSON syntax errors are located by line and column, and the locator agrees with JSON.parse. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeSyntaxError, findSyntaxError } from "../src/text/json-syntax.js";
import { screen } from "./helpers/cli.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe("the syntax locator", () => {
  it("finds no error exactly when JSON.parse accepts the text (valid JSON, and JSON with a character changed)", () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom("", ",", "}", "]", '"', ":", "\n", "x", "\\", "1", "{", "["))
      .map(([text, at, ch]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + ch + text.slice(i + (at % 2));
      });
    fc.assert(
      fc.property(fc.oneof(fc.json(), mutated, fc.string()), (text) => {
        expect(findSyntaxError(text) === undefined).toBe(parses(text));
      }),
      { numRuns: RUNS },
    );
  });

  it("names line and column of a pretty-printed document, and what was expected", () => {
    const text = '{\n  "id": "SCR-1",\n  "stroke": { "nihss": }\n}';
    expect(findSyntaxError(text)).toEqual({ line: 3, column: 24, message: "expected a value (an object, array, string, number, true, false or null), found '}'" });
    expect(describeSyntaxError('{"a": 1,}')).toBe("column 9: expected a property name in double quotes, found '}'");
    expect(describeSyntaxError('{"a": 1')).toBe("column 8: expected ',' or '}', found the end of the text");
    expect(describeSyntaxError('{"a": "x\ny"}')).toMatch(/^line 1, column 9: a string is not closed/);
  });
});

describe("the command's JSON syntax errors", () => {
  it("a pretty-printed file: the file, line and column, never a character offset or the text quoted back", async () => {
    const input = '{\n  "id": "SCR-1",\n  "stroke": { "nihss": }\n}\n';
    const run = await screen(["-", "--format", "json"], { input });
    const message = JSON.parse(run.stdout).errors[0].message as string;
    expect(message).toBe("standard input is not valid JSON: line 3, column 24: expected a value (an object, array, string, number, true, false or null), found '}'");
    expect(message).not.toMatch(/position/);
  });

  it("an NDJSON line: its line number, and the column in it", async () => {
    const input = '{"id":"A","screenedAt":"2026-11-24T09:00:00+08:00"}\n{"id":"B",,}\n';
    const run = await screen(["-", "--format", "ndjson"], { input });
    const second = JSON.parse(run.stdout.split("\n")[1]!);
    expect(second.line).toBe(2);
    expect(second.errors[0].message).toBe("line 2 is not valid JSON: column 11: expected a property name in double quotes, found ','");
  });
});
