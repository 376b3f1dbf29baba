declare module "echarts/lib/i18n/langFR.js" {
  const langFR: unknown;
  // biome-ignore lint/style/noDefaultExport: the shape of ECharts' own module
  export default langFR;
}
