/** The part of pdfmake 0.3's server API this project uses (the package ships no types). */
declare module "pdfmake" {
  interface OutputDocument {
    getBuffer(): Promise<Buffer>;
  }
  interface PdfMake {
    setFonts(fonts: Record<string, Record<"normal" | "bold" | "italics" | "bolditalics", string>>): void;
    readonly virtualfs: { existsSync(name: string): boolean; writeFileSync(name: string, content: Buffer): void };
    setUrlAccessPolicy(allow: (url: string) => boolean): void;
    setLocalAccessPolicy(allow: (path: string) => boolean): void;
    createPdf(doc: object): OutputDocument;
  }
  const pdfmake: PdfMake;
  export default pdfmake;
}
