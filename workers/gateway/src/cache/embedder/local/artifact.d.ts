// wrangler.toml rule: *.bin is bundled as Data, i.e. imported as an ArrayBuffer.
declare module "*.bin" {
  const data: ArrayBuffer;
  export default data;
}
